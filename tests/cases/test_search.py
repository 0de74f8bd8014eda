"""Case search: by number, party name (Traditional or Simplified) and keyword, on the case list
page and in the API, within what the reader's unit may see."""

from __future__ import annotations

import importlib
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.db import connection

from ipshield.cases import services
from ipshield.cases.models import NUMBER_PREFIXES, Case, Source, search_document
from ipshield.engines.text import normalize_name
from tests.cases.factories import receive
from tests.registry.factories import EntityFactory, RightsHolderFactory

PAGE = "/workbench/cases/"
API = "/api/v1/cases"


def _api_numbers(client, q: str) -> set[str]:
    response = client.get(API + "?" + urlencode({"q": q}))
    assert response.status_code == 200, response.content[:300]
    return {row["number"] for row in response.json()["items"]}


def _page_numbers(client, q: str) -> set[str]:
    response = client.get(PAGE + "?" + urlencode({"q": q}))
    assert response.status_code == 200
    page = response.content.decode()
    return {
        number
        for number in Case.objects.values_list("number", flat=True)
        if f'data-case="{number}"' in page
    }


def _found(client, q: str) -> set[str]:
    """What ``q`` finds, asserting that the page and the API find the same."""
    api = _api_numbers(client, q)
    assert _page_numbers(client, q) == api, q
    return api


@pytest.fixture
def officer(world, login):
    return login(world.officer)


# -- By number ------------------------------------------------------------------------------------


def test_number_exact_and_by_its_start(world, officer):
    one = receive(world)
    two = receive(world)
    Case.objects.filter(pk=one.pk).update(number="TS20260312004711")
    Case.objects.filter(pk=two.pk).update(number="TS20260312009900")
    other = receive(world)
    Case.objects.filter(pk=other.pk).update(number="TS20250101000001")

    assert _found(officer, "TS20260312004711") == {"TS20260312004711"}
    assert _found(officer, "TS20260312") == {"TS20260312004711", "TS20260312009900"}
    # Lower case, full width and spaces as people type or paste them.
    assert _found(officer, "ｔｓ 2026 0312 0047") == {"TS20260312004711"}
    # Digits alone: the number after any of its letters.
    assert _found(officer, "20260312009900") == {"TS20260312009900"}
    assert _found(officer, "TS2027") == set()


def test_numbers_are_issued_with_the_prefixes_the_search_knows(world):
    for source in Source.values:
        assert services.new_case_number(source)[:2] in NUMBER_PREFIXES


# -- By party name --------------------------------------------------------------------------------


def test_party_name_in_traditional_or_simplified_either_way(world, officer):
    simplified = receive(world, infringer_name="保德县东关镇惠民超市")
    traditional = receive(world, infringer_name="忻州市長興貿易有限公司")
    receive(world, infringer_name="河曲县某商店")

    for q in ("保德县东关镇惠民超市", "保德縣東關鎮惠民超市", "東關鎮", "惠民 超市"):
        assert _found(officer, q) == {simplified.number}, q
    for q in ("忻州市长兴贸易有限公司", "長興貿易", "长兴贸易"):
        assert _found(officer, q) == {traditional.number}, q


def test_party_name_width_and_spaces_are_folded(world, officer):
    case = receive(world, infringer_name="ＡＢＣ 食品 有限公司")
    assert _found(officer, "abc食品") == {case.number}
    assert _found(officer, "ABC  食品有限公司") == {case.number}


def test_registered_entity_and_rights_holder_names_find_the_case(world, officer):
    entity = EntityFactory(name="山西晉德棗業有限公司")
    holder = RightsHolderFactory(name="保德红枣协会", region=world.county)
    by_entity = receive(world, infringer=entity, infringer_name="")
    by_holder = receive(world, rights_holder=holder)
    assert _found(officer, "晋德枣业") == {by_entity.number}
    assert _found(officer, "保德紅棗協會") == {by_holder.number}


# -- By keyword -----------------------------------------------------------------------------------


def test_keywords_in_title_and_description_all_words_must_match(world, officer):
    jujube = receive(world, title="销售假冒“晋德”红枣", description="在农贸市场发现。")
    vinegar = receive(world, title="销售假冒老陈醋", description="网店以低价销售红枣和陈醋。")

    assert _found(officer, "红枣") == {jujube.number, vinegar.number}  # two characters: a scan
    assert _found(officer, "老陈醋") == {vinegar.number}  # three: through the index
    assert _found(officer, "農貿市場") == {jujube.number}  # Traditional keyword
    assert _found(officer, "红枣 网店") == {vinegar.number}
    assert _found(officer, "红枣 网店 展会") == set()
    assert _found(officer, "") == {jujube.number, vinegar.number}


def test_search_combines_with_the_filters(world, officer):
    accepted = receive(world, title="销售假冒红枣")
    services.case_accept(actor=world.officer, case=accepted)
    receive(world, title="销售假冒红枣")
    response = officer.get(API + "?" + urlencode({"q": "假冒红枣", "status": "accepted"}))
    assert [row["number"] for row in response.json()["items"]] == [accepted.number]


def test_an_edited_case_is_found_by_its_new_text_only(world, officer):
    case = receive(world, title="销售假冒红枣", infringer_name="某超市")
    services.case_accept(actor=world.officer, case=case)  # a save that changes no search text
    assert _found(officer, "假冒红枣") == {case.number}

    case = Case.objects.get(pk=case.pk)
    case.title = "销售侵权图书"
    case.infringer_name = "某書店"
    case.save(update_fields=["title", "infringer_name", "updated_at"])
    assert _found(officer, "假冒红枣") == set()
    assert _found(officer, "侵权图书") == {case.number}
    assert _found(officer, "某书店") == {case.number}


def test_a_list_save_with_deferred_fields_keeps_the_search_text(world):
    case = receive(world, title="销售假冒红枣")
    listed = Case.objects.only("id", "status").get(pk=case.pk)
    listed.status = "accepted"
    listed.save()
    assert Case.objects.get(pk=case.pk).search_text == case.search_text != ""


# -- Scoping --------------------------------------------------------------------------------------


def test_another_units_case_is_never_found(world, officer, login):
    ours = receive(world, infringer_name="保德县东关镇惠民超市", title="销售假冒红枣")
    theirs = receive(
        world, unit=world.other_market, infringer_name="保德县东关镇惠民超市", title="销售假冒红枣"
    )
    for q in (theirs.number, theirs.number[:10], "惠民超市", "假冒红枣", "红枣"):
        assert theirs.number not in _found(officer, q), q
    assert _found(officer, "惠民超市") == {ours.number}
    # Their own officer finds it, and only it; an auditor (every unit) finds both.
    assert _found(login(world.officer_other), "惠民超市") == {theirs.number}
    auditor = login(world.auditor)
    assert _found(auditor, "惠民超市") == {ours.number, theirs.number}
    assert _api_numbers(auditor, theirs.number) == {theirs.number}


# -- Hostile input --------------------------------------------------------------------------------

HOSTILE = [
    '"',
    '""',
    '"保德',
    "*",
    "红枣*",
    "OR",
    "红枣 OR 超市",
    "NEAR(红枣 超市)",
    "AND NOT",
    "^红枣",
    "{title}: 红枣",
    "%",
    "_",
    "\\",
    "'; DROP TABLE cases_case; --",
    "保德县" * 60,
]


def test_hostile_queries_match_literally_and_never_fail(world, officer):
    plain = receive(world, title="销售假冒红枣", infringer_name="某超市")
    odd = receive(world, title='标有"特级"字样*的红枣 OR 50%_包装', infringer_name="某网店")
    for q in HOSTILE:
        # Found: the cases holding every word literally (no operator, wildcard or pattern).
        words = [normalize_name(word) for word in q.split()]
        expected = {
            case.number
            for case in Case.objects.all()
            if words and all(word in case.search_text for word in words)
        }
        assert _found(officer, q) == expected, q
    for literal in ("%", "_", "*", '"'):  # found only where the character is
        assert _found(officer, literal) == {odd.number}, literal
    assert _found(officer, "红枣") == {plain.number, odd.number}
    assert _found(officer, "红枣 OR") == {odd.number}  # a word, not an operator
    assert _found(officer, '"特级"字样*') == {odd.number}
    assert _found(officer, "50%_") == {odd.number}
    assert _found(officer, "OR 50%") == {odd.number}
    assert Case.objects.count() == 2


def test_nul_and_control_characters(world, officer):
    case = receive(world, title="销售假冒红枣")
    # The API refuses them by name; the page drops them and searches the rest.
    red, dates = "%E7%BA%A2", "%E6%9E%A3"  # 红, 枣
    for raw in (f"{red}%00{dates}", "%00", f"{red}{dates}%1F", f"%E2%80%AE{red}{dates}"):
        response = officer.get(f"{API}?q={raw}")
        assert response.status_code == 422, (raw, response.content[:300])
        assert response.json()["field"] == "q"
        page = officer.get(f"{PAGE}?q={raw}")
        assert page.status_code == 200, raw
    page = officer.get(f"{PAGE}?q={red}%00{dates}")
    assert f'data-case="{case.number}"'.encode() in page.content


def test_a_query_too_long_is_refused_by_the_api_naming_the_field(world, officer):
    case = receive(world, title="销售假冒红枣")
    response = officer.get(API + "?" + urlencode({"q": "红" * 2000}))
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "q" and body["code"]
    assert officer.get(API + "?" + urlencode({"q": "红" * 200})).status_code == 200
    # The page takes the first 200 characters (its box holds no more).
    page = officer.get(PAGE + "?" + urlencode({"q": "假冒红枣" + "x" * 2000}))
    assert page.status_code == 200
    assert 'maxlength="200"' in page.content.decode()
    assert f'data-case="{case.number}"' not in page.content.decode()


def test_the_page_keeps_the_query_and_says_when_nothing_matches(world, officer):
    receive(world, title="销售假冒红枣")
    page = officer.get(PAGE + "?" + urlencode({"q": '<b>"保德"</b>'})).content.decode()
    assert 'value="&lt;b&gt;&quot;保德&quot;&lt;/b&gt;"' in page
    assert "没有与“&lt;b&gt;&quot;保德&quot;&lt;/b&gt;”相符的案件。" in page
    officer.post("/i18n/setlang/", {"language": "en", "next": PAGE})
    page = officer.get(PAGE + "?q=nothing").content.decode()
    assert ">Search<" in page and "No case matches “nothing”." in page


# -- Existing rows --------------------------------------------------------------------------------


def test_the_migration_fills_existing_rows_in_batches(world, officer, monkeypatch):
    migration = importlib.import_module("ipshield.cases.migrations.0013_case_search")
    holder = RightsHolderFactory(name="忻州市長興貿易有限公司", region=world.county)
    cases = [receive(world, title=f"销售假冒红枣{i}", rights_holder=holder) for i in range(5)]
    expected = {case.pk: case.search_text for case in cases}
    Case.objects.update(search_text="")  # rows from before the column (a queryset skips save)
    assert _found(officer, "红枣") == set()

    monkeypatch.setattr(migration, "BATCH", 2)
    migration.fill(apps, SimpleNamespace(connection=connection))
    assert dict(Case.objects.values_list("pk", "search_text")) == expected
    assert _found(officer, "长兴贸易") == {case.number for case in cases}
    assert _found(officer, "假冒红枣3") == {cases[3].number}


def test_the_migrations_copy_of_the_document_rule_matches_the_models():
    migration = importlib.import_module("ipshield.cases.migrations.0013_case_search")
    for title, description, parties in [
        ("銷售假冒商品", "說明", ["保德縣 某超市", "", "保德县某超市"]),
        ("", "", []),
        ("Ａｐｐｌｅ  Inc.", "x\ny", ["某人"]),
    ]:
        assert migration._document(title, description, parties) == search_document(
            title=title, description=description, parties=parties
        )
