"""Administrative divisions (行政区划) at the start of names and addresses.

A registered enterprise name starts with the division of the registering authority
(保德县黄河食品有限公司, 山西省太原市…, 哈尔滨市道里区…) or carries it in brackets
(黄河食品（保德）有限公司); an address starts with the chain province → city → county →
town. :func:`leading_divisions` reads that chain, and :func:`compare_divisions` says whether
two chains name the same place.

A division is recognised by

* the built-in lists: the 34 provincial-level divisions and the prefecture-level cities,
  with or without their suffix (山西省 / 山西, 哈尔滨市 / 哈尔滨);
* a suffix: 省, 自治区, 市, 自治州, 地区, 盟, 县, 自治县, 旗, 区, and — after a county —
  镇, 乡, 街道, 苏木 (保德县, 道里区, 东关镇), unless the last character and the suffix
  make an ordinary word (超市, 城市, 社区, 小区, 加盟, 红旗 …);
* names passed in a :class:`Regions` (the platform's own region table), which may also say
  which division contains which (保德县 → 忻州市 → 山西省), so that a name with 忻州市
  and one with 保德县 are known to agree.

>>> [d.name for d in leading_divisions("哈尔滨市道里区冰城食品有限公司")[0]]
['哈尔滨市', '道里区']
>>> [d.base for d in leading_divisions("山西省忻州市保德县东关镇新华街12号")[0]]
['山西', '忻州', '保德', '东关']
>>> compare_divisions(leading_divisions("保德县")[0], leading_divisions("河曲县")[0])
'conflict'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

__all__ = [
    "AGREE",
    "CONFLICT",
    "DEFAULT_REGIONS",
    "DISJOINT",
    "MISSING",
    "NONE",
    "Division",
    "Regions",
    "compare_divisions",
    "leading_divisions",
    "split_division",
]

#: Levels of a division. ``UNKNOWN`` is a bare name whose level cannot be told (保德 in
#: brackets), ``SOFT_COUNTY`` an unlisted …市 (a county-level city or an unlisted prefecture).
NATION, PROVINCE, CITY, COUNTY, TOWN = 0, 1, 2, 3, 4
UNKNOWN = -1


def _words(text: str) -> tuple[str, ...]:
    """The words of a space-separated list (keeps long word lists readable)."""
    return tuple(text.split())


# Results of compare_divisions().
AGREE = "agree"  # a common division and no conflict
CONFLICT = "conflict"  # different divisions at the same level
DISJOINT = "disjoint"  # nothing in common, but nothing comparable either (忻州 / 保德)
MISSING = "missing"  # one side names no division
NONE = "none"  # neither side names one

_PROVINCES = _words(
    "北京市 天津市 上海市 重庆市 河北省 山西省 内蒙古自治区 辽宁省 吉林省 黑龙江省 江苏省 "
    "浙江省 安徽省 福建省 江西省 山东省 河南省 湖北省 湖南省 广东省 广西壮族自治区 海南省 "
    "四川省 贵州省 云南省 西藏自治区 陕西省 甘肃省 青海省 宁夏回族自治区 新疆维吾尔自治区 "
    "台湾省 香港特别行政区 澳门特别行政区"
)
_PROVINCE_BASES = _words(
    "北京 天津 上海 重庆 河北 山西 内蒙古 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 "
    "湖北 湖南 广东 广西 海南 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 台湾 香港 澳门"
)
# Prefecture-level cities (地级市) by province, without 市.
_CITIES_BY_PROVINCE = {
    "河北": "石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水",
    "山西": "太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁",
    "内蒙古": "呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布",
    "辽宁": "沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛",
    "吉林": "长春 吉林 四平 辽源 通化 白山 松原 白城",
    "黑龙江": "哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化",
    "江苏": "南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁",
    "浙江": "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水",
    "安徽": "合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城",
    "福建": "福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德",
    "江西": "南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶",
    "山东": "济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽",
    "河南": "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 "
    "周口 驻马店",
    "湖北": "武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州",
    "湖南": "长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底",
    "广东": "广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 "
    "东莞 中山 潮州 揭阳 云浮",
    "广西": "南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左",
    "海南": "海口 三亚 三沙 儋州",
    "四川": "成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 "
    "巴中 资阳",
    "贵州": "贵阳 六盘水 遵义 安顺 毕节 铜仁",
    "云南": "昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧",
    "西藏": "拉萨 日喀则 昌都 林芝 山南 那曲",
    "陕西": "西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛",
    "甘肃": "兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南",
    "青海": "西宁 海东",
    "宁夏": "银川 石嘴山 吴忠 固原 中卫",
    "新疆": "乌鲁木齐 克拉玛依 吐鲁番 哈密",
}
_CITIES = [city for cities in _CITIES_BY_PROVINCE.values() for city in cities.split()]
_CITY_SET = frozenset(_CITIES)
# Prefectures that are not cities, written in full, by province.
_PREFECTURES_BY_PROVINCE = {
    "内蒙古": "兴安盟 锡林郭勒盟 阿拉善盟",
    "黑龙江": "大兴安岭地区",
    "吉林": "延边朝鲜族自治州",
    "湖北": "恩施土家族苗族自治州",
    "湖南": "湘西土家族苗族自治州",
    "四川": "阿坝藏族羌族自治州 甘孜藏族自治州 凉山彝族自治州",
    "贵州": "黔东南苗族侗族自治州 黔南布依族苗族自治州 黔西南布依族苗族自治州",
    "云南": "楚雄彝族自治州 红河哈尼族彝族自治州 文山壮族苗族自治州 西双版纳傣族自治州 "
    "大理白族自治州 德宏傣族景颇族自治州 怒江傈僳族自治州 迪庆藏族自治州",
    "甘肃": "临夏回族自治州 甘南藏族自治州",
    "青海": "海北藏族自治州 黄南藏族自治州 海南藏族自治州 果洛藏族自治州 玉树藏族自治州 "
    "海西蒙古族藏族自治州",
    "新疆": "昌吉回族自治州 博尔塔拉蒙古自治州 巴音郭楞蒙古自治州 克孜勒苏柯尔克孜自治州 "
    "伊犁哈萨克自治州 阿克苏地区 喀什地区 和田地区 塔城地区 阿勒泰地区",
    "西藏": "阿里地区",
}
_PREFECTURES = [p for names in _PREFECTURES_BY_PROVINCE.values() for p in names.split()]

# Suffixes, longest first, with the level they give. 市 is handled apart (listed cities are
# prefectures; an unlisted …市 may be either level).
_SUFFIXES = (
    ("特别行政区", PROVINCE),
    ("自治区", PROVINCE),
    ("自治州", CITY),
    ("自治县", COUNTY),
    ("自治旗", COUNTY),
    ("街道", TOWN),
    ("苏木", TOWN),
    ("地区", CITY),
    ("省", PROVINCE),
    ("市", COUNTY),
    ("盟", CITY),
    ("县", COUNTY),
    ("旗", COUNTY),
    ("区", COUNTY),
    ("镇", TOWN),
    ("乡", TOWN),
)
# Last character + suffix that make an ordinary word, not a division (XX社区 is not XX社 +
# 区). Names the caller passes in a Regions are recognised whatever they end in.
_NOT_DIVISION = frozenset(
    _words(
        "城市 都市 超市 门市 夜市 早市 股市 菜市 集市 上市 街市 闹市 鱼市 花市 车市 楼市 社区 "
        "园区 景区 小区 街区 矿区 校区 厂区 专区 片区 展区 商区 灾区 库区 游区 疫区 家乡 故乡 "
        "水乡 城乡 老乡 异乡 他乡 梦乡 城镇 小镇 古镇 红旗 国旗 彩旗 锦旗 军旗 联盟 同盟 加盟 "
        "结盟 节省 反省"
    )
)
# Suffix + next character that make an ordinary word: 市政工程 does not end a division
# (爱七市政工程 is not 爱七市 + 政工程), nor 旗舰店.
_NOT_AFTER = frozenset(_words("市政 市场 市民 区块 区域 旗舰 乡村 县域 省钱 省心"))
_MAX_BASE = 8  # longest base tried before a suffix (克孜勒苏柯尔克孜 is 8)


class Division(NamedTuple):
    """One administrative division as written: ``name`` (保德县), ``base`` without its
    suffix (保德) and ``level`` (1 province … 4 town, -1 unknown).

    ``bare`` is true when the name was recognised without a suffix (山西, 哈尔滨, or a name
    in brackets); ``definite`` when its level is certain enough to call a conflict.
    """

    name: str
    base: str
    level: int
    bare: bool = False
    definite: bool = True


def split_division(name: str) -> tuple[str, int] | None:
    """Base and level of a division written with its suffix, or ``None``.

    >>> split_division("保德县")
    ('保德', 3)
    >>> split_division("内蒙古自治区")
    ('内蒙古', 1)
    >>> split_division("超市") is None
    True
    """
    known = DEFAULT_REGIONS.known.get(name)
    if known is not None and not known.bare:
        return known.base, known.level
    for suffix, level in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            base = name[: -len(suffix)]
            if base[-1] + suffix in _NOT_DIVISION:
                return None
            return base, level
    return None


def _province_base(full: str) -> str:
    for base in _PROVINCE_BASES:
        if full.startswith(base):
            return base
    raise AssertionError(full)  # pragma: no cover - the lists above agree


@dataclass(frozen=True, eq=False)
class Regions:
    """Division names the parser should know besides the built-in ones.

    ``names``: divisions written with their suffix (保德县, 东关镇, 忻州市); each is then
    recognised with or without the suffix where a bare name can occur. ``parents`` maps a
    division to the one containing it (``{"保德县": "忻州市", "忻州市": "山西省"}``), so that
    chains naming different levels can still be compared.

    >>> regions = Regions(["保德县"], parents={"保德县": "忻州市"})
    >>> [d.base for d in regions.expand(leading_divisions("保德县", regions)[0])]
    ['山西', '忻州', '保德']
    """

    names: Sequence[str] = ()
    parents: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def known(self) -> dict[str, Division]:
        """Every known spelling → its division (bare spellings have ``bare=True``)."""
        known: dict[str, Division] = {}
        for full, base in zip(_PROVINCES, [_province_base(p) for p in _PROVINCES], strict=True):
            known[full] = Division(full, base, PROVINCE)
            known[base] = Division(base, base, PROVINCE, bare=True)
        for base in _CITY_SET:
            known.setdefault(base + "市", Division(base + "市", base, CITY))
            known.setdefault(base, Division(base, base, CITY, bare=True))
        for full in _PREFECTURES:
            for suffix, level in _SUFFIXES:
                if full.endswith(suffix):
                    known[full] = Division(full, full[: -len(suffix)], level)
                    break
        known["中国"] = Division("中国", "中国", NATION, bare=True)
        known["中华人民共和国"] = Division("中华人民共和国", "中国", NATION)
        for name in list(self.names) + list(self.parents) + list(self.parents.values()):
            if name in known and not known[name].bare:
                continue
            split = _split_generic(name, strict=False)
            if split is None:
                continue
            base, level = split
            if level == COUNTY and name.endswith("市"):
                level = CITY if base in _CITY_SET else COUNTY
            known[name] = Division(name, base, level)
            # A bare spelling of a county or above (保德) is recognised too; towns only
            # with their suffix (东关 alone is more often a trade name).
            if level <= COUNTY and len(base) >= 2:
                known.setdefault(base, Division(base, base, level, bare=True))
        return known

    @cached_property
    def lengths(self) -> dict[str, tuple[int, ...]]:
        """First character → the lengths of the known spellings starting with it, longest
        first."""
        by_first: dict[str, set[int]] = {}
        for name in self.known:
            by_first.setdefault(name[0], set()).add(len(name))
        return {ch: tuple(sorted(sizes, reverse=True)) for ch, sizes in by_first.items()}

    @cached_property
    def _parent_of(self) -> dict[tuple[str, int], Division]:
        out: dict[tuple[str, int], Division] = {}
        provinces = {d.base: d for d in self.known.values() if d.level == PROVINCE and not d.bare}
        for province, cities in _CITIES_BY_PROVINCE.items():
            for city in cities.split():
                out[city, CITY] = provinces[province]
        for province, prefectures in _PREFECTURES_BY_PROVINCE.items():
            for name in prefectures.split():
                division = self.known[name]
                out[division.base, division.level] = provinces[province]
        for child, parent in self.parents.items():
            c = self.known.get(child)
            p = self.known.get(parent)
            if c is not None and p is not None:
                out[c.base, c.level] = p
        return out

    def parent(self, division: Division) -> Division | None:
        """The division containing ``division``, if known."""
        return self._parent_of.get((division.base, division.level))

    def expand(self, chain: Sequence[Division]) -> list[Division]:
        """The chain with the ancestors that :attr:`parents` gives, outermost first."""
        out = list(chain)
        seen = {d.base for d in out}
        frontier = list(chain)
        while frontier:
            division = frontier.pop()
            parent = self._parent_of.get((division.base, division.level))
            if parent is not None and parent.base not in seen:
                seen.add(parent.base)
                out.append(parent)
                frontier.append(parent)
        out.sort(key=lambda d: d.level)
        return out

    @cached_property
    def _profiles(self) -> dict[tuple[Division, ...], tuple[dict[int, str], frozenset[str]]]:
        return {}

    def _profile(self, chain: tuple[Division, ...]) -> tuple[dict[int, str], frozenset[str]]:
        """Definite bases by level, and all bases (without the nation), of a chain with its
        ancestors; cached (chains repeat: the same county in many names)."""
        profile = self._profiles.get(chain)
        if profile is None:
            expanded = self.expand(chain)
            by_level = {d.level: d.base for d in expanded if d.definite and d.level != UNKNOWN}
            bases = frozenset(d.base for d in expanded if d.level != NATION)
            profile = (by_level, bases)
            if len(self._profiles) > 500_000:
                self._profiles.clear()
            self._profiles[chain] = profile
        return profile

    def with_names(self, names: Iterable[str]) -> Regions:
        """A copy that also knows ``names``."""
        return Regions(tuple(self.names) + tuple(names), dict(self.parents))


def _split_generic(name: str, *, strict: bool = True) -> tuple[str, int] | None:
    for suffix, level in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            base = name[: -len(suffix)]
            if strict and base[-1] + suffix in _NOT_DIVISION:
                return None
            return base, level
    return None


DEFAULT_REGIONS = Regions()


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


_SUFFIX_STARTS: dict[str, tuple[tuple[str, int], ...]] = {}
for _suffix, _level in _SUFFIXES:
    _SUFFIX_STARTS[_suffix[0]] = (*_SUFFIX_STARTS.get(_suffix[0], ()), (_suffix, _level))


def _match_at(
    text: str, pos: int, regions: Regions, last_level: int, previous: Division | None
) -> Division | None:
    """The division written at ``text[pos:]``, or ``None``."""
    known = regions.known
    # Known spellings, longest first (哈尔滨市 before 哈尔滨).
    if pos >= len(text):
        return None
    for size in regions.lengths.get(text[pos], ()):
        division = known.get(text[pos : pos + size])
        if division is None or division.level <= last_level or pos + size > len(text):
            continue
        if division.bare and division.level >= COUNTY:
            # A county without its suffix is taken only right after its own city
            # (忻州保德…); elsewhere it is more likely part of a trade name.
            parent = regions.parent(division)
            if previous is None or parent is None or parent.base != previous.base:
                continue
        return division
    # A base of 2 to _MAX_BASE CJK characters (one for 县: 沛县, 单县) and a suffix; the
    # shortest base that works.
    stop = min(len(text) - 1, pos + _MAX_BASE)
    for end in range(pos + 1, stop + 1):
        if not _is_cjk(text[end - 1]):
            return None
        starts = _SUFFIX_STARTS.get(text[end])
        if starts is None:
            continue
        for suffix, level in starts:
            if not text.startswith(suffix, end):
                continue
            if end == pos + 1 and suffix != "县":
                continue
            if level == TOWN and last_level != COUNTY:
                continue
            base = text[pos:end]
            if base[-1] + suffix in _NOT_DIVISION:
                continue
            if text[end + len(suffix) - 1 : end + len(suffix) + 1] in _NOT_AFTER:
                continue
            definite = True
            if suffix == "市":
                level, definite = (CITY, True) if base in _CITY_SET else (COUNTY, False)
            if level <= last_level:
                continue
            return Division(base + suffix, base, level, definite=definite)
    return None


def leading_divisions(
    text: str, regions: Regions = DEFAULT_REGIONS, *, limit: int = 5
) -> tuple[tuple[Division, ...], str]:
    """The chain of divisions ``text`` starts with, outermost first, and the rest.

    ``text`` should be normalised (Simplified, no spaces). Levels must increase along the
    chain (a county cannot be followed by a province), which keeps trade names that happen
    to be place names (保德县朝阳食品 keeps 朝阳) in place.

    >>> chain, rest = leading_divisions("山西省太原市小店区晋阳街5号")
    >>> [d.name for d in chain], rest
    (['山西省', '太原市', '小店区'], '晋阳街5号')
    """
    chain: list[Division] = []
    pos = 0
    last = UNKNOWN
    while len(chain) < limit:
        previous = chain[-1] if chain else None
        division = _match_at(text, pos, regions, last, previous)
        if division is None and previous is not None and not previous.definite and last == COUNTY:
            # An unlisted …市 followed by a county or district is a prefecture (…市…区).
            division = _match_at(text, pos, regions, CITY, previous)
            if division is not None and division.level == COUNTY:
                soft = chain[-1]
                chain[-1] = Division(soft.name, soft.base, CITY, soft.bare, definite=False)
            else:
                division = None
        if division is None:
            break
        chain.append(division)
        pos += len(division.name)
        last = division.level
    return tuple(chain), text[pos:]


def compare_divisions(
    a: Sequence[Division], b: Sequence[Division], regions: Regions = DEFAULT_REGIONS
) -> str:
    """How two chains relate: :data:`AGREE`, :data:`CONFLICT`, :data:`DISJOINT`,
    :data:`MISSING` (one is empty) or :data:`NONE` (both are).

    Different divisions at the same definite level conflict even when a higher level agrees
    (山西省保德县 / 山西省河曲县). Chains are first completed with the ancestors that
    ``regions.parents`` gives.
    """
    if not a and not b:
        return NONE
    if not a or not b:
        return MISSING
    by_level_a, bases_a = regions._profile(tuple(a))
    by_level_b, bases_b = regions._profile(tuple(b))
    for level, base in by_level_a.items():
        other = by_level_b.get(level)
        if other is not None and other != base:
            return CONFLICT
    if bases_a & bases_b:
        return AGREE
    return DISJOINT
