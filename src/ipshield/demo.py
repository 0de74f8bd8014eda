"""Demo data: a county's IP-protection system, ready to click through.

:func:`load` builds 保德县 (Baode County, Shanxi) as its December 2020 implementation plan describes
it — the responsible units (责任单位) named across the plan's 23 measures and a leading group
(领导组) with the same shape as the plan's attachment, but with invented names — plus a corner of
Harbin, 200+ market entities with valid USCCs, 100+ IP rights in every kind and one login per role.

It is idempotent: a second run creates nothing new (every row is looked up by its natural key:
region code, unit name, username, USCC, right kind + number) and resets the demo logins'
passwords to the printed values. Changes of state go through the services, so the audit trail
reads as if the county had entered the data itself; system actions use ``actor=None``.

The data is generated from ``random.Random(2020)`` *before* the database is touched, so every run
produces exactly the same rows whatever is already stored.

>>> from ipshield.demo import load
>>> logins = load()  # doctest: +SKIP
>>> [login.username for login in logins][:2]  # doctest: +SKIP
['public', 'holder']
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation

from ipshield.accounts import services as accounts
from ipshield.accounts.models import (
    GroupPosition,
    LeadingGroup,
    Region,
    RegionLevel,
    Unit,
    UnitKind,
)
from ipshield.accounts.roles import Role, sync_role_groups
from ipshield.audit import events
from ipshield.credit import demo as credit_demo
from ipshield.disputes import demo as disputes_demo
from ipshield.engines import uscc as uscc_engine
from ipshield.engines.text import normalize_name
from ipshield.evaluation import demo as evaluation_demo
from ipshield.monitoring import demo as monitoring_demo
from ipshield.registry import services as registry
from ipshield.registry.models import (
    Entity,
    EntityKind,
    HolderKind,
    IPRight,
    RightKind,
    RightsHolder,
    RightStatus,
)
from ipshield.supervision import demo as supervision_demo

__all__ = ["DemoLogin", "format_logins", "load"]

SEED = 2020
URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class DemoLogin:
    """One demo account. ``unit`` is the person's unit; for the rights holder it is the
    enterprise they act for, and it is empty for the member of the public."""

    role: str
    username: str
    password: str
    display_name: str
    unit: str


# --------------------------------------------------------------------------------------------
# Regions and units
# --------------------------------------------------------------------------------------------

BAODE = "140931"
DAOLI = "230102"

# (code, name, level, parent code). Township codes are GB/T 10114: county code + 3 digits
# (1xx towns); the four towns' serials are approximate.
REGIONS: tuple[tuple[str, str, str, str | None], ...] = (
    ("140000", "山西省", RegionLevel.PROVINCE, None),
    ("140900", "忻州市", RegionLevel.CITY, "140000"),
    (BAODE, "保德县", RegionLevel.COUNTY, "140900"),
    ("140931100", "东关镇", RegionLevel.TOWNSHIP, BAODE),
    ("140931101", "义门镇", RegionLevel.TOWNSHIP, BAODE),
    ("140931102", "杨家湾镇", RegionLevel.TOWNSHIP, BAODE),
    ("140931103", "桥头镇", RegionLevel.TOWNSHIP, BAODE),
    ("230000", "黑龙江省", RegionLevel.PROVINCE, None),
    ("230100", "哈尔滨市", RegionLevel.CITY, "230000"),
    (DAOLI, "道里区", RegionLevel.COUNTY, "230100"),
    ("230103", "南岗区", RegionLevel.COUNTY, "230100"),
)
TOWNS = {
    "140931100": "东关镇",
    "140931101": "义门镇",
    "140931102": "杨家湾镇",
    "140931103": "桥头镇",
}

GOV = "保德县人民政府"
GOV_OFFICE = "保德县人民政府办公室"
PROPAGANDA = "中共保德县委宣传部"
CYBERSPACE = "中共保德县委网络安全和信息化委员会办公室"
STAFFING = "中共保德县委机构编制委员会办公室"
COURT = "保德县人民法院"
PROCURATORATE = "保德县人民检察院"
POLICE = "保德县公安局"
JUSTICE = "保德县司法局"
MARKET = "保德县市场监督管理局"
CULTURE = "保德县文化和旅游局"
AGRICULTURE = "保德县农业农村局"
NATURAL_RESOURCES = "保德县自然资源局"
FINANCE = "保德县财政局"
INDUSTRY = "保德县工业和信息化局"
EDUCATION = "保德县教育科技局"
HEALTH = "保德县卫生健康和体育局"
APPROVAL = "保德县行政审批服务管理局"
DEVELOPMENT = "保德县发展和改革局"
HUMAN_RESOURCES = "保德县人力资源和社会保障局"
MEDIA = "保德县融媒体中心"
PBOC = "中国人民银行保德县支行"
MEDIATION = "保德县人民调解委员会"
HLJ_MARKET = "黑龙江省市场监督管理局"
HRB_MARKET = "哈尔滨市市场监督管理局"
DAOLI_MARKET = "哈尔滨市道里区市场监督管理局"
DAOLI_POLICE = "哈尔滨市公安局道里分局"
HRB_IP_COURT = "哈尔滨知识产权法庭"


@dataclass(frozen=True)
class _UnitSpec:
    name: str
    short_name: str
    kind: str
    region: str
    parent: str | None = None
    document_prefix: str = ""  # 处罚文书字号


# Parents come before children. County bureaus report to the county government; the Party
# offices, the court, the procuratorate and the central-bank branch do not.
UNITS: tuple[_UnitSpec, ...] = (
    _UnitSpec(GOV, "县政府", UnitKind.GOVERNMENT, BAODE),
    _UnitSpec(GOV_OFFICE, "县政府办", UnitKind.OTHER_DEPARTMENT, BAODE, GOV),
    _UnitSpec(PROPAGANDA, "县委宣传部", UnitKind.PARTY, BAODE),
    _UnitSpec(CYBERSPACE, "县委网信办", UnitKind.PARTY, BAODE, PROPAGANDA),
    _UnitSpec(STAFFING, "县编办", UnitKind.PARTY, BAODE),
    _UnitSpec(COURT, "县法院", UnitKind.COURT, BAODE),
    _UnitSpec(PROCURATORATE, "县检察院", UnitKind.PROCURATORATE, BAODE),
    _UnitSpec(POLICE, "县公安局", UnitKind.POLICE, BAODE, GOV),
    _UnitSpec(JUSTICE, "县司法局", UnitKind.JUSTICE, BAODE, GOV),
    _UnitSpec(MARKET, "县市场局", UnitKind.MARKET_SUPERVISION, BAODE, GOV, "保市监处罚"),
    _UnitSpec(CULTURE, "县文旅局", UnitKind.CULTURE_TOURISM, BAODE, GOV, "保文旅罚"),
    _UnitSpec(AGRICULTURE, "县农业农村局", UnitKind.AGRICULTURE, BAODE, GOV),
    _UnitSpec(NATURAL_RESOURCES, "县自然资源局", UnitKind.NATURAL_RESOURCES, BAODE, GOV),
    _UnitSpec(FINANCE, "县财政局", UnitKind.OTHER_DEPARTMENT, BAODE, GOV),
    _UnitSpec(INDUSTRY, "县工信局", UnitKind.OTHER_DEPARTMENT, BAODE, GOV),
    _UnitSpec(EDUCATION, "县教科局", UnitKind.OTHER_DEPARTMENT, BAODE, GOV),
    _UnitSpec(HEALTH, "县卫健体局", UnitKind.OTHER_DEPARTMENT, BAODE, GOV),
    _UnitSpec(APPROVAL, "县行政审批局", UnitKind.OTHER_DEPARTMENT, BAODE, GOV),
    _UnitSpec(DEVELOPMENT, "县发改局", UnitKind.OTHER_DEPARTMENT, BAODE, GOV),
    _UnitSpec(HUMAN_RESOURCES, "县人社局", UnitKind.OTHER_DEPARTMENT, BAODE, GOV),
    _UnitSpec(MEDIA, "县融媒体中心", UnitKind.OTHER_DEPARTMENT, BAODE, PROPAGANDA),
    _UnitSpec(PBOC, "人行保德支行", UnitKind.OTHER_DEPARTMENT, BAODE),
    *(
        _UnitSpec(f"保德县{town}人民政府", f"{town}政府", UnitKind.TOWNSHIP, code, GOV)
        for code, town in TOWNS.items()
    ),
    _UnitSpec(MEDIATION, "县人调委", UnitKind.MEDIATION, BAODE, JUSTICE),
    _UnitSpec(HLJ_MARKET, "省市场监管局", UnitKind.MARKET_SUPERVISION, "230000"),
    _UnitSpec(HRB_MARKET, "哈市市场监管局", UnitKind.MARKET_SUPERVISION, "230100", HLJ_MARKET),
    _UnitSpec(DAOLI_MARKET, "道里区市场局", UnitKind.MARKET_SUPERVISION, DAOLI, HRB_MARKET),
    _UnitSpec(DAOLI_POLICE, "道里公安分局", UnitKind.POLICE, DAOLI),
    _UnitSpec(HRB_IP_COURT, "哈尔滨知产法庭", UnitKind.COURT, "230100"),
)

# --------------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PersonSpec:
    username: str
    display_name: str
    role: str
    unit: str | None
    title: str = ""
    password: str | None = None


# One login per role, in the Role enum's order, plus two more case officers so that unit
# scoping is visible (each sees only their own unit's rights). Passwords are readable but pass
# Django's validators; all names are invented.
LOGINS: tuple[_PersonSpec, ...] = (
    _PersonSpec("public", "刘晓光", Role.PUBLIC, None, "", "Baode-public-2026"),
    _PersonSpec("holder", "郝建军", Role.RIGHTS_HOLDER, None, "法定代表人", "Baode-holder-2026"),
    _PersonSpec(
        "officer", "张晓峰", Role.CASE_OFFICER, MARKET, "知识产权股科员", "Baode-officer-2026"
    ),
    _PersonSpec(
        "officer2",
        "王丽华",
        Role.CASE_OFFICER,
        CULTURE,
        "文化市场综合执法队队员",
        "Baode-culture-2026",
    ),
    _PersonSpec(
        "officer_hrb",
        "孙博文",
        Role.CASE_OFFICER,
        DAOLI_MARKET,
        "知识产权科科员",
        "Harbin-officer-2026",
    ),
    _PersonSpec("police", "高志强", Role.CASE_OFFICER, POLICE, "经侦大队民警", "Baode-police-2026"),
    _PersonSpec(
        "reviewer", "李慧芳", Role.LEGAL_REVIEWER, MARKET, "法规股股长", "Baode-reviewer-2026"
    ),
    _PersonSpec(
        "leader",
        "赵建军",
        Role.UNIT_LEADER,
        MARKET,
        "副局长（分管知识产权）",
        "Baode-leader-2026",
    ),
    _PersonSpec(
        "reviewer2",
        "马丽娟",
        Role.LEGAL_REVIEWER,
        CULTURE,
        "政策法规股股长",
        "Baode-reviewer2-2026",
    ),
    _PersonSpec("leader2", "武志刚", Role.UNIT_LEADER, CULTURE, "副局长", "Baode-leader2-2026"),
    _PersonSpec(
        "member", "常建英", Role.LEADING_GROUP_MEMBER, MARKET, "主任科员", "Baode-member-2026"
    ),
    _PersonSpec(
        "mediator", "冀文秀", Role.MEDIATOR, MEDIATION, "专职人民调解员", "Baode-mediator-2026"
    ),
    _PersonSpec(
        "auditor", "郑国平", Role.AUDITOR, JUSTICE, "行政执法监督股股长", "Baode-auditor-2026"
    ),
    _PersonSpec("admin", "韩磊", Role.SYSADMIN, MARKET, "信息中心工程师", "Baode-admin-2026"),
)
SYSADMIN_USERNAME = "admin"

# Staff without a demo login: someone at the agriculture bureau verifies plant varieties.
OTHER_STAFF: tuple[_PersonSpec, ...] = (
    _PersonSpec("officer_agri", "马玉林", Role.CASE_OFFICER, AGRICULTURE, "种子管理站站长"),
)

# The leading group: the shape of the plan's attachment (a deputy county head leads, two
# deputies, about twenty members, the market bureau head also heads the office) with invented
# names. (position, username, display name, title, unit); "member" is the demo login.
LEADING_GROUP_NAME = "保德县知识产权发展和保护领导组"
_OFFICE_HEAD = "lg03"
SEATS: tuple[tuple[str, str, str, str, str], ...] = (
    (GroupPosition.LEADER, "lg01", "贺振东", "县政府副县长", GOV),
    (GroupPosition.DEPUTY, "lg02", "温雅琴", "县政府办副主任", GOV_OFFICE),
    (GroupPosition.DEPUTY, _OFFICE_HEAD, "秦立峰", "县市场监督管理局局长", MARKET),
    (GroupPosition.MEMBER, "lg04", "苗春生", "县委宣传部常务副部长", PROPAGANDA),
    (GroupPosition.MEMBER, "lg05", "乔慧敏", "县委宣传部副部长、县委网信办主任", CYBERSPACE),
    (GroupPosition.MEMBER, "lg06", "吕国栋", "县编办主任科员", STAFFING),
    (GroupPosition.MEMBER, "lg07", "段文博", "县法院副院长", COURT),
    (GroupPosition.MEMBER, "lg08", "邬晓燕", "县检察院副检察长", PROCURATORATE),
    (GroupPosition.MEMBER, "lg09", "杜志刚", "县发改局局长", DEVELOPMENT),
    (GroupPosition.MEMBER, "lg10", "任俊峰", "县教育科技局局长", EDUCATION),
    (GroupPosition.MEMBER, "lg11", "孙海龙", "县工信局局长", INDUSTRY),
    (GroupPosition.MEMBER, "lg12", "牛建华", "县公安局政委", POLICE),
    (GroupPosition.MEMBER, "lg13", "侯志宏", "县司法局局长", JUSTICE),
    (GroupPosition.MEMBER, "lg14", "裴丽萍", "县财政局局长", FINANCE),
    (GroupPosition.MEMBER, "lg15", "贾永胜", "县人社局局长", HUMAN_RESOURCES),
    (GroupPosition.MEMBER, "lg16", "田学军", "县自然资源局局长", NATURAL_RESOURCES),
    (GroupPosition.MEMBER, "lg17", "武振华", "县农业农村局局长", AGRICULTURE),
    (GroupPosition.MEMBER, "lg18", "岳红梅", "县文旅局局长", CULTURE),
    (GroupPosition.MEMBER, "lg19", "崔占奎", "县卫健体局局长", HEALTH),
    (GroupPosition.MEMBER, "lg20", "薛晓东", "县行政审批局局长", APPROVAL),
    (GroupPosition.MEMBER, "lg21", "阎静", "县融媒体中心主任", MEDIA),
    (GroupPosition.MEMBER, "member", "常建英", "县市场局主任科员", MARKET),
    (GroupPosition.MEMBER, "lg23", "樊国庆", "人民银行保德县支行行长", PBOC),
    (GroupPosition.OFFICE_DIRECTOR, _OFFICE_HEAD, "秦立峰", "县市场监督管理局局长", MARKET),
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Names in the source document's roster: generated names must never coincide with them.
_REAL_NAMES = frozenset(
    _words(
        "白侯平 刘颖洁 陈广荣 冯云 王丽娟 张志勇 韩志彪 高明明 张文升 党存升 孟鹏程 杨大勇 白建平 "
        "张洁 康晓钟 于昕元 赵永进 张秉慧 郭兴田 杨新东 赵丹 姜应林 宫元生"
    )
)

# --------------------------------------------------------------------------------------------
# Word lists for entities and rights
# --------------------------------------------------------------------------------------------

_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡"
    "贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟段雷"
    "乔贺武常温樊苗岳裴牛冀"
)
# Two-character given names, and a few one-character ones.
_GIVEN = _words(
    "建国 志强 海军 晓燕 丽娟 秀英 玉兰 桂芳 文华 俊峰 明亮 红梅 永红 春生 宏伟 立新 学军 卫东 "
    "小平 振华 雪梅 淑珍 瑞霞 凤英 国庆 建平 金凤 晓东 利民 彩霞 爱萍 树林 锦涛 德胜 福才 慧敏 "
    "志刚 海燕 丽萍 俊杰 鹏飞 晓丽 婷婷 建华 玉梅 永刚 文斌 亚楠 磊 伟 芳 静 强 军 敏 杰 涛 勇 "
    "艳 娜 斌 霞 鹏"
)

_BAODE_BRANDS = _words(
    "鑫源 晋丰 瑞丰 天桥 黄河 富民 宏达 顺通 德胜 永盛 金泰 华盛 恒昌 兴旺 隆泰 福源 盛达 "
    "佳禾 泰和 丰裕 润田 康宁 惠民 祥瑞 晋阳 河畔 昌盛 新禾 裕丰 诚信 鼎盛 聚源 嘉禾 汇通 "
    "沃土 绿源 枣乡 乡韵 塬上 金穗"
)
_HRB_BRANDS = _words(
    "冰城 北疆 松江 龙江 雪原 太阳岛 中央 金桥 华锐 恒信 博远 启航 北辰 极光 汇智 天鹅 鼎新 "
    "睿思 云帆 森林 索菲亚 江畔"
)


@dataclass(frozen=True)
class _Trade:
    word: str
    scope: str
    classes: tuple[int, ...]
    patents: tuple[str, ...] = ()


_BAODE_TRADES = (
    _Trade(
        "红枣食品",
        "红枣及干果制品加工、销售；预包装食品销售。",
        (29, 30, 31, 35),
        ("一种红枣去核装置", "一种红枣烘干设备", "一种红枣切片机", "一种醉枣的制备方法"),
    ),
    _Trade(
        "食品",
        "食品生产、销售；农副产品收购、加工。",
        (29, 30, 35),
        ("一种枣夹核桃成型装置", "一种小米锅巴生产线"),
    ),
    _Trade(
        "农产品开发",
        "农产品种植、收购、初加工及销售；小杂粮加工。",
        (30, 31, 35),
        ("一种农产品分拣输送装置", "一种小米清洗装置"),
    ),
    _Trade(
        "海红果饮品",
        "果汁饮料、果酒生产、销售。",
        (32, 33, 35),
        ("一种海红果汁的制备方法", "一种海红果醋及其制备方法", "一种果汁灌装装置"),
    ),
    _Trade("商贸", "日用百货、五金交电、建材销售；预包装食品销售。", (35,)),
    _Trade(
        "建材",
        "建筑材料生产、销售；煤矸石烧结砖生产。",
        (19, 35),
        ("一种煤矸石砖成型模具", "一种砌块养护装置"),
    ),
    _Trade("物流", "普通货物道路运输；仓储服务（不含危险化学品）。", (39,)),
    _Trade("餐饮管理", "餐饮服务；餐饮企业管理。", (43, 35)),
    _Trade("文化传媒", "广告设计、制作、发布；文化艺术交流活动策划。", (35, 41)),
    _Trade(
        "农业科技",
        "农业技术推广服务；种子、种苗销售。",
        (31, 42, 44),
        ("一种土壤墒情监测装置", "一种枣树修剪工具", "一种果园滴灌系统"),
    ),
    _Trade("酒业", "白酒、果酒生产、销售。", (33,), ("一种枣酒发酵罐",)),
    _Trade("小杂粮", "杂粮收购、加工、销售。", (30, 31), ("一种杂粮脱壳机",)),
    _Trade("羊肉制品", "畜禽屠宰；肉制品加工、销售。", (29,), ("一种羊肉分割台",)),
)
_HRB_TRADES = (
    _Trade(
        "科技",
        "计算机软硬件技术开发、技术服务；电子产品销售。",
        (9, 42),
        ("一种基于图像识别的商品核验方法", "一种冷链物流温度监控系统"),
    ),
    _Trade(
        "网络科技",
        "互联网信息服务；网络技术开发；电子商务平台运营。",
        (9, 35, 42),
        ("一种网店商品图片相似度检测方法",),
    ),
    _Trade("食品", "食品生产、销售。", (29, 30), ("一种速冻饺子成型机",)),
    _Trade("肉制品", "肉制品加工、销售。", (29,), ("一种红肠熏制炉", "一种肠衣灌装装置")),
    _Trade("乳业", "乳制品生产、销售。", (29, 32), ("一种乳制品灌装装置",)),
    _Trade("商贸", "日用百货、服装鞋帽、预包装食品销售。", (35,)),
    _Trade("文化传媒", "广告设计、制作；文化艺术交流活动策划。", (35, 41)),
    _Trade(
        "冰雪旅游",
        "旅游信息咨询；冰雪景观设计、施工。",
        (39, 41),
        ("一种冰雪景观照明装置",),
    ),
    _Trade("生物科技", "生物技术开发；保健食品销售。", (5, 42), ("一种黑木耳多糖提取方法",)),
    _Trade("服饰", "服装、鞋帽设计、生产、销售。", (25, 35)),
)
_DESIGNS = (
    "包装盒（红枣礼盒）",
    "包装袋（小米）",
    "酒瓶（海红果酒）",
    "标贴（枣夹核桃）",
    "包装罐（干果）",
    "礼品盒（杂粮）",
)
_HRB_DESIGNS = ("包装盒（红肠）", "包装袋（速冻水饺）", "冰箱贴（冰雪大世界）")
_TM_SUFFIXES = ("", "香", "园", "坊", "人家", "缘", "记", "源", "情", "湾")
_SHOP_BRANDS = _words(
    "老郝 小李 福顺 宏运 家家乐 好又多 惠万家 兴隆 红红 明亮 金福 鑫鑫 平安 阳光 便民 万家 "
    "利民 益民 顺心 如意 聚福 德兴"
)
_SHOP_KINDS = _words(
    "便利店 百货店 超市 烟酒店 干果店 面馆 服装店 五金店 手机店 红枣专卖店 饭店 农资店"
)
_BAODE_STREETS = {
    "140931100": ("新区路", "府前街", "滨河路", "建设路", "迎宾大道", "黄河大街"),
    "140931101": ("义门街", "政府街", "通港路"),
    "140931102": ("杨家湾正街", "沿河路"),
    "140931103": ("桥头街", "天桥路"),
}
_VILLAGES = ("冯家川", "林遮峪", "花园子", "康家滩", "韩家川", "腰庄", "土崖塔", "南河沟", "窑洼")
_HRB_STREETS = {
    DAOLI: ("中央大街", "经纬街", "新阳路", "安静街", "友谊路", "抚顺街", "西十二道街"),
    "230103": ("西大直街", "红军街", "学府路", "果戈里大街", "和兴路", "中山路"),
}
_HRB_DISTRICTS = {DAOLI: "道里区", "230103": "南岗区"}
_REJECTION_REASONS = (
    "注册号与公告信息不符，请核对后重新提交。",
    "权利人名称与证书记载不一致。",
    "未提供权利证书扫描件。",
    "证书已超过有效期。",
)

# --------------------------------------------------------------------------------------------
# Generated specs (pure data, built before the database is touched)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _EntitySpec:
    uscc: str
    name: str
    kind: str
    legal_representative: str
    address: str
    region: str
    business_scope: str
    established_on: dt.date
    brand: str = ""
    trade: _Trade | None = None


@dataclass(frozen=True)
class _RightSpec:
    kind: str
    number: str
    title: str
    status: str
    nice_classes: tuple[int, ...] = ()
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    reason: str = ""


@dataclass
class _HolderSpec:
    name: str
    kind: str
    region: str
    entity_uscc: str | None = None
    phone: str = ""
    rights: list[_RightSpec] = field(default_factory=list)


@dataclass
class _Data:
    entities: list[_EntitySpec]
    holder_entity: _EntitySpec
    holder_rights: list[_RightSpec]
    holders: list[_HolderSpec]


def _uscc(rng: random.Random, *, second: str, region: str, year: int) -> str:
    # Codes issued since 2016 mostly look like 91140931MA0K…; older ones carry the numeric
    # organisation code.
    if year >= 2016:
        body = "MA0" + "".join(rng.choice(uscc_engine.ALPHABET) for _ in range(6))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(9))
    first17 = "9" + second + region[:6] + body
    return first17 + uscc_engine.check_digit(first17)


def _patent_number(year: int, kind_digit: int, serial: int) -> str:
    """``ZL`` + 12-digit application number + ``.`` + check (weights 2–9, 2–5, mod 11)."""
    digits = f"{year}{kind_digit}{serial:07d}"
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    check = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return f"ZL{digits}.{'X' if check == 10 else check}"


# right kind: (type digit in the application number, first filing year, term in years)
_PATENT_TYPES: dict[str, tuple[int, int, int]] = {
    RightKind.PATENT_INVENTION: (1, 2010, 20),
    RightKind.PATENT_UTILITY: (2, 2017, 10),
    RightKind.PATENT_DESIGN: (3, 2017, 15),
}


def _add_years(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year + years) - dt.timedelta(days=1)


class _Generator:
    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)  # noqa: S311 — reproducible demo data, not a secret
        self.names: set[str] = set()  # normalised entity names
        self.codes: set[str] = set()
        # Generated names never repeat the document's real names or the demo staff's names.
        self.people: set[str] = {
            *_REAL_NAMES,
            *(p.display_name for p in (*LOGINS, *OTHER_STAFF)),
            *(seat[2] for seat in SEATS),
        }
        self.numbers: set[tuple[str, str]] = set()

    # -- small pieces ------------------------------------------------------------------------

    def date(self, first_year: int, last_year: int) -> dt.date:
        r = self.rng
        return dt.date(r.randint(first_year, last_year), r.randint(1, 12), r.randint(1, 28))

    def person(self) -> str:
        while True:
            r = self.rng
            name = r.choice(_SURNAMES) + r.choice(_GIVEN)
            if name not in self.people:
                self.people.add(name)
                return name

    def phone(self) -> str:
        digits = "".join(self.rng.choice("0123456789") for _ in range(9))
        return "1" + self.rng.choice("35789") + digits

    def code(self, *, second: str, region: str, year: int) -> str:
        while True:
            code = _uscc(self.rng, second=second, region=region, year=year)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def claim_name(self, name: str) -> bool:
        key = normalize_name(name)
        if key in self.names:
            return False
        self.names.add(key)
        return True

    def entity(
        self,
        name: str,
        *,
        kind: str = EntityKind.ENTERPRISE,
        second: str = "1",
        region: str,
        address: str,
        scope: str,
        brand: str = "",
        trade: _Trade | None = None,
    ) -> _EntitySpec:
        founded = self.date(2004, 2024)
        return _EntitySpec(
            uscc=self.code(second=second, region=region, year=founded.year),
            name=name,
            kind=kind,
            legal_representative=self.person(),
            address=address,
            region=region,
            business_scope=scope,
            established_on=founded,
            brand=brand,
            trade=trade,
        )

    def status(self) -> str:
        roll = self.rng.random()
        if roll < 0.72:
            return RightStatus.VERIFIED
        if roll < 0.93:
            return RightStatus.PENDING
        return RightStatus.REJECTED

    def right(
        self,
        kind: str,
        make_number: Callable[[], str],
        title: str,
        *,
        status: str | None = None,
        **extra: Any,
    ) -> _RightSpec:
        for _attempt in range(100):
            number = make_number()
            if (kind, number) not in self.numbers:
                break
        else:
            raise ValueError(f"no unused {kind} number for {title}")
        self.numbers.add((kind, number))
        status = status or self.status()
        reason = self.rng.choice(_REJECTION_REASONS) if status == RightStatus.REJECTED else ""
        return _RightSpec(
            kind=kind, number=number, title=title, status=status, reason=reason, **extra
        )

    # -- rights by kind ----------------------------------------------------------------------

    def trademark(self, title: str, classes: Sequence[int], **kw: Any) -> _RightSpec:
        r = self.rng
        start = self.date(2017, 2025)
        picked = sorted(r.sample(list(classes), k=min(len(classes), r.randint(1, 3))))
        return self.right(
            RightKind.TRADEMARK,
            lambda: str(r.randint(10_000_000, 69_999_999)),
            title,
            nice_classes=tuple(picked),
            valid_from=start,
            valid_until=_add_years(start, 10),
            **kw,
        )

    def patent(self, kind: str, title: str, **kw: Any) -> _RightSpec:
        digit, first, term = _PATENT_TYPES[kind]
        filed = self.date(first, 2024)
        if kind == RightKind.PATENT_DESIGN and filed < dt.date(2021, 6, 1):
            term = 10  # design patents filed before the 2021 amendment last 10 years
        return self.right(
            kind,
            lambda: _patent_number(filed.year, digit, self.rng.randint(1, 9_999_999)),
            title,
            valid_from=filed,
            valid_until=_add_years(filed, term),
            **kw,
        )

    def copyright(self, title: str, category: str, **kw: Any) -> _RightSpec:
        made = self.date(2015, 2025)

        def number() -> str:
            if category == "SR":  # computer software, registered by the national centre
                return f"{made.year}SR{self.rng.randint(100_000, 1_999_999):07d}"
            return f"晋作登字-{made.year}-{category}-{self.rng.randint(1, 99_999_999):08d}"

        return self.right(RightKind.COPYRIGHT, number, title, valid_from=made, **kw)

    def plant_variety(self, title: str, **kw: Any) -> _RightSpec:
        granted = self.date(2012, 2024)
        r = self.rng
        # woody plants (jujube, crab-apple) are protected for 20 years
        return self.right(
            RightKind.PLANT_VARIETY,
            lambda: f"CNA{granted.year}{r.randint(1, 9999):04d}.{r.randint(0, 9)}",
            title,
            valid_from=granted,
            valid_until=_add_years(granted, 20),
            **kw,
        )

    def trade_secret(self, title: str, *, province: str = "晋", **kw: Any) -> _RightSpec:
        # Some provinces' market bureaus keep a voluntary trade-secret filing register.
        made = self.date(2018, 2025)
        return self.right(
            RightKind.TRADE_SECRET,
            lambda: f"{province}商秘备字{made.year}第{self.rng.randint(1, 9999):04d}号",
            title,
            valid_from=made,
            **kw,
        )

    def gi(self, title: str, number: str, **kw: Any) -> _RightSpec:
        return self.right(
            RightKind.GEOGRAPHICAL_INDICATION,
            lambda: number,
            title,
            valid_from=self.date(2010, 2018),
            **kw,
        )


def _build(seed: int = SEED) -> _Data:
    g = _Generator(seed)
    r = g.rng
    entities: list[_EntitySpec] = []

    def baode_address(town: str) -> str:
        return (
            f"山西省忻州市保德县{TOWNS[town]}{r.choice(_BAODE_STREETS[town])}{r.randint(1, 300)}号"
        )

    def hrb_address(district: str) -> str:
        street = r.choice(_HRB_STREETS[district])
        return f"黑龙江省哈尔滨市{_HRB_DISTRICTS[district]}{street}{r.randint(1, 500)}号"

    # The demo rights holder's enterprise: a fixed code, so that it is easy to look up.
    holder_code = "91140931MA0K4R7D2"
    holder_entity = _EntitySpec(
        uscc=holder_code + uscc_engine.check_digit(holder_code),
        name="保德县晋德红枣食品有限公司",
        kind=EntityKind.ENTERPRISE,
        legal_representative="郝建军",
        address="山西省忻州市保德县东关镇滨河路88号",
        region=BAODE,
        business_scope=_BAODE_TRADES[0].scope,
        established_on=dt.date(2017, 3, 15),
        brand="晋德",
        trade=_BAODE_TRADES[0],
    )
    g.codes.add(holder_entity.uscc)
    g.claim_name(holder_entity.name)
    g.people.add("郝建军")
    entities.append(holder_entity)

    # Names in Traditional characters or full-width letters: they are stored as entered and
    # found by their normalised form (保德縣黃河紅棗… is found by searching 保德县黄河红枣).
    for name, region, kind, second, trade in (
        ("保德縣黃河紅棗食品有限公司", BAODE, EntityKind.ENTERPRISE, "1", _BAODE_TRADES[0]),
        ("保德县ＨＨ海红果饮品有限公司", BAODE, EntityKind.ENTERPRISE, "1", _BAODE_TRADES[3]),
        ("保德縣義門鎮老郝乾果店", "140931101", EntityKind.INDIVIDUAL_BUSINESS, "2", None),
        ("哈爾濱冰城乳業有限公司", DAOLI, EntityKind.ENTERPRISE, "1", _HRB_TRADES[4]),
        ("哈尔滨ＡＢＣ网络科技有限公司", "230103", EntityKind.ENTERPRISE, "1", _HRB_TRADES[1]),
    ):
        g.claim_name(name)
        address = (
            hrb_address(region)
            if region[:2] == "23"
            else baode_address(region if region in TOWNS else "140931100")
        )
        entities.append(
            g.entity(
                name,
                kind=kind,
                second=second,
                region=region,
                address=address,
                scope=trade.scope if trade else "预包装食品、干果零售。",
                trade=trade,
            )
        )

    baode_companies: list[_EntitySpec] = []
    while len(baode_companies) < 95:
        brand, trade = r.choice(_BAODE_BRANDS), r.choice(_BAODE_TRADES)
        form = "有限公司" if r.random() < 0.7 else "有限责任公司"
        name = f"保德县{brand}{trade.word}{form}"
        if g.claim_name(name):
            baode_companies.append(
                g.entity(
                    name,
                    region=BAODE,
                    address=baode_address(r.choice(list(TOWNS))),
                    scope=trade.scope,
                    brand=brand,
                    trade=trade,
                )
            )
    entities.extend(baode_companies)

    coops = 0
    while coops < 12:
        village = r.choice(_VILLAGES)
        product = r.choice(("红枣种植", "海红果种植", "小杂粮种植", "养殖"))
        town = r.choice(list(TOWNS))
        name = f"保德县{TOWNS[town]}{village}{product}专业合作社"
        if g.claim_name(name):
            coops += 1
            # Farmers' co-operatives register with category code 3 (9 3 …).
            entities.append(
                g.entity(
                    name,
                    second="3",
                    region=town,
                    address=f"山西省忻州市保德县{TOWNS[town]}{village}村",
                    scope=f"组织成员开展{product}及产品销售、技术培训。",
                )
            )

    shops = 0
    while shops < 45:
        town = r.choice(list(TOWNS))
        name = f"保德县{TOWNS[town]}{r.choice(_SHOP_BRANDS)}{r.choice(_SHOP_KINDS)}"
        if g.claim_name(name):
            shops += 1
            entities.append(
                g.entity(
                    name,
                    kind=EntityKind.INDIVIDUAL_BUSINESS,
                    second="2",
                    region=town,
                    address=baode_address(town),
                    scope="预包装食品、日用百货零售。",
                )
            )

    hrb_companies: list[_EntitySpec] = []
    while len(hrb_companies) < 50:
        brand, trade = r.choice(_HRB_BRANDS), r.choice(_HRB_TRADES)
        district = DAOLI if r.random() < 0.6 else "230103"
        name = f"哈尔滨{brand}{trade.word}{'有限公司' if r.random() < 0.8 else '股份有限公司'}"
        if g.claim_name(name):
            hrb_companies.append(
                g.entity(
                    name,
                    region=district,
                    address=hrb_address(district),
                    scope=trade.scope,
                    brand=brand,
                    trade=trade,
                )
            )
    entities.extend(hrb_companies)

    hrb_shops = 0
    while hrb_shops < 20:
        district = DAOLI if r.random() < 0.6 else "230103"
        shop = r.choice(("便利店", "百货店", "超市", "服装店", "红肠专卖店", "饺子馆"))
        name = f"哈尔滨市{_HRB_DISTRICTS[district]}{r.choice(_SHOP_BRANDS)}{shop}"
        if g.claim_name(name):
            hrb_shops += 1
            entities.append(
                g.entity(
                    name,
                    kind=EntityKind.INDIVIDUAL_BUSINESS,
                    second="2",
                    region=district,
                    address=hrb_address(district),
                    scope="日用百货、预包装食品零售。",
                )
            )

    # -- the demo holder's own three rights: one of each status ------------------------------
    holder_rights = [
        g.trademark("晋德枣园", (29, 30, 35), status=RightStatus.VERIFIED),
        g.patent(RightKind.PATENT_UTILITY, "一种红枣去核清洗一体机", status=RightStatus.PENDING),
        g.trademark("晋德醉枣", (33,), status=RightStatus.REJECTED),
    ]

    # -- other rights holders ----------------------------------------------------------------
    holders: list[_HolderSpec] = []

    def company_rights(spec: _EntitySpec, count: int, *, harbin: bool) -> list[_RightSpec]:
        trade = spec.trade
        assert trade is not None
        out: list[_RightSpec] = []
        for _ in range(count):
            roll = r.random()
            if roll < 0.5 or (not trade.patents and roll < 0.8):
                title = spec.brand + r.choice(_TM_SUFFIXES)
                out.append(g.trademark(title, trade.classes))
            elif roll < 0.75 and trade.patents:
                title = r.choice(trade.patents)
                # A method can only be an invention patent; devices are mostly utility models.
                kind = (
                    RightKind.PATENT_INVENTION
                    if "方法" in title or roll >= 0.65
                    else RightKind.PATENT_UTILITY
                )
                out.append(g.patent(kind, title))
            elif roll < 0.87:
                designs = _HRB_DESIGNS if harbin else _DESIGNS
                out.append(g.patent(RightKind.PATENT_DESIGN, r.choice(designs)))
            elif roll < 0.96 and not harbin:
                # Copyright is verified by the culture bureau, which Harbin does not have here.
                out.append(g.copyright(f"{spec.brand}品牌形象标识设计", "F"))
            else:
                out.append(
                    g.trade_secret(
                        f"{spec.brand}{trade.word}生产工艺配方", province="黑" if harbin else "晋"
                    )
                )
        return out

    for spec in r.sample(baode_companies, 27):
        holder = _HolderSpec(spec.name, HolderKind.ENTERPRISE, BAODE, spec.uscc, g.phone())
        holder.rights = company_rights(spec, r.choice((1, 2, 3, 3, 4, 4)), harbin=False)
        holders.append(holder)

    daoli_companies = [c for c in hrb_companies if c.region == DAOLI]
    for spec in r.sample(daoli_companies, min(6, len(daoli_companies))):
        holder = _HolderSpec(spec.name, HolderKind.ENTERPRISE, DAOLI, spec.uscc, g.phone())
        holder.rights = company_rights(spec, r.choice((1, 2, 3)), harbin=True)
        holders.append(holder)

    # Associations hold the geographical indications and collective marks.
    association = _HolderSpec("保德县红枣产业协会", HolderKind.ORGANISATION, BAODE, phone=g.phone())
    association.rights = [
        g.gi("保德黄河油枣", "AGI01566"),
        g.gi("保德海红果", "AGI02871"),
        g.gi("保德小米", "AGI03108", status=RightStatus.PENDING),
        g.trademark("保德红枣", (29, 31), status=RightStatus.VERIFIED),
        g.trademark("保德海红", (31, 32)),
    ]
    hrb_association = _HolderSpec(
        "哈尔滨市道里区肉制品行业协会", HolderKind.ORGANISATION, DAOLI, phone=g.phone()
    )
    hrb_association.rights = [
        g.gi("道里红肠", "AGI02233", status=RightStatus.VERIFIED),
        g.trademark("冰城红肠", (29,), status=RightStatus.PENDING),
    ]
    agri_centre = _HolderSpec("保德县农业技术推广中心", HolderKind.ORGANISATION, BAODE)
    agri_centre.rights = [
        g.plant_variety("晋枣保德1号"),
        g.plant_variety("保德海红2号"),
        g.plant_variety("德谷8号", status=RightStatus.PENDING),
        g.copyright("保德县红枣标准化种植技术规程（图文）", "A"),
    ]
    holders += [association, hrb_association, agri_centre]

    # Individuals: authors, inventors and a breeder.
    individual_works: tuple[tuple[Callable[[], _RightSpec], ...], ...] = (
        (
            lambda: g.copyright("黄河枣乡（散文集）", "A"),
            lambda: g.copyright("枣乡小调（歌曲）", "B"),
        ),
        (
            lambda: g.copyright("保德风光摄影作品集", "I"),
            lambda: g.copyright("海红果宣传画", "F"),
        ),
        (
            lambda: g.copyright("红枣溯源管理系统V1.0", "SR"),
            lambda: g.patent(RightKind.PATENT_INVENTION, "一种红枣糖度无损检测方法"),
        ),
        (
            lambda: g.plant_variety("枣丰3号"),
            lambda: g.patent(RightKind.PATENT_UTILITY, "一种枣树嫁接刀"),
        ),
        (
            lambda: g.patent(RightKind.PATENT_UTILITY, "一种手提式干果包装封口机"),
            lambda: g.patent(RightKind.PATENT_DESIGN, "包装盒（保德剪纸）"),
        ),
        (
            lambda: g.copyright("保德剪纸作品《黄河人家》", "F"),
            lambda: g.copyright("保德民歌选编", "A"),
        ),
    )
    for works in individual_works:
        person = _HolderSpec(g.person(), HolderKind.PERSON, BAODE, phone=g.phone())
        person.rights = [make() for make in works]
        holders.append(person)

    return _Data(
        entities=entities,
        holder_entity=holder_entity,
        holder_rights=holder_rights,
        holders=holders,
    )


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def _load_regions() -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for code, name, level, parent in REGIONS:
        regions[code], _created = Region.objects.update_or_create(
            code=code,
            defaults={"name": name, "level": level, "parent": regions[parent] if parent else None},
        )
    return regions


def _load_units(regions: dict[str, Region]) -> dict[str, Unit]:
    units = {u.name: u for u in Unit.objects.filter(name__in=[s.name for s in UNITS])}
    for spec in UNITS:
        if spec.name not in units:
            units[spec.name] = accounts.unit_create(
                actor=None,
                name=spec.name,
                kind=spec.kind,
                region=regions[spec.region],
                parent=units[spec.parent] if spec.parent else None,
                short_name=spec.short_name,
            )
        if spec.document_prefix and not units[spec.name].document_prefix:
            units[spec.name].document_prefix = spec.document_prefix
            units[spec.name].save(update_fields=["document_prefix"])
    return units


def _ensure_person(spec: _PersonSpec, units: dict[str, Unit]) -> Any:
    user_model = get_user_model()
    user = user_model.objects.filter(username=spec.username).first()
    if user is None:
        return accounts.person_create(
            actor=None,
            username=spec.username,
            display_name=spec.display_name,
            roles=[spec.role],
            unit=units[spec.unit] if spec.unit else None,
            password=spec.password,
            title=spec.title,
        )
    if set(user.groups.values_list("name", flat=True)) != {str(spec.role)}:
        accounts.person_set_roles(actor=None, user=user, roles=[spec.role])
    if spec.password:
        user.set_password(spec.password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
    return user


def _load_people(
    units: dict[str, Unit], *, holder_name: str
) -> tuple[dict[str, Any], list[DemoLogin]]:
    from axes.utils import reset as axes_reset

    users: dict[str, Any] = {}
    for spec in (*LOGINS, *OTHER_STAFF):
        users[spec.username] = _ensure_person(spec, units)
        if spec.password:
            # A demo visitor who locked themselves out gets back in by re-running the demo.
            axes_reset(username=spec.username)
    admin = users[SYSADMIN_USERNAME]
    if not (admin.is_superuser and admin.is_staff):
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])
    logins = [
        DemoLogin(
            role=str(spec.role),
            username=spec.username,
            password=spec.password or "",
            display_name=spec.display_name,
            unit=spec.unit or (holder_name if spec.role == Role.RIGHTS_HOLDER else ""),
        )
        for spec in LOGINS
    ]
    return users, logins


def _load_leading_group(regions: dict[str, Region], units: dict[str, Unit]) -> LeadingGroup:
    # No service creates a leading group yet (it is set up once per region by an administrator).
    group, _created = LeadingGroup.objects.get_or_create(
        name=LEADING_GROUP_NAME,
        region=regions[BAODE],
        defaults={
            "office_unit": units[MARKET],
            "office_note": "领导组办公室设在县市场监督管理局，局长兼任办公室主任。",
        },
    )
    for order, (position, username, name, title, unit_name) in enumerate(SEATS, start=1):
        spec = _PersonSpec(username, name, Role.LEADING_GROUP_MEMBER, unit_name, title)
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            user = _ensure_person(spec, units)
        accounts.leading_group_seat(
            actor=None,
            group=group,
            person=user.profile,
            position=position,
            title=title,
            unit=units[unit_name],
            order=order * 10,
        )
    return group


def _load_entities(data: _Data, regions: dict[str, Region]) -> dict[str, Entity]:
    codes = [spec.uscc for spec in data.entities]
    existing = set(Entity.objects.filter(uscc__in=codes).values_list("uscc", flat=True))
    for spec in data.entities:
        if spec.uscc in existing:
            continue
        registry.entity_create(
            actor=None,
            name=spec.name,
            uscc=spec.uscc,
            kind=spec.kind,
            legal_representative=spec.legal_representative,
            address=spec.address,
            region=regions[spec.region],
            business_scope=spec.business_scope,
            established_on=spec.established_on,
        )
    return {e.uscc: e for e in Entity.objects.filter(uscc__in=codes) if e.uscc}


def _register(
    rights: Iterable[_RightSpec],
    *,
    holder: RightsHolder,
    actor: Any,
    verifiers: dict[int, Any],
    existing: set[tuple[str, str]],
) -> None:
    for spec in rights:
        if (spec.kind, spec.number) in existing:
            continue
        right = registry.right_register(
            actor=actor,
            holder=holder,
            kind=spec.kind,
            registration_number=spec.number,
            title=spec.title,
            valid_from=spec.valid_from,
            valid_until=spec.valid_until,
            nice_classes=list(spec.nice_classes),
        )
        verifier = verifiers.get(right.verifying_unit_id)
        if verifier is None or spec.status == RightStatus.PENDING:
            continue
        # right_verify needs a person who may see the right (actor=None is refused), so the
        # verifying unit's own officer does it, as they would in real life.
        if spec.status == RightStatus.VERIFIED:
            registry.right_verify(actor=verifier, right=right)
        elif spec.status == RightStatus.REJECTED:
            registry.right_reject(actor=verifier, right=right, reason=spec.reason)


def _load_rights(
    data: _Data,
    *,
    regions: dict[str, Region],
    units: dict[str, Unit],
    users: dict[str, Any],
    entities: dict[str, Entity],
) -> None:
    verifiers = {
        units[MARKET].pk: users["officer"],
        units[CULTURE].pk: users["officer2"],
        units[AGRICULTURE].pk: users["officer_agri"],
        units[DAOLI_MARKET].pk: users["officer_hrb"],
    }
    existing = set(IPRight.objects.values_list("kind", "registration_number"))

    holder_user = users["holder"]
    spec = data.holder_entity
    own = registry.rights_holder_for_user(
        user=holder_user,
        name=spec.name,
        kind=HolderKind.ENTERPRISE,
        region=regions[spec.region],
        phone="0350-4212288",
        uscc=spec.uscc,
    )
    _register(
        data.holder_rights,
        holder=own,
        actor=holder_user,
        verifiers=verifiers,
        existing=existing,
    )

    for holder_spec in data.holders:
        holder = RightsHolder.objects.filter(
            name=holder_spec.name, user__isnull=True, region_id=holder_spec.region
        ).first()
        if holder is None:
            # Staff-entered holders have no service yet (rights_holder_for_user is for portal
            # users), so the row and its audit event are written here.
            holder = RightsHolder.objects.create(
                name=holder_spec.name,
                kind=holder_spec.kind,
                region=regions[holder_spec.region],
                entity=entities.get(holder_spec.entity_uscc or ""),
                contact_phone=holder_spec.phone,
            )
            events.rights_holder_created(actor=None, holder=holder)
        _register(
            holder_spec.rights, holder=holder, actor=None, verifiers=verifiers, existing=existing
        )


def load(*, stdout: TextIO | Any | None = None) -> list[DemoLogin]:
    """Load the demo data (idempotently) and return the demo logins.

    If ``stdout`` is given, a summary and the table of logins are written to it.
    """
    data = _build()
    with transaction.atomic():
        sync_role_groups()  # person_create silently skips roles whose group does not exist
        regions = _load_regions()
        units = _load_units(regions)
        users, logins = _load_people(units, holder_name=data.holder_entity.name)
        group = _load_leading_group(regions, units)
        entities = _load_entities(data, regions)
        _load_rights(data, regions=regions, units=units, users=users, entities=entities)
        cases = _load_cases(regions=regions, units=units, users=users)
        published = _load_decided_cases(regions=regions, users=users)
        alerts = monitoring_demo.load(users=users, units=units, market=MARKET)
        to_confirm = credit_demo.load(users=users)
        plans = supervision_demo.load(users=users, group=group)
        evaluation_demo.load(users=users, group=group)
        logins += disputes_demo.load(users=users)
    if stdout is not None:
        stdout.write(
            f"区划 regions {Region.objects.count()} · 单位 units {Unit.objects.count()} · "
            f"市场主体 entities {Entity.objects.count()} · "
            f"权利人 holders {RightsHolder.objects.count()} · "
            f"知识产权 IP rights {IPRight.objects.count()} · "
            f"领导组成员 seats {group.members.count()} · 案件 cases {cases} · "
            f"公示 publications {published} · "
            f"侵权预警 alerts {alerts} · 待确认主体 entity matches {to_confirm} · "
            f"督办方案 plans {plans}\n"
        )
        stdout.write(format_logins(logins))
    return logins


def _load_cases(
    *, regions: dict[str, Region], units: dict[str, Unit], users: dict[str, Any]
) -> int:
    """A handful of cases at every stage, so every role finds work on the workbench.

    Created once (keyed by title); each goes through the real intake and workflow services.
    """
    from decimal import Decimal

    from ipshield.cases import intake, walkthrough
    from ipshield.cases import services as case_services
    from ipshield.cases.models import Case, CaseDeadline

    if Case.objects.filter(title__startswith="【演示】").exists():
        return Case.objects.count()
    baode = regions[BAODE]
    officer = users["officer"]
    holder_user = users["holder"]
    right = IPRight.objects.filter(holder__user=holder_user, status="verified").first()
    market = units[MARKET]

    def complaint(title: str, **kw: Any) -> Any:
        return intake.complaint_submit(
            actor=holder_user,
            right=right,
            title=f"【演示】{title}",
            region=baode,
            description=kw.pop(
                "description",
                "在县城东关镇商业街一家超市发现包装近似的红枣商品，"
                "价格明显低于市场价。已拍照留存。",
            ),
            **kw,
        ).case

    def report(title: str, **kw: Any) -> Any:
        return intake.report_submit(
            actor=None,
            title=f"【演示】{title}",
            region=baode,
            description=kw.pop("description", "集贸市场有摊位销售疑似假冒的商品，每逢集日出摊。"),
            **kw,
        ).case

    def through(case: Any, *steps: str) -> Any:
        for step in steps:
            if step == "accept":
                case = case_services.case_accept(actor=officer, case=case)
            elif step == "investigate":
                case = walkthrough.open_case(case, officer=officer, leader=users["leader"])
        return case

    if right is not None:
        complaint(
            "超市销售假冒“晋德”红枣", infringer_name="保德县东关镇惠民超市", amount_involved="3200"
        )
        through(
            complaint(
                "网店销售仿冒包装红枣礼盒",
                place="https://shop.example.com/item/1234",
                infringer_name="某网店",
                amount_involved="26000",
            ),
            "accept",
            "investigate",
        )
        major = through(
            complaint(
                "批发市场大量销售假冒红枣", infringer_name="某批发部", amount_involved="680000"
            ),
            "accept",
            "investigate",
        )
        # In legal review: 120,000 yuan is above the review threshold.
        walkthrough.approve(
            walkthrough.propose(
                major,
                officer=officer,
                summary="没收侵权商品，罚款人民币十二万元。",
                amount=Decimal("120000"),
                kinds=["confiscation", "fine"],
            ),
            reviewer=users["reviewer"],
            leader=users["leader"],
        )
        late = complaint("农贸市场销售假冒红枣（已超期示例）", infringer_name="某摊位")
        CaseDeadline.objects.filter(case=late).update(
            due_on=timezone.localdate() - dt.timedelta(days=3)
        )
        Case.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - dt.timedelta(days=3))
    report("集市销售盗版剪纸作品", right_kind=RightKind.COPYRIGHT, anonymous=True)
    through(
        report(
            "小作坊生产假冒“保德油枣”地理标志产品",
            right_kind=RightKind.GEOGRAPHICAL_INDICATION,
            anonymous=False,
            reporter_name="周建国",
            reporter_phone="13512345678",
        ),
        "accept",
        "investigate",
    )
    harbin = users.get("officer_hrb")
    if harbin is not None:
        intake.lead_notice_create(
            actor=harbin,
            to_unit=market,
            title="【演示】哈尔滨查获假冒保德红枣，货源在保德",
            description=(
                "道里区市场局在批发市场查获假冒红枣 300 箱，供货单据显示货源为保德县某食品厂。"
            ),
            amount_involved="90000",
        )
    return Case.objects.count()


# Decided cases, published and (two of them) written up as typical cases: what the public
# publication pages and the credit query show. The infringers are other market entities, never
# the demo rights holder's own company (tests/test_demo.py checks it). Keyed by title.
DECIDED_PREFIX = "【演示·已办结】"


@dataclass(frozen=True)
class _DecidedSpec:
    title: str
    description: str
    handler: str  # username of the officer who handles it
    infringer: str  # an entity's name (as stored) or, failing that, the party's name
    amount_involved: str
    penalty: str
    penalty_kinds: tuple[str, ...]
    decision: str
    complaint: bool  # filed by the demo rights holder; otherwise a report
    right_kind: str = RightKind.TRADEMARK
    typical: tuple[str, str] | None = None  # (title, summary) of the typical case
    close: bool = True
    # confiscated goods (description, quantity, unit of measure) and how they were disposed
    # of ("" while they wait: the officer's inbox shows them)
    goods: tuple[str, str, str] | None = None
    disposal: str = ""


DECIDED: tuple[_DecidedSpec, ...] = (
    _DecidedSpec(
        title="干果店销售仿冒“晋德枣园”包装的红枣",
        description="义门镇一家干果店销售外包装与“晋德枣园”近似、标注“晋徳枣园”的散装红枣。",
        handler="officer",
        infringer="保德縣義門鎮老郝乾果店",
        amount_involved="4600",
        penalty="6000",
        penalty_kinds=("fine", "confiscation"),
        decision="没收侵权红枣 86 袋，罚款人民币六千元。",
        complaint=True,
        goods=("仿冒“晋德枣园”包装的散装红枣 500g", "86", "袋"),
        disposal="destroyed",
        typical=(
            "近似包装傍名牌，小店也要担责任",
            "干果店以“晋徳枣园”近似标识销售散装红枣，足以导致消费者混淆。执法人员根据权利人"
            "投诉当日固定证据，依法没收侵权商品并处罚款，提示经营者进货时查验商标授权。",
        ),
    ),
    _DecidedSpec(
        title="文具店销售盗版保德剪纸图样集",
        description="县城一家文具店销售未经许可复制的剪纸图样集，封面署名与原作者不符。",
        handler="officer2",
        infringer="保德县东关镇翰墨文具店",
        amount_involved="1800",
        penalty="3000",
        penalty_kinds=("fine", "confiscation"),
        decision="没收盗版图样集 60 册，罚款人民币三千元。",
        complaint=False,
        goods=("盗版《保德剪纸图样集》", "60", "册"),
        disposal="destroyed",
        right_kind=RightKind.COPYRIGHT,
        typical=(
            "保护民间剪纸作品著作权",
            "群众举报文具店销售盗版剪纸图样集。县文旅局核实后依法查处，"
            "并联合县文化馆向剪纸艺人普及作品登记，民间艺术的权利有了保障。",
        ),
    ),
    _DecidedSpec(
        title="副食店销售假冒“六个核桃”饮料",
        description="桥头镇一家副食店销售标注“六个核挑”的植物蛋白饮料，价格明显偏低。",
        handler="officer",
        infringer="保德县桥头镇便民副食店",
        amount_involved="2400",
        penalty="5000",
        penalty_kinds=("fine", "confiscation"),
        decision="没收侵权饮料 40 箱，罚款人民币五千元。",
        complaint=False,
        close=False,
        goods=("标注“六个核挑”的植物蛋白饮料 240ml×20", "40", "箱"),
    ),
)


def _load_decided_cases(*, regions: dict[str, Region], users: dict[str, Any]) -> int:
    """Cases taken through the whole workflow to a published decision; returns how many
    publications there are."""
    from decimal import Decimal

    from ipshield.cases import intake, walkthrough
    from ipshield.cases import services as case_services
    from ipshield.cases.models import Case
    from ipshield.publication import services as publication_services
    from ipshield.publication.models import Publication

    holder_user = users["holder"]
    right = IPRight.objects.filter(
        holder__user=holder_user, kind=RightKind.TRADEMARK, status=RightStatus.VERIFIED
    ).first()
    for spec in DECIDED:
        title = f"{DECIDED_PREFIX}{spec.title}"
        if Case.objects.filter(title=title).exists():
            continue
        entity = Entity.objects.filter(name=spec.infringer).first()
        party = {"infringer_uscc": entity.uscc or ""} if entity else {}
        party["infringer_name"] = spec.infringer
        if spec.complaint:
            if right is None:
                continue
            case = intake.complaint_submit(
                actor=holder_user,
                right=right,
                title=title,
                description=spec.description,
                region=regions[BAODE],
                amount_involved=spec.amount_involved,
                **party,
            ).case
        else:
            case = intake.report_submit(
                actor=None,
                right_kind=spec.right_kind,
                title=title,
                description=spec.description,
                region=regions[BAODE],
                anonymous=True,
                amount_involved=spec.amount_involved,
                **party,
            ).case
        officer = users[spec.handler]
        reviewer, leader = (
            (users["reviewer"], users["leader"])
            if officer.profile.unit.name == MARKET
            else (users["reviewer2"], users["leader2"])
        )
        case = walkthrough.decide(
            case,
            officer=officer,
            reviewer=reviewer,
            leader=leader,
            summary=spec.decision,
            amount=Decimal(spec.penalty),
            kinds=spec.penalty_kinds,
        )
        case = case_services.case_publish(actor=officer, case=case)
        if spec.goods is not None:
            _confiscate(case, spec, officer)
        if not spec.close:
            continue
        case = walkthrough.close(case, officer=officer, leader=leader)
        if spec.typical is not None:
            typical = publication_services.typical_case_create(
                actor=officer, case=case, title=spec.typical[0], summary=spec.typical[1]
            )
            publication_services.typical_case_set_published(
                actor=officer, typical_case=typical, published=True
            )
    return Publication.objects.count()


def _confiscate(case: Any, spec: _DecidedSpec, officer: Any) -> None:
    """List the decision's confiscated goods and, when the spec says how, dispose of them (by
    two officers of the unit, at the county's designated site)."""
    from ipshield.cases import procedure

    assert spec.goods is not None
    description, quantity, unit_of_measure = spec.goods
    goods = procedure.run_step(
        procedure.RECORD_CONFISCATION,
        officer,
        case,
        {"description": description, "quantity": quantity, "unit_of_measure": unit_of_measure},
    )
    if spec.disposal:
        procedure.run_step(
            procedure.RECORD_DISPOSAL,
            officer,
            case,
            {
                "goods": goods.pk,
                "method": spec.disposal,
                "disposed_on": timezone.localdate(),
                "officers": f"{officer.profile.display_name}、{DEMO_SECOND_OFFICER}",
                "place": "保德县生活垃圾无害化处理场",
            },
        )


# The second officer who signs on-site records in the demo (a name, not a login).
DEMO_SECOND_OFFICER = "刘志明"


# --------------------------------------------------------------------------------------------
# The logins table
# --------------------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_logins(logins: Sequence[DemoLogin]) -> str:
    """A plain-text table (Chinese and English headings) that lines up in a terminal."""
    header = ("角色 Role", "用户名 Username", "密码 Password", "姓名 Name", "单位 Unit")
    with translation.override("zh-hans"):
        rows = [
            (
                f"{Role(login.role).label} {login.role}",
                login.username,
                login.password,
                login.display_name,
                login.unit or "—",
            )
            for login in logins
        ]
    widths = [max(_width(row[i]) for row in (header, *rows)) for i in range(len(header))]
    lines = [
        "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in (header, *rows)
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"
