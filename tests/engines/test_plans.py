"""Reading implementation plans (``engines.plans``): the two seed documents exactly, the other
ways plans write deadlines and units, and invariance under whitespace, character width and
Traditional characters."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipshield.engines.plans import parse_deadline, parse_plan

# The two public documents the platform is built from (copies of the project's seeds).
PLANS = Path(__file__).resolve().parents[1] / "data" / "plans"
# the county plan ships with the package: the demo imports it
COUNTY = (
    Path(__file__).resolve().parents[2]
    / "src/ipshield/supervision/data"
    / "baode-county-plan-2020.txt"
)
PROVINCE = PLANS / "heilongjiang-opinion-2020.txt"

CN = "一二三四五六七八九十"
COUNTY_NUMBERS = (
    [f"（{n}）" for n in CN]
    + [f"（十{n}）" for n in CN[:9]]
    + ["（二十）"]
    + [f"（二十{n}）" for n in CN[:3]]
)
COUNTY_DEADLINES = (
    ["2020年", "2022年", "2022年", "2020年", "2022年", "2022年", "2022年", "2022年", "2022年"]
    + ["2025年", "2022年", "长期坚持", "2025年", "2025年", "2025年", "2025年", "2022年"]
    + ["2025年"]
    + ["长期坚持"] * 5
)
TOWNSHIPS = ["各乡（镇）党委", "各乡（镇）政府", "各有关部门"]


def _seed(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def test_the_county_plan_reads_as_its_23_measures():
    plan = parse_plan(_seed(COUNTY))
    measures = plan.measures
    assert [m.number for m in measures] == COUNTY_NUMBERS
    assert [m.deadline for m in measures] == COUNTY_DEADLINES
    assert plan.title == "保德县强化知识产权保护实施方案" and plan.year == 2020
    first = measures[0]
    assert first.section == "二、完善知识产权保护制度"
    assert first.title == "完善知识产权地方性法规制度"
    # the list ends with 等, which is not a unit
    assert first.units == [
        "县市场监督管理局",
        "县农业农村局",
        "县自然资源局",
        "县文化和旅游局",
        "县卫健体局",
        "县工业和信息化局",
        "县法院",
    ]
    assert first.due is not None and first.due.due_on == dt.date(2020, 12, 31)
    # 责任单位； with a semicolon; 责任单位: half-width; a comma inside the list
    assert measures[5].units[0] == "县法院" and len(measures[5].units) == 6
    assert measures[10].units[-1] == "人行保德支行"
    assert measures[6].units[2:4] == ["县市场监督管理局", "县自然资源局"]
    # 完成时报 (misspelt) and 县文化和放游局 (a typo kept as printed, for the matcher)
    assert measures[11].deadline == "长期坚持" and measures[11].due.kind == "ongoing"
    assert "县文化和放游局" in measures[11].units
    # groups: 各乡（镇）党委、政府 is two bodies of every township
    assert measures[18].units == TOWNSHIPS and measures[19].units == TOWNSHIPS
    assert measures[17].units[-2:] == TOWNSHIPS[:2]
    assert all(m.units and not m.lead_units and not m.supporting_units for m in measures)
    # the roster and the distribution list are kept aside, not dropped
    assert "附件：" in plan.other_text and any("抄送" in t for t in plan.other_text)


def test_the_provincial_opinion_reads_as_its_numbered_measures():
    plan = parse_plan(_seed(PROVINCE))
    measures = plan.measures
    assert len(measures) == 21
    assert [m.number for m in measures[:5]] == ["1.", "2.", "3.", "4.", "1."]
    assert measures[0].section.startswith("(一)建立健全工作機制")
    assert measures[-1].section == "三、保障機制"
    assert measures[0].title == "加強執法協作機制建設"  # as printed, in Traditional characters
    # the opinion names no units or deadlines per measure: the import says so
    assert all(m.units == [] and m.deadline is None for m in measures)
    assert any("責任編輯" in t for t in plan.other_text)  # not mistaken for 责任单位


PARENTHESES = """一、工作任务
1．建立快速维权机制。（县市场监管局牵头，县公安局、县法院配合；2021年6月底前完成）
2．开展专项整治。（县文旅局、县农业农村局负责，2021年—2023年）
3. 加强宣传。（县委宣传部负责；持续推进）
"""

LABELLED = """（一）加强协作
1、建立联席会议制度。
牵头单位：县市场监督管理局
配合单位：县公安局、县检察院、县法院
完成时间：年底前
（二）强化保障
2、落实经费。责任单位：县财政局。完成时限：2022年12月31日
"""


def test_lead_and_supporting_units_in_parentheses():
    measures = parse_plan(PARENTHESES).measures
    assert [m.number for m in measures] == ["1．", "2．", "3."]
    first, second, third = measures
    assert first.lead_units == ["县市场监管局"]
    assert first.supporting_units == ["县公安局", "县法院"]
    assert first.units == ["县市场监管局", "县公安局", "县法院"]
    assert first.due.due_on == dt.date(2021, 6, 30)
    # (A、B负责): both responsible, no split
    assert second.units == ["县文旅局", "县农业农村局"] and second.lead_units == []
    assert second.due.kind == "years" and second.due.years == (2021, 2022, 2023)
    assert third.units == ["县委宣传部"] and third.due.kind == "ongoing"


def test_labelled_lines_after_the_measure():
    plan = parse_plan("2021年3月1日\n" + LABELLED)
    first, second = plan.measures
    assert first.section == "（一）加强协作"
    assert first.lead_units == ["县市场监督管理局"]
    assert first.supporting_units == ["县公安局", "县检察院", "县法院"]
    assert first.deadline == "年底前" and first.due.due_on == dt.date(2021, 12, 31)
    assert second.units == ["县财政局"] and second.due.due_on == dt.date(2022, 12, 31)


@pytest.mark.parametrize(
    ("printed", "kind", "due_on"),
    [
        ("2020年", "date", dt.date(2020, 12, 31)),
        ("2021年6月底前", "date", dt.date(2021, 6, 30)),
        ("2021年2月", "date", dt.date(2021, 2, 28)),
        ("2021年6月15日", "date", dt.date(2021, 6, 15)),
        ("2022年上半年", "date", dt.date(2022, 6, 30)),
        ("2020—2022年", "years", dt.date(2022, 12, 31)),
        ("2021年、2023年", "years", dt.date(2023, 12, 31)),
        ("長期堅持", "ongoing", None),
        ("持续推进", "ongoing", None),
        ("年底前", "unknown", None),  # no year to go by
        ("2021年2月30日", "unknown", None),
    ],
)
def test_deadlines_as_data(printed, kind, due_on):
    deadline = parse_deadline(printed)
    assert (deadline.kind, deadline.due_on, deadline.printed) == (kind, due_on, printed)


def _plain(text: str | None) -> str:
    """Text compared across spellings: Simplified, half-width, without spaces."""
    from ipshield.engines.text import to_simplified

    return "".join(unicodedata.normalize("NFKC", to_simplified(text or "")).split())


def _summary(text: str) -> list[tuple[str, str, list[str], list[str]]]:
    return [
        (
            _plain(m.title),
            _plain(m.deadline),
            [_plain(u) for u in m.units],
            [_plain(u) for u in m.lead_units],
        )
        for m in parse_plan(text).measures
    ]


WIDE = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
TRADITIONAL = str.maketrans(
    "县务监督管理局检察院农业财政责任单位时限负责宣传部",
    "縣務監督管理局檢察院農業財政責任單位時限負責宣傳部",
)
BASE = PARENTHESES + LABELLED


@settings(max_examples=40, deadline=None)
@given(
    spaces=st.lists(st.sampled_from(["", " ", "\u3000", "  "]), min_size=4, max_size=4),
    wide=st.booleans(),
    traditional=st.booleans(),
)
def test_spacing_width_and_script_do_not_change_the_result(spaces, wide, traditional):
    text = BASE
    for mark, space in zip(("、", "：", "（", "；"), spaces, strict=True):
        text = text.replace(mark, space + mark + space)
    if wide:
        text = text.translate(WIDE)
    if traditional:
        text = text.translate(TRADITIONAL)
    assert _summary(text) == _summary(BASE)


def _demo_units():
    from ipshield import demo
    from ipshield.engines.plans import UnitRef

    return [UnitRef(u.name, u.name, u.short_name) for u in demo.UNITS]


PLACES = ("保德县", "忻州市", "山西省")


def test_every_unit_the_county_plan_names_matches_its_platform_unit():
    from ipshield import demo
    from ipshield.engines.plans import group_kind, match_unit

    expected = {
        "人行保德支行": demo.PBOC,
        "农业农村局": demo.AGRICULTURE,
        "县人社局": demo.HUMAN_RESOURCES,
        "县卫健体局": demo.HEALTH,
        "县委网信办": demo.CYBERSPACE,
        "县编办": demo.STAFFING,
        "县法院": demo.COURT,
        "县检察院": demo.PROCURATORATE,
        "县市场监督管理局": demo.MARKET,
        "县文化和放游局": demo.CULTURE,  # the typo
        "县行政审批服务管理局": demo.APPROVAL,
    }
    units = _demo_units()
    plan = parse_plan(_seed(COUNTY))
    names = {u for m in plan.measures for u in m.units}
    groups = {n for n in names if group_kind(n)}
    assert groups == {"各乡（镇）党委", "各乡（镇）政府", "各有关部门"}
    for name in sorted(names - groups):
        matches = match_unit(name, units, places=PLACES)
        assert matches, name
        best = matches[0]
        assert best.score >= 0.7, (name, best)
        if name in expected:
            assert best.key == expected[name], (name, best)
        # the best is clearly ahead of any other
        assert len(matches) == 1 or matches[1].score < best.score, (name, matches)
    reasons = {n: match_unit(n, units, places=PLACES)[0].reason for n in expected}
    assert reasons["县文化和放游局"] == "similar" and reasons["县法院"] == "same"
    assert reasons["农业农村局"] == "place"


def test_matching_reads_traditional_names_and_keeps_levels_apart():
    from ipshield import demo
    from ipshield.engines.plans import match_unit

    units = _demo_units()
    assert match_unit("縣市場監督管理局", units, places=PLACES)[0].key == demo.MARKET
    # the provincial bureau's short name 省市场监管局 is not a county's 县市场局
    keys = [m.key for m in match_unit("县市场局", units, places=PLACES)]
    assert keys[0] == demo.MARKET and demo.HLJ_MARKET not in keys
    assert match_unit("县气象局", units, places=PLACES) == []


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("一二三四五六七八九十（）()、，,。.；;：:123年月日底前")
            + list("责任单位完成时限牵头配合负责各乡镇县局\n 　")
        ),
        max_size=300,
    )
)
def test_any_text_reads_without_error(text):
    plan = parse_plan(text)
    for measure in plan.measures:
        assert measure.number
        assert all(unit for unit in measure.units)
        assert measure.due is None or measure.deadline is not None


def test_titles_of_other_kinds_of_plans():
    body = "\n一、重点任务\n1. 开展专项行动。（县市场监督管理局负责）完成时限：2026年12月31日\n"
    assert parse_plan("保德县2026年知识产权保护工作要点" + body).title.endswith("工作要点")
    assert parse_plan("關於加強保護的若干措施" + body).title == "關於加強保護的若干措施"
    # no title-like ending: the first short line that is not a document number
    assert parse_plan("保政办发〔2026〕1号\n县里今年的打算" + body).title == "县里今年的打算"


def test_units_in_parentheses_before_the_deadline():
    text = (
        "工作要点\n一、任务\n"
        "1. 开展专项行动。（县市场局牵头，县农业农村局、各乡（镇）人民政府配合）"
        "完成时限：2026年12月31日\n"
        "2. 清理侵权作品。（县委宣传部、县文旅局负责）完成时限：年底前\n"
    )
    first, second = parse_plan(text).measures
    assert first.lead_units == ["县市场局"]
    assert first.supporting_units == ["县农业农村局", "各乡（镇）人民政府"]
    assert first.deadline == "2026年12月31日"
    assert second.units == ["县委宣传部", "县文旅局"] and second.lead_units == []
