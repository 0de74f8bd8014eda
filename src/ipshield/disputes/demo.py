"""Demo data of dispute resolution, loaded by ``ipshield.demo.load`` (idempotently: nothing is
created twice and a second run writes no audit event).

The county's people's mediation committee (保德县人民调解委员会, with the demo mediator 冀文秀),
an IP-dispute people's mediation committee, the market bureau's administrative mediation, the
county court and the Xinzhou arbitration commission; four mediators with their specialties, a
declared conflict of interest, a mediation-first rule for trade-mark complaints in the county,
and disputes in the states the lifecycle reaches without signatures, each created through the
services as people would. Returns the new demo logins (a judge, an arbitration commission's
clerk and a respondent) for the printed table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from ipshield.accounts import services as accounts
from ipshield.accounts.models import Region, Unit, UnitKind
from ipshield.accounts.roles import Role
from ipshield.disputes import directory, services
from ipshield.disputes.models import (
    ClusterRule,
    Conflict,
    Dispute,
    DisputeSource,
    Mediator,
    Organisation,
    OrganisationKind,
)

__all__ = ["load"]

BAODE = "140931"
XINZHOU = "140900"
PEOPLES = "保德县人民调解委员会"
IP_COMMITTEE = "保德县知识产权纠纷人民调解委员会"
MARKET = "保德县市场监督管理局"
COURT = "保德县人民法院"
COMMISSION = "忻州仲裁委员会"
JUSTICE = "保德县司法局"
RESPONDENT_PHONE = "13900001616"
RESPONDENT_NAME = "保德县恒通商贸有限公司"


@dataclass(frozen=True)
class _Person:
    username: str
    display_name: str
    role: str
    unit: str | None
    title: str
    password: str | None = None
    phone: str = ""


# Demo logins, printed with the others.
LOGINS = (
    _Person("judge", "贾晓琳", Role.CASE_OFFICER, COURT, "立案庭法官", "Baode-judge-2026"),
    _Person(
        "arbitrator",
        "曹志远",
        Role.CASE_OFFICER,
        COMMISSION,
        "仲裁委秘书处办案秘书",
        "Xinzhou-arbitration-2026",
    ),
    _Person(
        "respondent",
        "王海涛",
        Role.PUBLIC,
        None,
        "",
        "Baode-respondent-2026",
        RESPONDENT_PHONE,
    ),
)
# Mediators of the IP committee, without a demo login.
STAFF = (
    _Person("med_ip1", "白云峰", Role.MEDIATOR, IP_COMMITTEE, "专职调解员（退休法官）"),
    _Person("med_ip2", "康丽娜", Role.MEDIATOR, IP_COMMITTEE, "兼职调解员（专利代理师）"),
    _Person("med_ip_lead", "闫志明", Role.UNIT_LEADER, IP_COMMITTEE, "调委会主任"),
)


def _unit(
    name: str, kind: str, region: Region, parent: Unit | None = None, short: str = ""
) -> Unit:
    unit = Unit.objects.filter(name=name).first()
    if unit is None:
        unit = accounts.unit_create(
            actor=None, name=name, kind=kind, region=region, parent=parent, short_name=short
        )
    return unit


def _person(spec: _Person, units: dict[str, Unit]) -> Any:
    user = get_user_model().objects.filter(username=spec.username).first()
    if user is None:
        return accounts.person_create(
            actor=None,
            username=spec.username,
            display_name=spec.display_name,
            roles=[spec.role],
            unit=units[spec.unit] if spec.unit else None,
            password=spec.password,
            title=spec.title,
            phone=spec.phone,
        )
    if spec.password:
        user.set_password(spec.password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
    return user


def _organisation(admin: Any, unit: Unit, kind: str, **values: Any) -> Organisation:
    existing = Organisation.objects.filter(unit=unit).first()
    if existing is not None:
        return existing
    return directory.organisation_save(actor=admin, unit=unit, kind=kind, **values)


def _mediator(admin: Any, user: Any, organisation: Organisation, **values: Any) -> Mediator:
    existing = Mediator.objects.filter(user=user).first()
    if existing is not None:
        return existing
    return directory.mediator_save(actor=admin, user=user, organisation=organisation, **values)


def load(*, users: dict[str, Any]) -> list[Any]:
    """Load the dispute demo; returns the new demo logins (``ipshield.demo.DemoLogin``)."""
    from ipshield.demo import DemoLogin

    admin = users["admin"]
    county = Region.objects.get(code=BAODE)
    units = {
        PEOPLES: Unit.objects.get(name=PEOPLES),
        MARKET: Unit.objects.get(name=MARKET),
        COURT: Unit.objects.get(name=COURT),
        IP_COMMITTEE: _unit(
            IP_COMMITTEE,
            UnitKind.MEDIATION,
            county,
            Unit.objects.filter(name=JUSTICE).first(),
            "县知识产权调委会",
        ),
        COMMISSION: _unit(
            COMMISSION,
            UnitKind.OTHER_DEPARTMENT,
            Region.objects.get(code=XINZHOU),
            short="忻州仲裁委",
        ),
    }
    people = {spec.username: _person(spec, units) for spec in (*LOGINS, *STAFF)}

    peoples = _organisation(
        admin,
        units[PEOPLES],
        OrganisationKind.PEOPLES,
        video_link="https://meeting.example.gov.cn/baode/tiaojie",
        address="保德县东关镇人民调解中心一楼调解室",
    )
    ip = _organisation(
        admin,
        units[IP_COMMITTEE],
        OrganisationKind.PEOPLES,
        video_link="https://meeting.example.gov.cn/baode/zhichan",
        address="保德县市场监督管理局知识产权维权援助工作站",
    )
    _organisation(
        admin,
        units[MARKET],
        OrganisationKind.ADMINISTRATIVE,
        address="保德县市场监督管理局三楼调解室",
        accepts_online=False,
    )
    _organisation(admin, units[COURT], OrganisationKind.COURT, address="保德县人民法院诉讼服务中心")
    _organisation(
        admin, units[COMMISSION], OrganisationKind.ARBITRATION, address="忻州市仲裁委员会"
    )

    ji = _mediator(
        admin,
        users["mediator"],
        peoples,
        name="冀文秀",
        title="专职人民调解员",
        specialties=["trademark", "copyright"],
        industries=["红枣食品", "商贸零售"],
        region=county,
        max_load=15,
    )
    bai = _mediator(
        admin,
        people["med_ip1"],
        ip,
        name="白云峰",
        title="专职调解员（退休法官）",
        specialties=["trademark", "patent_invention", "patent_utility", "trade_secret"],
        industries=["机械制造", "煤炭"],
        region=county,
        max_load=10,
    )
    kang = _mediator(
        admin,
        people["med_ip2"],
        ip,
        name="康丽娜",
        title="兼职调解员（专利代理师）",
        specialties=["patent_invention", "patent_utility", "patent_design"],
        industries=["农业机械"],
        region=county,
        max_load=6,
    )
    _mediator(
        admin,
        people["med_ip_lead"],
        ip,
        name="闫志明",
        title="调委会主任",
        specialties=["trademark", "geographical_indication", "plant_variety"],
        industries=["红枣", "农产品"],
        region=county,
        available=False,
        max_load=4,
    )
    if not Conflict.objects.filter(mediator=kang).exists():
        directory.conflict_declare(
            actor=kang.user,
            mediator=kang,
            name="保德县黄河农机制造有限公司",
            reason="曾为该公司代理专利申请",
        )
    # TODO(recommend): through the cluster-rule service once wt-recommend's is merged.
    ClusterRule.objects.get_or_create(
        region=county,
        right_kind="trademark",
        defaults={"threshold": 5, "window_days": 30, "organisation": ip},
    )

    _load_disputes(
        users=users, people=people, peoples=peoples, ip=ip, ji=ji, bai=bai, county=county
    )

    return [
        DemoLogin(
            role=str(spec.role),
            username=spec.username,
            password=spec.password or "",
            display_name=spec.display_name,
            unit=spec.unit or "",
        )
        for spec in LOGINS
    ]


def _load_disputes(
    *,
    users: dict[str, Any],
    people: dict[str, Any],
    peoples: Organisation,
    ip: Organisation,
    ji: Mediator,
    bai: Mediator,
    county: Region,
) -> None:
    holder, respondent = users["holder"], people["respondent"]
    existing = set(Dispute.objects.values_list("title", flat=True))

    def online(title: str, organisation: Organisation, **kw: Any) -> Dispute | None:
        if title in existing:
            return None
        data = {
            "actor": holder,
            "organisation": organisation,
            "title": title,
            "facts": kw.pop("facts"),
            "right_kind": kw.pop("right_kind", "trademark"),
            "region": county,
            "claims": kw.pop("claims"),
            "respondents": [{"name": RESPONDENT_NAME, "phone": RESPONDENT_PHONE}],
            "industry": kw.pop("industry", "红枣食品"),
        }
        return services.dispute_apply(**data, **kw)

    # 1. applied, waiting for the organisation
    online(
        "“黄河红”红枣礼盒商标侵权纠纷",
        peoples,
        facts="被申请人在县城商业街门店销售使用“黄河红”字样的红枣礼盒，与申请人注册商标近似。",
        claims=[
            {"text": "停止销售侵权礼盒", "amount": ""},
            {"text": "赔偿损失", "amount": "30000"},
        ],
    )
    # 2. accepted, waiting for the respondent's consent
    d = online(
        "红枣包装装潢近似纠纷",
        ip,
        facts="被申请人的红枣包装与申请人知名商品的包装装潢近似，易使消费者混淆。",
        claims=[{"text": "更换包装", "amount": ""}, {"text": "赔偿损失", "amount": "20000"}],
    )
    if d is not None:
        services.dispute_accept(actor=people["med_ip1"], dispute=d)
    # 3. mediating with 冀文秀
    d = online(
        "枣夹核桃商标许可使用费纠纷",
        peoples,
        facts="双方曾签订商标许可合同，许可期满后被申请人继续使用商标，对许可使用费有争议。",
        claims=[{"text": "支付许可使用费", "amount": "45000"}],
    )
    if d is not None:
        services.dispute_accept(actor=users["mediator"], dispute=d)
        services.dispute_consent(actor=respondent, dispute=d, consent=True)
        services.dispute_assign(actor=users["mediator"], dispute=d, mediator=ji)
    # 4. failed: guidance to litigation or administrative handling (entrusted by the court;
    # the parties have no accounts, the committee records the respondent's consent)
    title = "网店图片著作权纠纷（诉前委派）"
    if title not in existing:
        d = services.dispute_apply(
            actor=people["judge"],
            organisation=peoples,
            title=title,
            facts="原告诉称被告网店未经许可使用其拍摄的红枣产品图片，法院立案前委派调解。",
            right_kind="copyright",
            region=county,
            claims=[{"text": "删除图片并赔偿", "amount": "8000"}],
            applicant={"name": "刘建平", "is_person": True, "phone": ""},
            respondents=[{"name": "保德县枣乡人家电子商务有限公司", "phone": ""}],
            source=DisputeSource.COURT,
            court=Unit.objects.get(name=COURT),
            court_reference="（2026）晋0931诉前调2号",
            industry="电子商务",
        )
        services.dispute_accept(actor=users["mediator"], dispute=d)
        services.dispute_consent(
            actor=users["mediator"],
            dispute=d,
            consent=True,
            party_id=d.parties.get(side="respondent").pk,
        )
        services.dispute_assign(actor=users["mediator"], dispute=d, mediator=ji)
        services.dispute_fail(
            actor=users["mediator"],
            dispute=d,
            reason="双方对赔偿数额分歧较大，经两次调解未能达成协议。",
        )
    # 5. the respondent refused mediation
    d = online(
        "红枣干果店招牌商标纠纷",
        ip,
        facts="被申请人店铺招牌使用与申请人注册商标相同的文字。",
        claims=[{"text": "更换招牌", "amount": ""}],
    )
    if d is not None:
        services.dispute_accept(actor=people["med_ip1"], dispute=d)
        services.dispute_consent(
            actor=respondent, dispute=d, consent=False, reason="招牌系合法取得的字号，不同意调解。"
        )
    # 6. entrusted by the court before filing (诉前委派), mediating with 白云峰
    title = "实用新型专利侵权纠纷（诉前委派）"
    if title not in existing:
        d = services.dispute_apply(
            actor=people["judge"],
            organisation=ip,
            title=title,
            facts="原告诉称被告制造、销售的红枣去核机落入其实用新型专利权保护范围，法院立案前委派调解。",
            right_kind="patent_utility",
            region=county,
            claims=[
                {"text": "停止制造、销售", "amount": ""},
                {"text": "赔偿损失", "amount": "120000"},
            ],
            applicant={"name": "保德县枣乡机械有限公司", "phone": ""},
            respondents=[{"name": "保德县黄河农机制造有限公司", "phone": ""}],
            source=DisputeSource.COURT,
            court=Unit.objects.get(name=COURT),
            court_reference="（2026）晋0931诉前调1号",
            industry="农业机械",
        )
        services.dispute_accept(actor=people["med_ip1"], dispute=d)
        respondent_party = d.parties.get(side="respondent")
        services.dispute_consent(
            actor=people["med_ip1"], dispute=d, consent=True, party_id=respondent_party.pk
        )
        services.dispute_assign(actor=people["med_ip1"], dispute=d, mediator=bai)
    load_signed(users=users, people=people)


SIGNED_TITLE = "“保德红枣”注册商标侵权纠纷"
SIGNED_TERMS = (
    "一、被申请人于本协议生效之日起十日内赔偿申请人经济损失及合理开支共计人民币二万五千元，"
    "汇入申请人指定账户。\n"
    "二、被申请人自本协议生效之日起停止销售标有“保德红枣”字样的侵权礼盒，库存商品交由申请人处理。\n"
    "三、申请人放弃其他请求。"
)
DEMO_PHONES = {"holder": "13800001818", "mediator": "13700001212"}


def _phone(user: Any, phone: str) -> None:
    """Signing needs a phone or an e-mail for the one-time code."""
    profile = getattr(user, "profile", None)
    if profile is not None and not profile.phone:
        profile.phone = phone
        profile.save(update_fields=["phone"])


def _sign(user: Any, dispute: Dispute) -> None:
    """Sign as the person would: ask for the code, read it from the notice that carries it
    (before the worker sends and scrubs it), sign with it."""
    from ipshield.accounts.models import Notification
    from ipshield.disputes import signing

    signing.sign_code_send(actor=user, dispute=dispute)
    notice = Notification.objects.filter(user=user, kind="dispute.sign_code").latest("pk")
    signing.agreement_sign(actor=user, dispute=dispute, code=notice.params["code"])


def load_signed(*, users: dict[str, Any], people: dict[str, Any]) -> None:
    """A dispute walked to the end through the services: mediated, the agreement signed by
    both parties and the mediator with one-time codes, judicial confirmation applied for
    jointly and confirmed by the judge, and the agreement performed."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from ipshield.disputes import signing

    if Dispute.objects.filter(title=SIGNED_TITLE).exists():
        return
    holder, respondent, mediator = users["holder"], people["respondent"], users["mediator"]
    for name, phone in DEMO_PHONES.items():
        _phone(users[name], phone)
    peoples = Organisation.objects.get(unit__name=PEOPLES)
    with transaction.atomic():
        dispute = services.dispute_apply(
            actor=holder,
            organisation=peoples,
            title=SIGNED_TITLE,
            facts="被申请人在其门店销售标有“保德红枣”字样的红枣礼盒，与申请人注册商标相同。",
            right_kind="trademark",
            region=Region.objects.get(code=BAODE),
            claims=[
                {"text": "停止销售侵权商品", "amount": ""},
                {"text": "赔偿经济损失及合理开支", "amount": "40000"},
            ],
            respondents=[{"name": RESPONDENT_NAME, "phone": RESPONDENT_PHONE}],
            industry="红枣食品",
        )
        services.dispute_accept(actor=mediator, dispute=dispute)
        services.dispute_consent(actor=respondent, dispute=dispute, consent=True)
        ji = Mediator.objects.get(user=mediator)
        services.dispute_assign(actor=mediator, dispute=dispute, mediator=ji)
        signing.agreement_draft(
            actor=mediator,
            dispute=dispute,
            text=SIGNED_TERMS,
            performance_due_on=timezone.localdate() + dt.timedelta(days=10),
        )
        for user in (holder, respondent, mediator):
            _sign(user, dispute)
        court = Unit.objects.get(name=COURT)
        services.confirmation_apply(actor=holder, dispute=dispute, court=court)
        services.confirmation_apply(actor=respondent, dispute=dispute)
        services.confirmation_accept(actor=people["judge"], dispute=dispute)
        services.confirmation_decide(
            actor=people["judge"],
            dispute=dispute,
            confirmed=True,
            ruling_number="（2026）晋0931民特3号",
            ruling_text="申请人之间经保德县人民调解委员会调解达成的调解协议有效。"
            "当事人应当按照调解协议的约定自觉履行义务；一方当事人拒绝履行或者未全部履行的，"
            "对方当事人可以向人民法院申请执行。",
        )
        services.performance_record(
            actor=holder, dispute=dispute, performed=True, note="赔偿款已到账，侵权礼盒已下架。"
        )
