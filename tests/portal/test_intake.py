"""The public intake on the portal: complaints, reports, the one-time receipt and the status page.

Every refusal names its field in Chinese, keeps what was typed, and saves nothing."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ipshield.cases import crypto, intake, record, services, walkthrough
from ipshield.cases.models import Attachment, Case, ReporterIdentity, Source
from ipshield.cases.workflow import Status
from ipshield.registry import services as registry_services
from ipshield.registry.models import IPRight, RightKind
from tests.registry.factories import IPRightFactory, RightsHolderFactory, valid_uscc

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
GENERIC = "编号或查询码不正确"


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    cache.clear()  # failed tracking attempts are counted in the cache


def verified_right(world, *, user=None, region=None) -> IPRight:
    holder = RightsHolderFactory(user=user or world.holder_user, region=region or world.county)
    right = IPRightFactory(holder=holder, verifying_unit=world.market)
    return registry_services.right_verify(actor=world.officer, right=right)


def complaint_data(world, right: IPRight, **overrides) -> dict:
    data = {
        "right": right.pk,
        "title": "超市销售假冒“保德红枣”商标的红枣",
        "description": "2026 年 1 月在东关超市购得，包装使用了与注册商标相同的标志。",
        "infringer_uscc": "",
        "infringer_name": "保德县东关便民超市",
        "infringer_address": "保德县东关镇人民路 12 号",
        "place": "东关超市一楼干果区",
        "region": world.county.pk,
        "amount_involved": "12,800.50",
        "public_health": "on",
    }
    data.update(overrides)
    return data


def report_data(world, **overrides) -> dict:
    data = {
        "right_kind": RightKind.TRADEMARK,
        "title": "集市上有人卖假“保德油枣”",
        "description": "每逢周日在东关集市，摊主销售仿冒包装的油枣。",
        "infringer_name": "东关集市流动摊贩",
        "place": "东关集市",
        "region": world.county.pk,
        "amount_involved": "",
    }
    data.update(overrides)
    return data


def _receipt(client: Client, response) -> tuple[str, str]:
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/submitted/"
    page = client.get("/submitted/").content.decode()
    number = re.search(r'data-testid="number">(\w+)<', page).group(1)
    code = re.search(r'data-testid="access-code">(\w+)<', page).group(1)
    assert "只显示这一次" in page and f"/track/{number}/" in page
    return number, code


# -- complaints -----------------------------------------------------------------------------------


def test_holder_files_a_complaint_with_a_png_and_gets_number_and_code_once(world, login, settings):
    right = verified_right(world)
    client = login(world.holder_user)
    assert str(right) in client.get("/complaints/new/").content.decode()
    data = complaint_data(world, right)
    data["attachments"] = [SimpleUploadedFile("红枣包装.png", PNG, content_type="image/png")]
    number, code = _receipt(client, client.post("/complaints/new/", data))

    case = Case.objects.get(number=number)
    assert case.status == Status.RECEIVED and case.source == Source.COMPLAINT
    assert case.right == right and case.submitted_by == world.holder_user
    assert case.unit == world.market and str(case.amount_involved) == "12800.50"
    assert case.public_health is True
    assert intake.case_by_access_code(number, code) == case
    assert code not in case.access_code_hash  # only the hash is kept
    attachment = Attachment.objects.get(case=case)
    assert attachment.original_name == "红枣包装.png" and attachment.kind == "png"
    assert attachment.sha256 == hashlib.sha256(PNG).hexdigest()
    stored = Path(attachment.file.path)
    assert stored.is_file() and stored.read_bytes() == PNG
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT))

    # The receipt is shown once; afterwards the code is in no page and no URL.
    again = client.get("/submitted/")
    assert again.status_code == 302 and again["Location"] == "/track/"
    status = client.get(f"/track/{number}/")
    assert status.status_code == 200 and code not in status.content.decode()


def test_track_page_with_code_shows_received_and_nothing_internal(world, client):
    right = verified_right(world)
    submitted = intake.complaint_submit(
        actor=world.holder_user,
        right=right,
        title="网店销售仿冒商品",
        description="描述里的内容只给承办单位看：SECRET-DESCRIPTION",
        region=world.county,
    )
    case = submitted.case
    record.note_added(case=case, actor=world.officer, note="INTERNAL-NOTE 先约谈再说")

    response = client.post("/track/", {"number": case.number.lower(), "access_code": "x"})
    assert GENERIC in response.content.decode()
    response = client.post(
        "/track/", {"number": case.number, "access_code": submitted.access_code.lower()}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/track/{case.number}/"  # no code in the URL
    page = client.get(response["Location"]).content.decode()
    assert "已接收" in page and "网店销售仿冒商品" in page and "保德县市场监督管理局" in page
    for hidden in ("SECRET-DESCRIPTION", "INTERNAL-NOTE", submitted.access_code, "普通案件"):
        assert hidden not in page
    assert "holder" not in page  # no account names


def test_transition_notes_stay_internal_but_a_rejection_reason_is_shown(world, client):
    right = verified_right(world)
    first = intake.complaint_submit(
        actor=world.holder_user, right=right, title="甲", description="甲", region=world.county
    )
    services.case_accept(actor=world.officer, case=first.case)
    walkthrough.open_case(first.case, officer=world.officer, leader=world.leader)
    services.case_suspend(actor=world.leader, case=first.case, reason="INTERNAL-SUSPEND 等鉴定")
    second = intake.complaint_submit(
        actor=world.holder_user, right=right, title="乙", description="乙", region=world.county
    )
    services.case_reject(
        actor=world.officer, case=second.case, reason="不属于本局管辖，请向法院起诉"
    )

    client.post("/track/", {"number": first.case.number, "access_code": first.access_code})
    page = client.get(f"/track/{first.case.number}/").content.decode()
    assert "已受理" in page and "调查中" in page and "中止" in page
    assert "INTERNAL-SUSPEND" not in page

    client.post("/track/", {"number": second.case.number, "access_code": second.access_code})
    page = client.get(f"/track/{second.case.number}/").content.decode()
    assert "不予受理" in page and "不属于本局管辖，请向法院起诉" in page
    assert "调查中" not in page  # a rejected case ends on its own step


def test_wrong_number_and_wrong_code_get_the_same_answer(world, client):
    right = verified_right(world)
    submitted = intake.complaint_submit(
        actor=world.holder_user, right=right, title="甲", description="甲", region=world.county
    )
    wrong_code = client.post(
        "/track/", {"number": submitted.case.number, "access_code": "00000000"}
    ).content.decode()
    wrong_number = client.post(
        "/track/", {"number": "TS20990101000000", "access_code": submitted.access_code}
    ).content.decode()
    assert GENERIC in wrong_code and GENERIC in wrong_number
    # Apart from the number typed and the CSRF tokens, the two answers are the same page.
    strip = re.compile(r'name="number" value="[^"]*"|[A-Za-z0-9]{64}')
    assert strip.sub("", wrong_code) == strip.sub("", wrong_number)
    # Without a checked code the status page sends people back to the form.
    response = client.get(f"/track/{submitted.case.number}/")
    assert response.status_code == 302
    assert response["Location"] == f"/track/?number={submitted.case.number}"


def test_repeated_failures_are_throttled(world, client):
    right = verified_right(world)
    submitted = intake.complaint_submit(
        actor=world.holder_user, right=right, title="甲", description="甲", region=world.county
    )
    for _ in range(20):
        client.post("/track/", {"number": submitted.case.number, "access_code": "00000000"})
    response = client.post(
        "/track/", {"number": submitted.case.number, "access_code": submitted.access_code}
    )
    assert response.status_code == 200 and "次数过多" in response.content.decode()


def test_submitter_sees_own_cases_without_the_code_and_nobody_else_does(world, login):
    right = verified_right(world)
    case = intake.complaint_submit(
        actor=world.holder_user,
        right=right,
        title="我的投诉甲",
        description="甲",
        region=world.county,
    ).case
    mine = login(world.holder_user)
    listing = mine.get("/my/complaints/").content.decode()
    assert case.number in listing and "我的投诉甲" in listing and "已接收" in listing
    assert f'href="/track/{case.number}/"' in listing
    assert mine.get(f"/track/{case.number}/").status_code == 200

    other = login(world.public_user)
    assert case.number not in other.get("/my/complaints/").content.decode()
    assert other.get(f"/track/{case.number}/").status_code == 302
    assert Client().get("/my/complaints/").status_code == 302  # sign-in required


def test_complaint_page_needs_a_signed_in_holder_with_a_verified_right(world, login):
    assert Client().get("/complaints/new/")["Location"].startswith("/login/")
    page = login(world.public_user).get("/complaints/new/").content.decode()
    assert "投诉须由登记了权利人信息的权利人提出" in page
    assert re.search(r"<button type=\"submit\" disabled>", page)


@pytest.mark.parametrize(
    ("case", "field", "words"),
    [
        ("missing_title", "title", "请填写投诉事由"),
        ("unverified_right", "right", "尚未核验通过"),
        ("someone_elses_right", "right", "只能就您本人已登记的权利投诉"),
        ("wrong_uscc", "infringer_uscc", "统一社会信用代码校验位错误"),
        ("exe_attachment", "attachments", "不支持的文件类型"),
        ("nan_amount", "amount_involved", "涉案金额应为数字"),
        ("missing_region", "region", "请选择侵权发生地"),
    ],
)
def test_bad_complaints_name_the_field_keep_the_input_and_save_nothing(
    world, login, settings, case, field, words
):
    right = verified_right(world)
    data = complaint_data(world, right)
    files = [SimpleUploadedFile("照片.png", PNG, content_type="image/png")]
    if case == "missing_title":
        data["title"] = "   "
    elif case == "unverified_right":
        data["right"] = IPRightFactory(holder=right.holder, verifying_unit=world.market).pk
    elif case == "someone_elses_right":
        other_user = world.public_user
        data["right"] = verified_right(world, user=other_user).pk
    elif case == "wrong_uscc":
        code = valid_uscc()
        data["infringer_uscc"] = code[:17] + ("1" if code[17] != "1" else "2")
    elif case == "exe_attachment":
        files = [SimpleUploadedFile("工具.exe", b"MZ\x90\x00binary", content_type="image/png")]
    elif case == "nan_amount":
        data["amount_involved"] = "NaN"
    elif case == "missing_region":
        data["region"] = ""
    data["attachments"] = files
    client = login(world.holder_user)
    before = (Case.objects.count(), Attachment.objects.count())

    response = client.post("/complaints/new/", data)

    assert response.status_code == 200
    page = response.content.decode()
    error = re.search(rf'<p class="error" role="alert" data-field="{field}">([^<]*)</p>', page)
    assert error is not None and words in error.group(1), page[:3000]
    assert (Case.objects.count(), Attachment.objects.count()) == before
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]
    assert 'value="保德县东关便民超市"' in page and "东关镇人民路 12 号" in page
    assert "包装使用了与注册商标相同的标志" in page  # the description is kept too
    assert 'data-testid="files-dropped"' in page and "请重新选择附件" in page


# -- reports --------------------------------------------------------------------------------------


def test_anonymous_report_without_an_account_stores_no_identity(world, client):
    page = client.get("/reports/new/").content.decode()
    assert "加密保存" in page and "每一次查看都会记入" in page
    data = report_data(world, anonymous="on", reporter_name="不该保存的名字")
    data["attachments"] = [SimpleUploadedFile("现场.png", PNG, content_type="image/png")]
    number, code = _receipt(client, client.post("/reports/new/", data))
    case = Case.objects.get(number=number)
    assert case.source == Source.REPORT and case.submitted_by is None
    assert not ReporterIdentity.objects.filter(case=case).exists()
    assert case.attachments.count() == 1
    page = client.get(f"/track/{number}/").content.decode()  # the code is in this session
    assert "已接收" in page and "现场.png" in page
    elsewhere = Client()
    elsewhere.post("/track/", {"number": number, "access_code": code})
    assert "已接收" in elsewhere.get(f"/track/{number}/").content.decode()


def test_anonymous_report_by_a_signed_in_person_does_not_point_back_to_them(world, login):
    client = login(world.public_user)
    number, _ = _receipt(client, client.post("/reports/new/", report_data(world, anonymous="on")))
    case = Case.objects.get(number=number)
    assert case.submitted_by is None
    assert all(event.actor_id is None for event in case.events.all())
    assert number not in client.get("/my/complaints/").content.decode()


def test_real_name_report_encrypts_the_identity(world, client):
    data = report_data(
        world,
        reporter_name="王秀兰",
        reporter_id_number="142232199001011234",
        reporter_phone="138 0350 1234",
        reporter_email="wxl@example.cn",
    )
    number, _ = _receipt(client, client.post("/reports/new/", data))
    case = Case.objects.get(number=number)
    ciphertext = bytes(ReporterIdentity.objects.get(case=case).ciphertext)
    for plain in ("王秀兰", "138 0350 1234", "13803501234", "142232199001011234", "wxl@example"):
        assert plain.encode("utf-8") not in ciphertext
    assert crypto.decrypt(ciphertext)["name"] == "王秀兰"
    page = Client().get(f"/track/{number}/")
    assert page.status_code == 302  # another browser needs the code


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"reporter_phone": "一三八零三五零"}, "reporter_phone", "联系电话只能包含数字"),
        ({"reporter_phone": ""}, "reporter_phone", "请填写联系电话"),
        ({"reporter_name": ""}, "reporter_name", "请填写举报人姓名"),
        ({"reporter_email": "not-an-address"}, "reporter_email", "电子邮箱格式不正确"),
        ({"right_kind": ""}, "right_kind", "请选择涉及的权利类型"),
        ({"description": ""}, "description", "请填写情况描述"),
        ({"title": ""}, "title", "请填写举报事由"),
    ],
)
def test_bad_reports_name_the_field_and_save_nothing(world, client, overrides, field, words):
    data = report_data(world, reporter_name="王秀兰", reporter_phone="13803501234")
    data.update(overrides)
    response = client.post("/reports/new/", data)
    assert response.status_code == 200
    page = response.content.decode()
    error = re.search(rf'<p class="error" role="alert" data-field="{field}">([^<]*)</p>', page)
    assert error is not None and words in error.group(1), page[:3000]
    assert Case.objects.count() == 0 and ReporterIdentity.objects.count() == 0
    assert 'value="东关集市流动摊贩"' in page
    assert 'data-testid="files-dropped"' not in page  # no files were chosen


def test_nav_and_home_link_to_the_intake(world, client, login):
    page = client.get("/").content.decode()
    for link in ('href="/complaints/new/"', 'href="/reports/new/"', 'href="/track/"'):
        assert link in page
    assert 'href="/my/complaints/"' not in page
    assert 'href="/my/complaints/"' in login(world.holder_user).get("/").content.decode()


def test_confirmation_page_lists_unit_and_attachment_count(world, login):
    right = verified_right(world)
    client = login(world.holder_user)
    data = complaint_data(world, right)
    data["attachments"] = [
        SimpleUploadedFile("a.png", PNG, content_type="image/png"),
        SimpleUploadedFile("b.png", PNG + b"\x00", content_type="image/png"),
    ]
    response = client.post("/complaints/new/", data)
    page = client.get(response["Location"]).content.decode()
    assert "保德县市场监督管理局" in page and "2 个文件" in page
    assert Attachment.objects.filter(case__right=right).count() == 2
