"""Parsing the name of a market entity into its parts.

An enterprise name is registered as ``<division><trade name><industry><form>``
(保德县 · 黄河 · 食品 · 有限公司; 企业名称登记管理规定), the division sometimes in
brackets after the trade name or the industry (黄河食品（保德）有限公司). A branch adds a
place and a branch word to its company's full name (…有限公司东关分公司). An individual
business (个体工商户) is often named after its operator (保德县东关镇张三商行), or not named
at all, so that a record gives only the operator (张三).

:func:`parse_name` splits a name into those parts. The *core* (trade name + industry) is
what identifies a company within its division; the other parts are compared with their
own rules (:mod:`.scoring`).

>>> p = parse_name("保德縣黃河食品有限責任公司")
>>> p.region_names, p.trade, p.industry, p.form, p.form_class
(('保德县',), '黄河', '食品', '有限责任公司', '有限公司')
>>> p = parse_name("保德县黄河食品有限公司东关分公司（原名保德县黄河食品厂东关门市部）")
>>> p.core, p.branch, p.former[0].form, p.former[0].branch
('黄河食品', '东关分公司', '厂', '东关门市部')
>>> parse_name("张三（个体工商户）").person
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ipshield.engines.text import normalize_name

from .regions import (
    DEFAULT_REGIONS,
    UNKNOWN,
    Division,
    Regions,
    _words,
    leading_divisions,
    split_division,
)

__all__ = [
    "FORMS",
    "INDUSTRY_WORDS",
    "ParsedName",
    "form_family",
    "is_person_name",
    "parse_name",
]

# Organisational forms: as written → (canonical form, family). Longest first when matching.
FORMS: dict[str, tuple[str, str]] = {
    "股份有限公司": ("股份有限公司", "company"),
    "股份公司": ("股份有限公司", "company"),
    "有限责任公司": ("有限公司", "company"),
    "责任有限公司": ("有限公司", "company"),
    "有限公司": ("有限公司", "company"),
    "公司": ("公司", "company"),
    "集团": ("集团", "company"),
    "特殊普通合伙企业": ("合伙企业", "partnership"),
    "有限合伙企业": ("合伙企业", "partnership"),
    "普通合伙企业": ("合伙企业", "partnership"),
    "合伙企业": ("合伙企业", "partnership"),
    "个人独资企业": ("个人独资企业", "sole"),
    "独资企业": ("个人独资企业", "sole"),
    "农民专业合作社联合社": ("合作社", "coop"),
    "农民专业合作社": ("合作社", "coop"),
    "专业合作社": ("合作社", "coop"),
    "股份经济合作社": ("合作社", "coop"),
    "经济合作社": ("合作社", "coop"),
    "合作社": ("合作社", "coop"),
    "联合社": ("合作社", "coop"),
    "总厂": ("厂", "factory"),
    "厂": ("厂", "factory"),
}
# Forms of shops and other small businesses, mostly individual businesses; each is its
# own canonical form, all of the family "shop".
_SHOP_FORMS = _words(
    "商行 经营部 门市部 批发部 服务部 维修部 销售部 经销部 商店 商场 超市 便利店 小卖部 专卖店 "
    "饭店 大酒店 酒店 餐馆 饭馆 面馆 餐厅 酒楼 小吃部 食堂 宾馆 旅馆 旅店 招待所 药店 大药房 "
    "药房 诊所 卫生室 门诊部 工作室 养殖场 种植场 家庭农场 农场 事务所 中心 加油站 店 馆 铺 坊 "
    "部 行 场 社 所 站 院 厅"
)
for _shop in _SHOP_FORMS:
    FORMS.setdefault(_shop, (_shop, "shop"))

# Words that end a company's full name, after which a branch part may follow.
_PARENT_ENDINGS = ("公司", "集团", "厂", "合作社", "企业", "商行")
# Words that end a branch part (…有限公司 + 东关 + 分公司).
_BRANCH_WORDS = sorted(
    _words(
        "分公司 分厂 分店 分部 分社 分中心 分行 支行 分理处 营业部 营业所 营业厅 经营部 门市部 "
        "服务部 销售部 办事处 代表处 联络处 门店 店 加油站 加气站 服务站 工作站 项目部 分场 "
        "分院 分所 连锁店 专卖店 超市 药店 大药房 药房 网点 仓库 车间"
    ),
    key=len,
    reverse=True,
)
_BRANCH_ENDS = tuple(_BRANCH_WORDS)
_MAX_BRANCH_TAIL = 16
_FORM_LENGTHS = tuple(sorted({len(f) for f in FORMS}, reverse=True))

#: Industry words (行业表述), matched repeatedly from the end of the core: 黄河红枣食品 →
#: trade name 黄河, industry 红枣食品. Two characters or more; single characters would eat
#: trade names.
INDUSTRY_WORDS = frozenset(
    _words(
        # technology, services
        "科技 技术 信息 信息技术 网络 网络科技 电子 电子商务 电器 电气 通讯 通信 软件 数据 "
        "智能 计算机 互联网 数码 光电 自动化 "
        "商贸 贸易 商务 实业 投资 控股 发展 管理 咨询 服务 企业管理 资产管理 投资管理 "
        "供应链 人力资源 劳务 安保 保安 家政 清洁 物业 物业管理 物业服务 "
        "文化 传媒 文化传媒 广告 影视 传播 教育 培训 体育 娱乐 会展 旅游 旅行社 "
        "酒店管理 餐饮 餐饮管理 "
        # food and farming
        "食品 农业 农产品 农副产品 农牧 牧业 畜牧 养殖 种植 种业 林业 渔业 果业 果品 水果 "
        "蔬菜 粮油 粮食 杂粮 小杂粮 面业 米业 乳业 乳品 肉业 肉制品 肉类 羊肉 牛肉 猪肉 "
        "禽业 蛋业 茶业 茶叶 酒业 酒类 白酒 饮品 饮料 果汁 红枣 枣业 调味品 副食 烟酒 "
        "熟食 糕点 烘焙 蛋糕 面包 豆制品 冷饮 小吃 快餐 火锅 烧烤 农资 化肥 种子 饲料 兽药 "
        # building, property, transport
        "建材 建筑 建设 工程 建筑工程 装饰 装饰工程 装修 园林 绿化 市政 路桥 房地产 "
        "房地产开发 置业 地产 开发 物流 运输 货运 快递 仓储 汽车 汽车销售 汽车服务 汽贸 "
        "汽配 汽修 机动车 摩托车 "
        # industry
        "机械 机械设备 设备 制造 五金 五金交电 钢铁 金属 材料 新材料 化工 塑料 塑业 橡胶 "
        "玻璃 陶瓷 水泥 纺织 服装 服饰 鞋业 皮革 家具 家居 家纺 家电 印刷 包装 纸业 文具 "
        "加工 制品 用品 产品 器材 配件 销售 经销 批发 零售 百货 日用品 日杂 杂货 "
        # health
        "医药 药业 医疗 医疗器械 生物 生物科技 生物技术 健康 保健 卫生 美容 美发 化妆品 "
        "日化 眼镜 "
        # energy, environment
        "能源 新能源 电力 光伏 煤业 煤炭 矿业 石油 石化 燃气 热力 供热 水务 环保 环境 节能"
    )
)
_MAX_INDUSTRY = max(len(w) for w in INDUSTRY_WORDS)

# Bracket prefixes that introduce another name of the same entity.
_FORMER_PREFIXES = ("原名称", "原企业名称", "原名", "曾用名", "曾名", "更名前", "现名称", "现名")
_PERSON_MARKERS = ("个体工商户", "个体户", "个体经营", "个体", "自然人", "个人")
_PARTNERSHIP_MARKERS = {"普通合伙": "合伙企业", "有限合伙": "合伙企业", "特殊普通合伙": "合伙企业"}

_COMPOUND_SURNAMES = frozenset(
    _words(
        "欧阳 司马 诸葛 上官 东方 慕容 令狐 皇甫 尉迟 公孙 长孙 夏侯 宇文 司徒 端木 独孤 南宫 "
        "西门 闻人 呼延 申屠 澹台 太史 万俟 钟离 轩辕 赫连 拓跋"
    )
)
_SURNAMES = frozenset(
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡"
    "贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
    "雷钱汤尹黎易常武乔贺赖龚文庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍韦申尤毕聂丛焦向柳"
    "邢路岳齐沿梅莫庄辛管祝左涂谷祁时舒耿牟卜詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍位"
    "覃霍翁隋植甘景薄单包司柏宁柯阮桂闵解强柴华车冉房边辜吉饶刁瞿戚丘古米池滕晋苑邬臧畅宫来"
    "嵺苟全褚廉简娄盖符奚木穆党燕郎邸冀谈姬屠连郜晏栾郁商蒙计喻揭窦迟宇敖糜鄢冷卓花仇艾蓝都"
    "巩稽井练仲乐虞卞封竺冼原官衣楚佟栗匡宗应台巫鞠僧桑荆谌银扬明沙薄伏岑习胥保和蔺"
)


class ParsedName(NamedTuple):
    """The parts of a market entity's name, all normalised (Simplified, half-width, lower
    case, no spaces or punctuation).

    * ``text``: the whole name as normalised, without the bracketed parts;
    * ``region``: the divisions at the start and in brackets (:class:`.regions.Division`);
    * ``trade``: the trade name (字号), ``industry``: the industry words (行业表述);
    * ``form``: the organisational form as written (有限责任公司), ``form_class`` its
      canonical form (有限公司), ``group``: the name has 集团 before its form;
    * ``branch``: the branch part (东关分公司), empty for a head office; the other fields
      then describe the company the branch belongs to;
    * ``former``: other names given in brackets (（原名…）, （现名…）), parsed;
    * ``extra``: bracketed parts not understood;
    * ``person``: the name is a natural person's (an operator or legal representative
      given instead of a business name), in ``trade``.
    """

    text: str
    region: tuple[Division, ...] = ()
    trade: str = ""
    industry: str = ""
    form: str = ""
    form_class: str = ""
    group: bool = False
    branch: str = ""
    former: tuple[ParsedName, ...] = ()
    extra: tuple[str, ...] = ()
    person: bool = False

    @property
    def core(self) -> str:
        """Trade name and industry: what identifies a company within its division."""
        return self.trade + self.industry

    @property
    def region_names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.region)

    @property
    def region_bases(self) -> tuple[str, ...]:
        return tuple(d.base for d in self.region)

    @property
    def key(self) -> str:
        """A canonical key: equal keys mean the same name up to script, width, spacing,
        punctuation, division suffixes and equivalent forms (有限责任公司 ≡ 有限公司)."""
        group = "集团" if self.group else ""
        return "|".join(
            (
                "".join(self.region_bases),
                self.core,
                group + self.form_class,
                self.branch,
                "p" if self.person else "",
            )
        )


def form_family(form_class: str) -> str:
    """The family of a canonical form: company, partnership, sole, coop, factory, shop or
    an empty string for no form."""
    return FORMS[form_class][1] if form_class in FORMS else ""


_BRACKETS = str.maketrans("【〔[{「『〈<】〕]}」』〉>", "((((((((" + "))))))))", "《》")
_INNER = re.compile(r"\(([^()]*)\)")
_FORMER_INLINE = re.compile(r"[,;，；。\s]*(原名称|原名|曾用名|现名称|现名)[:：为是]?(.+)$")
_NOT_WORD = re.compile(r"[^\w]|_")


def _clean(text: str) -> str:
    """Letters and digits only (CJK included); punctuation and spaces go."""
    return _NOT_WORD.sub("", text)


def _is_cjk(text: str) -> bool:
    return bool(text) and all(
        "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text
    )


def is_person_name(text: str) -> bool:
    """Whether a (normalised, cleaned) text looks like a Chinese person's name: two or three
    characters starting with a common surname, or three or four with a compound surname,
    and not ending in an industry word or a form.

    >>> is_person_name("张三"), is_person_name("欧阳娜娜"), is_person_name("黄河食品")
    (True, True, False)
    """
    if not _is_cjk(text) or not 2 <= len(text) <= 4:
        return False
    if text[:2] in _COMPOUND_SURNAMES:
        ok = len(text) >= 3
    else:
        ok = text[0] in _SURNAMES and len(text) <= 3
    if not ok:
        return False
    if any(text.endswith(w) for w in INDUSTRY_WORDS) or text[-1:] in FORMS or text[-2:] in FORMS:
        return False
    return split_division(text) is None


def _former_text(content: str) -> str | None:
    for prefix in _FORMER_PREFIXES:
        if content.startswith(prefix):
            rest = content[len(prefix) :].lstrip(":：为是")
            return rest if len(_clean(rest)) >= 2 else None
    if content.startswith("原"):
        rest = content[1:].lstrip(":：为是")
        # (原平) is a place, (原保德县黄河食品厂) a former name.
        if len(_clean(rest)) >= 4:
            return rest
    return None


@dataclass
class _Brackets:
    former: list[str]
    regions: list[Division]
    extra: list[str]
    person: bool = False
    form: str = ""
    group: bool = False


def _bracket_division(content: str, regions: Regions) -> Division | None:
    known = regions.known.get(content)
    if known is not None:
        return known
    split = split_division(content)
    if split is not None and _is_cjk(content):
        base, level = split
        return Division(content, base, level, definite=False)
    # An unknown place: two or three characters (保德), not a number or workshop (第三车间).
    if (
        _is_cjk(content)
        and 2 <= len(content) <= 3
        and not content.startswith("第")
        and not content.endswith(_BRANCH_ENDS)
        and not any(w in content for w in INDUSTRY_WORDS)
    ):
        return Division(content, content, UNKNOWN, bare=True, definite=False)
    return None


def _take_brackets(text: str, regions: Regions) -> tuple[str, _Brackets]:
    """Remove bracketed parts (innermost first) and classify them."""
    found = _Brackets([], [], [])
    # An unclosed bracket runs to the end; a stray closing one is dropped.
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
    text += ")" * depth
    parts: list[str] = []
    while True:
        match = _INNER.search(text)
        if match is None:
            break
        parts.append(match.group(1))
        text = text[: match.start()] + text[match.end() :]
    text = text.replace(")", "")
    inline = _FORMER_INLINE.search(text)
    if inline is not None and len(_clean(text[: inline.start()])) >= 2:
        found.former.append(inline.group(2))
        text = text[: inline.start()]
    for raw in parts:
        content = _clean(raw)
        if not content:
            continue
        former = _former_text(raw.strip())
        if former is not None:
            found.former.append(former)
        elif content in _PERSON_MARKERS:
            found.person = True
        elif content in _PARTNERSHIP_MARKERS:
            found.form = _PARTNERSHIP_MARKERS[content]
        elif content == "集团":
            found.group = True
        elif (division := _bracket_division(content, regions)) is not None:
            found.regions.append(division)
        else:
            found.extra.append(content)
    return text, found


def _split_form(text: str) -> tuple[str, str]:
    """(rest, form as written): the longest form at the end that leaves at least two
    characters (商行 in 张三商行, not 行 in 银行)."""
    for size in _FORM_LENGTHS:
        if len(text) - size >= 2 and text[-size:] in FORMS:
            return text[:-size], text[-size:]
    return text, ""


def _split_branch(text: str) -> tuple[str, str]:
    """(company name, branch part): …有限公司东关分公司 → (…有限公司, 东关分公司).

    The company's name ends at the last company word that leaves a branch part after it
    (…集团有限公司 | 第八分公司, not …集团 | 有限公司第八分公司).
    """
    if not text.endswith(_BRANCH_ENDS):
        return text, ""
    ends = sorted(
        {start + len(word) for word in _PARENT_ENDINGS for start in _find_all(text, word)
         if start >= 2},
        reverse=True,
    )  # fmt: skip
    for end in ends:
        tail = text[end:]
        if not tail or len(tail) > _MAX_BRANCH_TAIL or tail.startswith(("公司", "有限")):
            continue
        if tail.endswith(_BRANCH_ENDS):
            return text[:end], tail
    # No company word before it: 黄河食品东关分公司 is still a branch.
    for word in ("分公司", "分厂", "分店", "支行", "分行"):
        if text.endswith(word) and len(text) - len(word) >= 2:
            return text[: -len(word)], word
    return text, ""


def _find_all(text: str, word: str) -> list[int]:
    out = []
    start = text.find(word)
    while start != -1:
        out.append(start)
        start = text.find(word, start + 1)
    return out


def _split_industry(core: str) -> tuple[str, str]:
    """(trade name, industry): industry words taken from the end while two characters of
    trade name remain."""
    trade, industry = core, ""
    while True:
        for size in range(min(_MAX_INDUSTRY, len(trade) - 2), 1, -1):
            if trade[-size:] in INDUSTRY_WORDS:
                trade, industry = trade[:-size], trade[-size:] + industry
                break
        else:
            return trade, industry


@lru_cache(maxsize=1 << 16)
def _parse(text: str, regions: Regions, depth: int) -> ParsedName:
    text, brackets = _take_brackets(text.translate(_BRACKETS), regions)
    text = _clean(text)
    person = brackets.person
    for marker in _PERSON_MARKERS[:3]:
        if text.startswith(marker) and len(text) > len(marker) + 1:
            text, person = text[len(marker) :], True
        elif text.endswith(marker) and len(text) > len(marker) + 1:
            text, person = text[: -len(marker)], True

    company, branch = _split_branch(text)
    rest, form = _split_form(company)
    form_class = FORMS[form][0] if form else brackets.form
    group = brackets.group
    if form and FORMS[form][1] == "company" and rest.endswith("集团") and len(rest) > 3:
        rest, group = rest[:-2], True
    if form == "集团":
        group, form_class = True, ""

    chain, core = leading_divisions(rest, regions)
    # Keep the core from vanishing: a bare division (朝阳食品 → 朝阳) must leave a trade name
    # that is not itself an industry word, a suffixed one at least two characters
    # (保德县食品公司 keeps 食品).
    while chain:
        trade, industry = _split_industry(core)
        if chain[-1].bare:
            if len(trade) >= 2 and trade not in INDUSTRY_WORDS:
                break
        elif len(core) >= 2:
            break
        core = chain[-1].name + core
        chain = chain[:-1]
    trade, industry = _split_industry(core)

    if not form and not branch and not industry and is_person_name(trade):
        person = True
    elif person and not is_person_name(trade):
        # "个体工商户" on a named business: the business name stands.
        person = not (form or industry)
    former: list[ParsedName] = []
    if depth == 0:
        for other in brackets.former:
            parsed = _parse(other, regions, 1)
            if parsed.core or parsed.trade:
                former.append(parsed)
    region = tuple(chain) + tuple(
        d for d in brackets.regions if d.base not in {c.base for c in chain}
    )
    return ParsedName(
        text=text,
        region=region,
        trade=trade,
        industry=industry,
        form=form,
        form_class=form_class,
        group=group,
        branch=branch,
        former=tuple(former),
        extra=tuple(brackets.extra),
        person=person,
    )


def parse_name(name: str, regions: Regions = DEFAULT_REGIONS) -> ParsedName:
    """Parse a market entity's name (see :class:`ParsedName`).

    Traditional characters, full-width letters and brackets and spaces are normalised first
    (:func:`ipshield.engines.text.normalize_name`). Pass ``regions`` to recognise divisions
    the built-in lists do not know (counties and towns written without a suffix).

    >>> p = parse_name("黄河食品（保德）有限公司")
    >>> p.trade, p.industry, p.region_bases, p.form_class
    ('黄河', '食品', ('保德',), '有限公司')
    >>> parse_name("哈尔滨市道里区冰城食品有限公司").region_names
    ('哈尔滨市', '道里区')
    """
    return _parse(normalize_name(name or ""), regions, 0)
