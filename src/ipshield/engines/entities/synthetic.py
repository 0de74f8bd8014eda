"""Seeded synthetic market entities and incoming records about them, with ground truth.

Used by the tests and benchmarks of :mod:`ipshield.engines.entities` (and as demo data).
Everything is deterministic for a given seed (and this file).

>>> gaz = gazetteer(seed=1)
>>> ents = entities(1000, seed=1, places=gaz)
>>> len(ents), ents[0].record == entities(1000, seed=1, places=gaz)[0].record
(1000, True)
>>> vs = variants(ents, 50, seed=2)
>>> sorted({v.relation for v in vs}) == ["branch_of", "new", "same"]
True

How the data is modelled (there is no public machine-readable register of Chinese market
entities to fit; these are choices, change them here if better data turns up):

* **Places.** The 31 mainland provinces and their real prefecture-level cities (the lists
  in :mod:`.regions`); the four municipalities have districts directly. Under each city 6 to
  13 counties or districts (忻州, 太原 and 哈尔滨 with their real ones, elsewhere generated
  two-character names + 县 60 % / 区 30 % / 市 10 %, unique in the country), each with 4 to
  8 towns (镇 / 乡 / 街道) and 12 roads. :meth:`Gazetteer.regions` gives the names and the
  county → city → province parents, as the platform's region table would.
* **Entities.** 72 % enterprises, 22 % individual businesses (个体工商户), 6 % branches of
  an enterprise generated before. An enterprise is ``<division><trade name><industry>
  <form>``: the division is the county (55 %), the city (25 %), the province (12 %, with or
  without 省), the county in brackets after the industry (5 %) or none (3 %); trade names
  have 2 (75 %), 3 (20 %) or 4 characters from 251 that names favour, so that many
  companies in different places share one; 60 industries, weighted (商贸, 科技, 食品 …);
  forms 有限公司 68 %, 有限责任公司 15 %, cooperatives, 厂, 股份有限公司, 集团有限公司,
  个人独资企业, partnerships. 5 % have a former name (the same name with 厂, or another trade
  name), written in brackets as （原名…）. No two entities share division and core.
  An individual business is ``<county>[<town>]<operator's name or trade name + goods>
  <shop form>`` (商行, 经营部, 饭店 …); a branch is its enterprise's name + a town of its
  county (a county for a company registered by a city or province) + 分公司 / 分店 / 营业部 /
  经营部 (分厂 / 门市部 for a 厂), or 第N分公司.
* **Details.** Addresses ``<province><city><county><town><road><number>号``; legal
  representatives from 100 surnames weighted by rank and given names, half of them from 60
  common ones (so that 张伟-like collisions are frequent); valid USCCs with the county's
  region code (91… enterprises, 92… individual businesses).
* **Records** (:func:`variants`) are what a credit record might say about an entity:
  the name as registered (8 %), in Traditional characters (10 %), with spaces or full-width
  brackets (5 %), with another company form (有限公司↔有限责任公司, 公司; 10 %), without its
  division (10 %), with more divisions (山西省忻州市保德县…; 6 %), with the county in brackets
  (5 %), by its former name (4 %), with one character of the trade name wrong (a homophone
  or any character; 10 %), by the legal representative only (8 %), two of these at once
  (9 %); a new branch of the entity (5 %, truth ``branch_of``); and records about entities
  that are *not* in the set (10 %, truth ``new``): the same core in another county, the
  same trade name with another industry in the same place, or a new name. A record carries
  the USCC 10 % of the time, the legal representative 55 %, the address 50 % (40 % of
  those rewritten: province and city left out, 十二号 for 12号, town left out).
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from pypinyin import lazy_pinyin

from ipshield.engines import uscc as uscc_codes

from .regions import _CITIES_BY_PROVINCE, Regions, _words
from .scoring import BRANCH_OF, Decision, Record

if TYPE_CHECKING:
    import opencc

    from .index import Candidate, EntityIndex

__all__ = [
    "DEFAULT_SEED",
    "Entity",
    "Gazetteer",
    "Place",
    "Variant",
    "entities",
    "evaluate",
    "gazetteer",
    "measure",
    "variants",
]

DEFAULT_SEED = 20260601

_PROVINCE_CODES = {
    "北京": ("北京市", "11"), "天津": ("天津市", "12"), "河北": ("河北省", "13"),
    "山西": ("山西省", "14"), "内蒙古": ("内蒙古自治区", "15"), "辽宁": ("辽宁省", "21"),
    "吉林": ("吉林省", "22"), "黑龙江": ("黑龙江省", "23"), "上海": ("上海市", "31"),
    "江苏": ("江苏省", "32"), "浙江": ("浙江省", "33"), "安徽": ("安徽省", "34"),
    "福建": ("福建省", "35"), "江西": ("江西省", "36"), "山东": ("山东省", "37"),
    "河南": ("河南省", "41"), "湖北": ("湖北省", "42"), "湖南": ("湖南省", "43"),
    "广东": ("广东省", "44"), "广西": ("广西壮族自治区", "45"), "海南": ("海南省", "46"),
    "重庆": ("重庆市", "50"), "四川": ("四川省", "51"), "贵州": ("贵州省", "52"),
    "云南": ("云南省", "53"), "西藏": ("西藏自治区", "54"), "陕西": ("陕西省", "61"),
    "甘肃": ("甘肃省", "62"), "青海": ("青海省", "63"), "宁夏": ("宁夏回族自治区", "64"),
    "新疆": ("新疆维吾尔自治区", "65"),
}  # fmt: skip
_MUNICIPALITIES = ("北京", "天津", "上海", "重庆")
_REAL_COUNTIES = {
    "忻州": "忻府区 原平市 定襄县 五台县 代县 繁峙县 宁武县 静乐县 神池县 五寨县 岢岚县 河曲县 "
    "保德县 偏关县",
    "太原": "小店区 迎泽区 杏花岭区 尖草坪区 万柏林区 晋源区 清徐县 阳曲县 娄烦县 古交市",
    "哈尔滨": "道里区 南岗区 道外区 平房区 松北区 香坊区 呼兰区 阿城区 双城区 依兰县 方正县 宾县 "
    "巴彦县 木兰县 通河县 延寿县 尚志市 五常市",
}
_REAL_TOWNS = {"保德县": "东关镇 义门镇 杨家湾镇 桥头镇 腰庄乡 韩家川乡 孙家沟乡 南河沟乡"}
_PLACE_CHARS = (
    "安平东西南北阳山河城泉宁丰远清新兴华江湖林石桥庄口台集营屯坪沟川岭原武文德宝昌盛隆永长定"
    "和乐康寿福汾襄洪浮吉翼曲沃绛垣芮虞荣稷闻夏泽陵水溪岗峰谷冈坡塘湾洲滨浦固辉延临高通济益"
    "寨堡关门阜沙渠滩湘桂黔滇陇鄞瓯婺杭苏松嘉溧澄靖泰仪邗邳沭赣"
)
_ROADS = _words(
    "建设 解放 人民 新华 中山 胜利 文化 和平 光明 团结 友谊 振兴 长安 迎宾 滨河 府前 东风 青年 "
    "育才 工农 农林 园林 朝阳 向阳 新建 兴华 繁荣 幸福 丰收 学府 体育 商业 健康 永安 北环 南环 "
    "西环 东环 车站 工业 开发 东大 西大 南大 北大 沿河 龙泉 凤凰 金沙"
)
_ROAD_SUFFIXES = ("路", "路", "街", "街", "大街", "巷", "大道")
_TOWN_SUFFIXES = ("镇", "镇", "镇", "乡", "街道")

# Characters that trade names favour (each equally likely).
_TRADE_CHARS = (
    "美华康佳达源金宝福乐安泰丰盛隆昌兴发富贵鑫鼎恒通顺祥瑞和嘉宏伟新天地龙凤山水花月星光明"
    "阳春秋雅丽香味鲜家鸿运久利强健力士博爱信德仁义诚益众好优品尚尊御皇王玉珍晶亮彩虹蓝绿红"
    "青紫白黄银石木林森竹梅兰菊荷莲桃李果园田农牧鱼羊牛马鹰狮虎豹熊猫鹤雀凰麟中东方南北西京"
    "川湘鲁豫晋秦蜀徽闽浙苏滇黔桂一三五六七八九百千万亿小老大真纯净清泉露云海湖江河舟帆航远"
    "志立创智慧聚合汇联邦友伴童心悦欣喜怡然舒适逸轩阁斋居庄坊记堂盈满旺禄寿财吉如意夏冬雪霜"
    "晨曦朝霞彤丹碧翠珠琳琅瑶琪瑾瑜璐莎娜娇娃宜佰仟威豪腾飞跃辰宇宙坤乾泽润沃"
)
# Industries with weights: (industry, weight).
_INDUSTRIES = (
    ("商贸", 12), ("贸易", 5), ("科技", 8), ("网络科技", 3), ("信息技术", 3), ("电子商务", 2),
    ("食品", 6), ("红枣食品", 1), ("农业科技", 2), ("农产品开发", 1), ("农副产品", 1),
    ("建筑工程", 4), ("建材", 3), ("装饰工程", 3), ("房地产开发", 2), ("物业管理", 2),
    ("物流", 3), ("运输", 2), ("汽车销售", 2), ("汽车服务", 1), ("机械设备", 2), ("五金", 1),
    ("文化传媒", 3), ("广告", 1), ("教育科技", 1), ("餐饮管理", 2), ("酒店管理", 1), ("酒业", 1),
    ("医药", 1), ("医疗器械", 1), ("生物科技", 1), ("健康管理", 1), ("环保科技", 1),
    ("新能源", 1), ("煤业", 1), ("能源", 1), ("化工", 1), ("钢铁", 1), ("服装", 1), ("服饰", 1),
    ("家具", 1), ("印刷", 1), ("包装", 1), ("劳务", 1), ("劳务派遣", 1), ("人力资源", 1),
    ("企业管理咨询", 1), ("投资管理", 1), ("实业", 3), ("电器", 1), ("通讯", 1), ("农牧", 1),
    ("养殖", 1), ("种植", 1), ("旅游开发", 1), ("园林绿化", 1), ("市政工程", 1), ("石材", 1),
    ("粮油", 1), ("茶业", 1),
)  # fmt: skip
_FORMS = (
    ("有限公司", 68), ("有限责任公司", 15), ("股份有限公司", 3), ("集团有限公司", 1),
    ("公司", 1), ("厂", 3), ("农民专业合作社", 4), ("个人独资企业", 2), ("合伙企业（普通合伙）", 1),
    ("合伙企业（有限合伙）", 1), ("商行", 1),
)  # fmt: skip
_COOP_INDUSTRIES = ("种植", "养殖", "农牧", "农机服务", "杂粮种植", "红枣种植", "蔬菜种植")
_SHOP_FORMS = (
    ("商行", 6), ("经营部", 6), ("门市部", 3), ("商店", 4), ("超市", 4), ("便利店", 2),
    ("饭店", 3), ("餐馆", 2), ("面馆", 1), ("药店", 1), ("小卖部", 1), ("批发部", 1),
    ("维修部", 1), ("服务部", 1), ("养殖场", 1), ("农场", 1), ("店", 2),
)  # fmt: skip
_SHOP_GOODS = _words(
    "五金 百货 烟酒 副食 粮油 蔬菜 水果 服装 家电 建材 汽修 农资 日杂 小吃 快餐 火锅 烧烤 熟食 "
    "糕点 手机 家具 鞋 水暖 电器 调料 干果 土特产 茶叶 酒水 文具 眼镜"
)
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤"
)
_GIVEN_COMMON = _words(
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 涛 明 超 秀英 霞 平 刚 桂英 建华 建国 建军 志强 "
    "志明 海燕 海涛 红梅 丽娟 晓东 晓燕 文华 俊杰 春梅 玉兰 秀兰 淑珍 国庆 国华 永刚 永红 建平 "
    "卫东 小平 利民 德胜 福才 金凤 彩霞 爱华 桂兰 宏伟 鹏飞 婷婷 雪梅 振华 子涵 浩然"
)
_GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰涛明超霞平刚华建国志海燕红梅娟晓东文俊春玉兰秀淑珍庆永卫小利德福"
    "金凤彩爱桂宏鹏婷雪振子涵浩然宇轩欣怡佳琪梓萱诗雨博文睿泽思远嘉懿慧颖晨阳瑞祥凯旭飞亮斌辉"
)
_NUMERALS = "零一二三四五六七八九"
_ORDINALS = "一二三四五六七八九"
# Extra characters for homophone typos (any common character with the same reading).
_COMMON = (
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学"
    "对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头"
    "面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向"
    "情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信"
    "北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难"
    "神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物"
    "台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指"
    "思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步"
    "完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双"
    "历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞"
    "观争究包组造落视济喜离虽坏兴宏鸿源元圆园缘远苑恒衡亨鑫新欣馨心辛盛胜圣晟泰太态钛"
)


@dataclass(frozen=True)
class Place:
    """A county (or district) with its city, province, towns, roads and region code."""

    province: str  # 山西省
    province_base: str  # 山西
    city: str  # 忻州市 (for a municipality, the municipality)
    county: str  # 保德县
    towns: tuple[str, ...]
    roads: tuple[str, ...]
    code: str  # six digits (GB/T 2260 style: province, city, county)

    @property
    def county_base(self) -> str:
        for suffix in ("县", "区", "市"):
            if self.county.endswith(suffix):
                return self.county[: -len(suffix)]
        return self.county  # pragma: no cover - generated names end in a suffix

    @property
    def city_base(self) -> str:
        return self.city[:-1] if self.city.endswith("市") else self.city


@dataclass(frozen=True)
class Gazetteer:
    """The places of a synthetic country."""

    places: tuple[Place, ...]

    def regions(self) -> Regions:
        """The divisions as a :class:`.regions.Regions`: counties, cities and towns by
        name; county → city → province parents."""
        names: list[str] = []
        parents: dict[str, str] = {}
        for place in self.places:
            names.append(place.county)
            names.extend(place.towns)
            if place.city != place.province:
                parents[place.county] = place.city
                parents[place.city] = place.province
            else:
                parents[place.county] = place.province
        return Regions(tuple(dict.fromkeys(names)), parents)


@dataclass(frozen=True)
class _Parts:
    """How an entity's name was put together (for making variants)."""

    prefix: str = ""  # the division written before the trade name
    bracket: str = ""  # the division written in brackets
    town: str = ""  # the town written after the county (individual businesses)
    trade: str = ""
    industry: str = ""
    form: str = ""
    branch: str = ""  # a branch's part after its company's name: label + word
    label: str = ""  # the branch's place or number
    former: str = ""  # former name (without brackets)
    scope: str = ""  # the division the name is registered under (unique within it)

    @property
    def key(self) -> tuple[str, str]:
        """What must be unique among entities: division and core (and a shop's form)."""
        shop = self.form if self.scope.endswith(("镇", "乡", "街道")) or self.town else ""
        return self.scope, self.trade + self.industry + shop + "|" + self.branch


@dataclass(frozen=True)
class Entity:
    """A generated entity: ``id``, the ``record`` to index, its ``kind`` (enterprise,
    individual, branch), the ``parent`` id of a branch and where it is."""

    id: int
    record: Record
    kind: str
    place: Place
    parent: int | None = None
    parts: _Parts = field(default_factory=_Parts, repr=False)

    @property
    def current_name(self) -> str:
        """The name without the former name in brackets."""
        return _compose(self.parts)


@dataclass(frozen=True)
class Variant:
    """A record about an entity: ``entity`` is the id it is about (for ``relation`` "same"),
    the company a new branch belongs to ("branch_of"), or ``None`` ("new": not in the set);
    ``kind`` says how it was made."""

    record: Record
    entity: int | None
    relation: str
    kind: str


# -- helpers -------------------------------------------------------------------------------------


def _weighted(items: Sequence[tuple[str, int]]) -> tuple[list[str], list[int]]:
    return [i for i, _ in items], list(accumulate(w for _, w in items))


def _pick(rng: random.Random, table: tuple[list[str], list[int]]) -> str:
    values, cumulative = table
    return values[bisect(cumulative, rng.random() * cumulative[-1])]


_INDUSTRY_TABLE = _weighted(_INDUSTRIES)
_FORM_TABLE = _weighted(_FORMS)
_SHOP_TABLE = _weighted(_SHOP_FORMS)
_SURNAME_TABLE = _weighted([(s, 1000 // (rank + 8)) for rank, s in enumerate(_SURNAMES)])


def _person(rng: random.Random) -> str:
    surname = _pick(rng, _SURNAME_TABLE)
    if rng.random() < 0.5:
        return surname + rng.choice(_GIVEN_COMMON)
    size = 1 if rng.random() < 0.25 else 2
    return surname + "".join(rng.choice(_GIVEN_CHARS) for _ in range(size))


def _trade(rng: random.Random) -> str:
    r = rng.random()
    size = 2 if r < 0.75 else 3 if r < 0.95 else 4
    while True:
        trade = "".join(rng.choice(_TRADE_CHARS) for _ in range(size))
        if len(set(trade)) == len(trade):
            return trade


def _uscc(rng: random.Random, place: Place, individual: bool, taken: set[str]) -> str:
    alphabet = uscc_codes.ALPHABET
    while True:
        body = ("92" if individual else "91") + place.code
        body += "".join(rng.choice(alphabet) for _ in range(9))
        code = body + uscc_codes.check_digit(body)
        if code not in taken:
            taken.add(code)
            return code


def _address(rng: random.Random, place: Place, town: str | None = None) -> str:
    town = town or rng.choice(place.towns)
    road = rng.choice(place.roads)
    number = rng.randint(1, 300)
    city = "" if place.city == place.province else place.city
    return f"{place.province}{city}{place.county}{town}{road}{number}号"


def _compose(p: _Parts) -> str:
    bracket = f"（{p.bracket}）" if p.bracket else ""
    return p.prefix + p.town + p.trade + p.industry + bracket + p.form + p.branch


def _full_name(p: _Parts) -> str:
    return _compose(p) + (f"（原名{p.former}）" if p.former else "")


# -- places ---------------------------------------------------------------------------------------


@cache
def gazetteer(seed: int = DEFAULT_SEED) -> Gazetteer:
    """The synthetic country's places (deterministic for a seed)."""
    rng = random.Random(seed)  # noqa: S311 — reproducible test data, not a secret
    used: set[str] = set()
    for listed in _CITIES_BY_PROVINCE.values():
        used.update(listed.split())
    used.update(_PROVINCE_CODES)
    for real in _REAL_COUNTIES.values():
        used.update(c[:-1] for c in real.split())
    places: list[Place] = []
    provinces = list(_PROVINCE_CODES)
    for province_base in provinces:
        province, code = _PROVINCE_CODES[province_base]
        if province_base in _MUNICIPALITIES:
            cities = [(province, province_base)]
        else:
            cities = [(c + "市", c) for c in _CITIES_BY_PROVINCE[province_base].split()]
        for city_number, (city, city_base) in enumerate(cities, start=1):
            if city_base in _REAL_COUNTIES:
                counties = _REAL_COUNTIES[city_base].split()
            else:
                count = rng.randint(12, 18) if city == province else rng.randint(6, 13)
                counties = []
                while len(counties) < count:
                    base = "".join(rng.sample(_PLACE_CHARS, 2))
                    if base in used:
                        continue
                    used.add(base)
                    r = rng.random()
                    suffix = (
                        "区" if city == province else "县" if r < 0.6 else "区" if r < 0.9 else "市"
                    )
                    counties.append(base + suffix)
            for county_number, county in enumerate(counties, start=1):
                if county in _REAL_TOWNS:
                    towns = tuple(_REAL_TOWNS[county].split())
                else:
                    names: list[str] = []
                    while len(names) < rng.randint(4, 8):
                        town = "".join(rng.sample(_PLACE_CHARS, 2)) + rng.choice(_TOWN_SUFFIXES)
                        if town not in names and town[:2] != county[:2]:
                            names.append(town)
                    towns = tuple(names)
                roads = tuple(
                    dict.fromkeys(
                        rng.choice(_ROADS) + rng.choice(_ROAD_SUFFIXES) for _ in range(12)
                    )
                )
                region_code = f"{code}{city_number % 100:02d}{county_number % 100:02d}"
                places.append(
                    Place(province, province_base, city, county, towns, roads, region_code)
                )
    return Gazetteer(tuple(places))


# -- entities ------------------------------------------------------------------------------


def _enterprise_parts(rng: random.Random, place: Place) -> tuple[_Parts, str]:
    """Name parts and the uniqueness scope (the division the name is registered under)."""
    form = _pick(rng, _FORM_TABLE)
    trade = _trade(rng)
    if form == "农民专业合作社":
        industry = rng.choice(_COOP_INDUSTRIES)
    elif form == "集团有限公司" and rng.random() < 0.5:
        industry = ""
    else:
        industry = _pick(rng, _INDUSTRY_TABLE)
    r = rng.random()
    if r < 0.55:
        prefix, scope, bracket = place.county, place.county, ""
    elif r < 0.80:
        prefix, scope, bracket = place.city, place.city, ""
    elif r < 0.92:
        prefix = place.province if rng.random() < 0.7 else place.province_base
        scope, bracket = place.province, ""
    elif r < 0.97 and industry and form in ("有限公司", "有限责任公司", "股份有限公司"):
        prefix, scope, bracket = "", place.county, place.county_base
    else:
        prefix, scope, bracket = "", "", ""
    if place.city == place.province and prefix == place.city:
        prefix = place.province
    parts = _Parts(prefix=prefix, bracket=bracket, trade=trade, industry=industry, form=form)
    return replace(parts, scope=scope), scope


def _former(rng: random.Random, parts: _Parts) -> str:
    if parts.form in ("有限公司", "有限责任公司") and rng.random() < 0.6:
        return _compose(replace(parts, form="厂", bracket=""))
    return _compose(replace(parts, trade=_trade(rng)))


def entities(n: int, *, seed: int = DEFAULT_SEED, places: Gazetteer | None = None) -> list[Entity]:
    """``n`` entities with ids 0 … n-1 (see the module docstring)."""
    rng = random.Random(seed)  # noqa: S311 — reproducible test data, not a secret
    gaz = places or gazetteer()
    all_places = gaz.places
    taken_names: set[tuple[str, str]] = set()
    taken_codes: set[str] = set()
    out: list[Entity] = []
    enterprises: list[int] = []
    branch_labels: dict[int, set[str]] = {}
    while len(out) < n:
        entity_id = len(out)
        r = rng.random()
        place = rng.choice(all_places)
        if r < 0.06 and enterprises:
            parent = out[rng.choice(enterprises)]
            made = _branch(rng, parent, branch_labels.setdefault(parent.id, set()))
            if made is None:
                continue
            parts, town = made
            record = Record(
                _compose(parts),
                uscc=_uscc(rng, parent.place, False, taken_codes),
                address=_address(rng, parent.place, town),
                legal_representative=_person(rng),
            )
            out.append(Entity(entity_id, record, "branch", parent.place, parent.id, parts))
            continue
        if r < 0.28:
            parts, _ = _individual_parts(rng, place)
            rep = parts.trade if not parts.industry else _person(rng)
            kind = "individual"
        else:
            parts, _ = _enterprise_parts(rng, place)
            rep = _person(rng)
            kind = "enterprise"
        if parts.key in taken_names:
            continue
        taken_names.add(parts.key)
        if kind == "enterprise" and rng.random() < 0.05:
            parts = replace(parts, former=_former(rng, parts))
        record = Record(
            _full_name(parts),
            uscc=_uscc(rng, place, kind == "individual", taken_codes),
            address=_address(rng, place, parts.town or None),
            legal_representative=rep,
        )
        if kind == "enterprise":
            enterprises.append(entity_id)
        out.append(Entity(entity_id, record, kind, place, None, parts))
    return out


def _is_person_trade(trade: str) -> bool:
    return trade[:1] in _SURNAMES and len(trade) in (2, 3)


def _individual_parts(rng: random.Random, place: Place) -> tuple[_Parts, str]:
    town = rng.choice(place.towns) if rng.random() < 0.5 else ""
    form = _pick(rng, _SHOP_TABLE)
    if rng.random() < 0.35:
        trade, industry = _person(rng), ""
    else:
        trade = _trade(rng) if rng.random() < 0.7 else rng.choice(_SURNAMES) + "记"
        industry = rng.choice(_SHOP_GOODS)
    scope = place.county + town
    parts = _Parts(place.county, "", town, trade, industry, form, scope=scope)
    return parts, scope


def _branch(
    rng: random.Random, parent: Entity, labels: set[str]
) -> tuple[_Parts, str | None] | None:
    """A new branch of ``parent`` (parts, and its town) with a label not in ``labels``."""
    place = parent.place
    p = parent.parts
    town: str | None = None
    if rng.random() < 0.1:
        label = "第" + rng.choice(_ORDINALS)
    elif p.prefix in (place.county, "") or p.bracket:
        town = rng.choice(place.towns)
        label = town if rng.random() < 0.3 else town[:-2] if town.endswith("街道") else town[:-1]
    else:
        label = place.county_base
    if label in labels:
        return None
    labels.add(label)
    w = rng.random()
    word = "分公司" if w < 0.65 else "分店" if w < 0.75 else "营业部" if w < 0.87 else "经营部"
    if p.form == "厂":
        word = "分厂" if w < 0.7 else "门市部"
    if label.startswith("第"):
        word = "分公司" if p.form != "厂" else "分厂"
    return replace(p, branch=label + word, label=label, former=""), town


# -- variants --------------------------------------------------------------------------------------


@cache
def _s2t() -> opencc.OpenCC:
    import opencc

    return opencc.OpenCC("s2t")


@cache
def _homophones() -> dict[str, tuple[str, ...]]:
    groups: dict[str, list[str]] = {}
    for ch in dict.fromkeys(_COMMON + _TRADE_CHARS):
        groups.setdefault(lazy_pinyin(ch)[0], []).append(ch)
    return {
        ch: tuple(other for other in group if other != ch)
        for group in groups.values()
        for ch in group
    }


_KINDS = (
    ("exact", 8), ("traditional", 10), ("width", 5), ("form", 10), ("region_drop", 10),
    ("region_add", 6), ("region_bracket", 5), ("former", 4), ("typo", 10), ("person", 8),
    ("combo", 9), ("branch_new", 5), ("new", 10),
)  # fmt: skip
_KIND_TABLE = _weighted(_KINDS)
_COMPANY_SWAPS = {
    "有限公司": "有限责任公司",
    "有限责任公司": "有限公司",
    "股份有限公司": "股份公司",
    "公司": "有限公司",
    "集团有限公司": "集团公司",
}


def _spoken(number: int) -> str:
    """12 → 十二, 105 → 一百零五 (as numbers are written out in addresses)."""
    if number < 10:
        return _NUMERALS[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return ("" if tens == 1 else _NUMERALS[tens]) + "十" + (_NUMERALS[ones] if ones else "")
    hundreds, rest = divmod(number, 100)
    if rest == 0:
        return _NUMERALS[hundreds] + "百"
    middle = "零" if rest < 10 else ""
    spoken_rest = _spoken(rest) if rest >= 10 else _NUMERALS[rest]
    if 10 <= rest < 20:
        spoken_rest = "一" + spoken_rest
    return _NUMERALS[hundreds] + "百" + middle + spoken_rest


def _full_width(text: str, rng: random.Random) -> str:
    """Spaces here and there, full-width brackets and letters."""
    out = []
    for ch in text:
        if ch.isascii() and ch.isalnum():
            ch = chr(ord(ch) + 0xFEE0)
        out.append(ch)
        if rng.random() < 0.1:
            out.append(rng.choice((" ", "\u3000", "  ")))
    return "".join(out).strip()


def _rewrite_address(address: str, place: Place, rng: random.Random) -> str:
    """Province and city left out, the number written out, or the town left out."""
    city = "" if place.city == place.province else place.city
    r = rng.random()
    if r < 0.4:
        return address.replace(place.province + city, "", 1)
    if r < 0.7:
        head, number = address[:-1].rstrip("0123456789"), address[:-1]
        digits = number[len(head) :]
        return head + _spoken(int(digits)) + "号" if digits else address
    for town in place.towns:
        if town in address:
            return address.replace(town, "", 1)
    return address


def _structural(
    kind: str, entity: Entity, rng: random.Random, taken: set[tuple[str, str]]
) -> _Parts | None:
    """The parts of a rewritten name, or ``None`` if the kind does not apply."""
    p = replace(entity.parts, former="")
    place = entity.place
    if kind == "form":
        swap = _COMPANY_SWAPS.get(p.form)
        if swap is None:
            return None
        if p.form in ("有限公司", "有限责任公司") and rng.random() < 0.15:
            swap = "公司"
        return replace(p, form=swap)
    if kind == "region_drop":
        if not (p.prefix or p.bracket) or len(p.trade + p.industry) < 3:
            return None
        return replace(p, prefix="", bracket="", town="")
    if kind == "region_add":
        city = "" if place.city == place.province else place.city
        if p.prefix == place.county:
            return replace(p, prefix=place.province + city + place.county)
        if p.prefix == place.city and city:
            return replace(p, prefix=place.province + city)
        return None
    if kind == "region_bracket":
        if p.prefix != place.county or not p.industry or p.form not in _COMPANY_SWAPS:
            return None
        return replace(p, prefix="", bracket=place.county_base)
    if kind == "typo":
        if not p.trade or not p.industry:  # a person's name with a typo is another person
            return None
        for _ in range(10):
            i = rng.randrange(len(p.trade))
            options = _homophones().get(p.trade[i], ())
            ch = rng.choice(options) if options and rng.random() < 0.5 else rng.choice(_TRADE_CHARS)
            if ch == p.trade[i]:
                continue
            changed = replace(p, trade=p.trade[:i] + ch + p.trade[i + 1 :])
            if replace(changed, branch="").key not in taken:
                return changed
        return None
    raise ValueError(kind)  # pragma: no cover


def _surface(kind: str, name: str, rng: random.Random) -> str:
    if kind == "traditional":
        return str(_s2t().convert(name))
    return _full_width(name, rng)


def variants(
    ents: Sequence[Entity],
    n: int,
    *,
    seed: int = DEFAULT_SEED,
    places: Gazetteer | None = None,
    kinds: Sequence[str] | None = None,
    codes: float = 0.1,
) -> list[Variant]:
    """``n`` records about ``ents`` (and about entities not among them), with the truth.

    ``kinds`` limits the kinds drawn (names as in the module docstring: exact, traditional,
    width, form, region_drop, region_add, region_bracket, former, typo, person, combo,
    branch_new, new); ``codes`` is the share of records that carry the USCC (0 for
    name-based resolution only).
    """
    rng = random.Random(seed)  # noqa: S311 — reproducible test data, not a secret
    gaz = places or gazetteer()
    taken = {e.parts.key for e in ents if not e.parts.branch}
    taken_codes = {e.record.uscc for e in ents if e.record.uscc}
    labels: dict[int, set[str]] = {}
    for e in ents:
        if e.parent is not None:
            labels.setdefault(e.parent, set()).add(e.parts.label)
    table = _KIND_TABLE if kinds is None else _weighted([(k, w) for k, w in _KINDS if k in kinds])
    out: list[Variant] = []
    while len(out) < n:
        kind = _pick(rng, table)
        entity = ents[rng.randrange(len(ents))]
        made = _variant(kind, entity, rng, gaz, taken, taken_codes, labels, codes)
        if made is not None:
            out.append(made)
    return out


def _details(
    entity: Entity, rng: random.Random, codes: float, *, rep: float = 0.55, address: float = 0.5
) -> dict[str, Any]:
    record = entity.record
    details: dict[str, Any] = {}
    if rng.random() < codes:
        details["uscc"] = record.uscc
    if rng.random() < rep:
        details["legal_representative"] = record.legal_representative
    if rng.random() < address and record.address:
        text = record.address
        if rng.random() < 0.4:
            text = _rewrite_address(text, entity.place, rng)
        details["address"] = text
    return details


def _variant(
    kind: str,
    entity: Entity,
    rng: random.Random,
    gaz: Gazetteer,
    taken: set[tuple[str, str]],
    taken_codes: set[str],
    labels: dict[int, set[str]],
    codes: float,
) -> Variant | None:
    if kind == "person":
        rep = entity.record.legal_representative or ""
        details = _details(entity, rng, 0.0, rep=0.0, address=0.75)
        details.pop("uscc", None)
        name = rep if rng.random() < 0.5 else ""
        return Variant(Record(name, legal_representative=rep, **details), entity.id, "same", kind)
    if kind == "branch_new":
        if entity.kind != "enterprise":
            return None
        made = _branch(rng, entity, set(labels.get(entity.id, ())))
        if made is None:
            return None
        parts, town = made
        record = Record(
            _compose(parts),
            address=_address(rng, entity.place, town),
            legal_representative=_person(rng) if rng.random() < 0.5 else None,
        )
        return Variant(record, entity.id, BRANCH_OF, kind)
    if kind == "new":
        return _new_entity(entity, rng, gaz, taken, taken_codes, codes)
    details = _details(entity, rng, codes)
    if kind == "exact":
        name = entity.record.name if rng.random() < 0.5 else entity.current_name
    elif kind == "former":
        if not entity.parts.former:
            return None
        name = entity.parts.former
    elif kind in ("traditional", "width"):
        name = _surface(kind, entity.current_name, rng)
        if kind == "traditional" and "address" in details:
            details["address"] = _surface(kind, details["address"], rng)
    elif kind == "combo":
        structural = rng.choice(("form", "region_drop", "region_add"))
        changed = _structural(structural, entity, rng, taken)
        if changed is None:
            return None
        name = _surface(rng.choice(("traditional", "width")), _compose(changed), rng)
    else:
        changed = _structural(kind, entity, rng, taken)
        if changed is None:
            return None
        name = _compose(changed)
    return Variant(Record(name, **details), entity.id, "same", kind)


def _new_entity(
    like: Entity,
    rng: random.Random,
    gaz: Gazetteer,
    taken: set[tuple[str, str]],
    taken_codes: set[str],
    codes: float,
) -> Variant | None:
    """A record about an entity that is not in the set, made to resemble ``like``."""
    p = replace(like.parts, former="")
    if like.kind != "enterprise" or not p.trade:
        return None
    r = rng.random()
    place = like.place
    if r < 0.5 and p.prefix == like.place.county:
        # The same core in another county (河曲县黄河食品有限公司 next to 保德县…).
        place = rng.choice(gaz.places)
        parts = replace(p, prefix=place.county, scope=place.county)
    elif r < 0.8 and p.industry:
        industry = _pick(rng, _INDUSTRY_TABLE)
        if industry == p.industry or industry in p.industry or p.industry in industry:
            return None
        parts = replace(p, industry=industry)
    else:
        parts, _ = _enterprise_parts(rng, place)
    if parts.key in taken:
        return None
    record = Record(
        _compose(parts),
        uscc=_uscc(rng, place, False, taken_codes) if rng.random() < codes else None,
        address=_address(rng, place) if rng.random() < 0.5 else None,
        legal_representative=_person(rng) if rng.random() < 0.55 else None,
    )
    return Variant(record, None, "new", "new")


# -- evaluation -----------------------------------------------------------------------------------


def evaluate(index: EntityIndex, records: Sequence[Variant], *, k: int = 3) -> dict[str, Any]:
    """Resolve ``records`` against ``index`` and :func:`measure` the answers."""
    return measure(records, [index.resolve(v.record, k=k) for v in records])


def measure(records: Sequence[Variant], answers: Sequence[Sequence[Candidate]]) -> dict[str, Any]:
    """Measure the candidates found for ``records`` (best first) against the truth.

    * ``precision_same``: of the records whose best candidate is SAME, the share for which
      it is the right entity (a new branch or a new entity is never right);
    * ``precision_same_likely``: the same for SAME or LIKELY;
    * ``recall_same``, ``recall_same_likely``: of the records about an entity in the index,
      the share linked to it as SAME (or LIKELY);
    * ``unsure_share``: records whose best candidate is UNSURE (the review queue);
    * ``branch_found``: of the new branches, the share with their company among the
      candidates as ``branch_of``;
    * ``by_kind``: recall of SAME + LIKELY for each kind of record, and for "new" the share
      wrongly linked.
    """
    linked_right = {Decision.SAME: 0, Decision.LIKELY: 0}
    linked_wrong = {Decision.SAME: 0, Decision.LIKELY: 0}
    positives = 0
    found = {Decision.SAME: 0, Decision.LIKELY: 0}
    unsure = 0
    branches = branch_found = 0
    kinds: dict[str, list[int]] = {}
    for variant, candidates in zip(records, answers, strict=True):
        top = candidates[0] if candidates else None
        decision = top.decision if top is not None else Decision.DIFFERENT
        right = top is not None and variant.relation == "same" and top.id == variant.entity
        tally = kinds.setdefault(variant.kind, [0, 0])
        tally[0] += 1
        if decision in linked_right:
            if right:
                linked_right[decision] += 1
            else:
                linked_wrong[decision] += 1
        if decision == Decision.UNSURE:
            unsure += 1
        if variant.relation == "same":
            positives += 1
            if right and decision in found:
                found[decision] += 1
                tally[1] += 1
        elif variant.relation == BRANCH_OF:
            branches += 1
            branch_found += any(
                c.id == variant.entity and c.relation == BRANCH_OF for c in candidates
            )
            tally[1] += decision not in linked_right
        else:
            tally[1] += decision not in linked_right

    def share(a: int, b: int) -> float:
        return round(a / b, 4) if b else 1.0

    same_links = linked_right[Decision.SAME] + linked_wrong[Decision.SAME]
    all_links = same_links + linked_right[Decision.LIKELY] + linked_wrong[Decision.LIKELY]
    return {
        "records": len(records),
        "positives": positives,
        "precision_same": share(linked_right[Decision.SAME], same_links),
        "precision_same_likely": share(
            linked_right[Decision.SAME] + linked_right[Decision.LIKELY], all_links
        ),
        "wrong_same": linked_wrong[Decision.SAME],
        "wrong_likely": linked_wrong[Decision.LIKELY],
        "recall_same": share(found[Decision.SAME], positives),
        "recall_same_likely": share(found[Decision.SAME] + found[Decision.LIKELY], positives),
        "unsure_share": share(unsure, len(records)),
        "branch_found": share(branch_found, branches),
        "by_kind": {kind: share(t[1], t[0]) for kind, t in sorted(kinds.items())},
    }
