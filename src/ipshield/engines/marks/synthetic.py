"""A seeded synthetic trade-mark registry and marketplace listing titles.

Used by the tests and benchmarks of :mod:`ipshield.engines.marks` (a registry of up to a
million marks with the development set's originals hidden in it) and as demo and
monitoring data. Everything is deterministic for a given seed (and this file).

>>> reg = registry(5, seed=1, originals=["康师傅"])
>>> len(reg.names), "康师傅" in reg.names, all(1 <= c <= 45 for cs in reg.classes for c in cs)
(5, True, True)
>>> registry(1000, seed=7).names == registry(1000, seed=7).names
True

How the statistics were chosen (no public machine-readable corpus of Chinese marks is
available offline, so these are modelled, not fitted — change them here if better data
turns up):

* **Script**: 78 % Chinese, 15 % Latin, 7 % mixed (Latin letters or digits with Chinese
  characters, like TCL王牌 or 361度) — word marks filed in China are mostly Chinese, with
  a sizeable share of Latin names, many of them pinyin.
* **Length** of Chinese marks: 1 character 1 %, 2: 30 %, 3: 38 %, 4: 22 %, 5: 5 %,
  6: 4 %; 12 % of them end in a common brand suffix (…坊, …之家, …优品, …先生).
* **Characters**: half of the draws come from a hand-picked list of about 250 characters
  that brand names favour (美, 华, 康, 佳, 金, 宝, 福, 乐, 源, 鑫 …, each equally
  likely); the other half from the 2,500 most frequent characters of pypinyin's phrase
  dictionary (about 47,000 words and idioms it ships; snapshot below), weighted by rank as
  Zipf's law (weight ∝ 1 / (rank + 50)), without a few ill-omened characters that no brand
  would choose (死, 病, 丧 …) and without 牌, 司, 团 and 标 (which would make a name end
  in a word that :func:`.normalize_mark` strips). The result has the look of real marks:
  the 100 most used characters make about 28 % of all characters (家, 大, 小, 品, 优 lead);
  many marks share a character or a syllable with any given famous mark, few share two.
* **Latin marks**: 40 % pinyin of two or three pool characters (Huameida), 60 %
  pronounceable made-up words of two (35 %), three (45 %) or four (20 %) syllables
  (Kolaro, Brenvixa), capitalised: about 9 letters on average (median 8), like
  international brand names rather than dictionary words.
* **Nice classes**: one class (70 %), two (20 %) or three (10 %), drawn with weights that
  follow the rough order of Chinese filings by class (35, 25, 9, 30, 43, 3, 5, 29 … lead;
  the last classes are rare).
* **Distinct**: no two marks have the same comparison key (:func:`.normalize_mark`), and
  no generated mark has the key of anything in ``avoid`` — callers pass the development
  set's knock-offs and negatives, so that a knock-off is never found as an identical
  distractor (which would make recall meaningless).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from pypinyin import lazy_pinyin

from .normalize import normalize_mark

__all__ = ["DEFAULT_SEED", "Registry", "listing_titles", "mark_names", "nice_classes", "registry"]

DEFAULT_SEED = 20260515

# The 2,500 most frequent simplified characters of pypinyin's phrase dictionary (0.55),
# most frequent first, without 牌司团标 (see the module docstring).
_FREQUENT = (
    "不大风一头地子行人无之有天相发心家长上分儿为重中见同打石言车水可合得食知而雨生化正过体落好血会难万骨"
    "语自倒当道空下三日如红气高干面马山说节解乐成其口数论小远事云恶文转度门调女信思流白出手金以角和学斗场"
    "意强若千能量内力结身月应传动名国机火横处时亲电尽衣观年曲从作花朝号情片切散背南死神别明目老间台折教露"
    "将海所里着服世声兴北物单方没夫来然百识期义拉公条书安少要足差通工开弹华种沙经令理眼龙光叶奇底价多藏共"
    "枝深累任戏员待称鱼主外失尾色法看弄兵本计飞东反五冲压薄性短磨六景玉王毛虎入交尺平毒路土暴草业两亡清燕"
    "于古起冠话还了功点直二半后济约利词轻区影洗用民形才离进采丧十望泥系耳追齐假对提连乘制卷善指木肉西便参"
    "破闻八前回字并皮塞线酒实放星何脑变四绿羊关射阿音求牛瓦疑立非命在禁载铁黄军夜定广根管新器油鸡市带德河"
    "蛇走取战更蒙俗刺句容把断术极校率谈产去吃是病莫遗异归绝胆投活笑首众助包跳运户视读降黑汤热积胜苦青冰劲"
    "及改查精脉问鬼先排盖眉乱争报步牙舌齿休佛吐收溜丁与志惊核珠钢雪凤笔败九官急春辞易比炮礼美裂囊汗父狗穷"
    "补举击寒居己纵使嘴扬画细魂仰余势坐复旁票舍近堂扫邪雀个劳品权独省缩者全刀师政板游药钻务奔满灯的退铺顺"
    "宿引弟息肠负创各守寸烟真膏谋井仇只听呼存微扇暮繁纪织至议错隐鲜鼓丝危忘挑据树粉罪群街集冷室就浅秋移脚"
    "被丽低原布林素表跑附代似委宁属感甲臂货达供到旧果江混男章等给财闷富巷未朱治洋翻防顾饭加城客换故止答缝"
    "虚装卖商痛除饮鹤受味夹巴欲歌照犯盘私竹香冒凉几划向喷图孙尘床张房样沉简肩臭著觉都阳圆士尔弱怪想杀模消"
    "源社肚脸趣随伤净含寡封支敌甘祸糊舞针雷伯住吹席抢接枕此泽涂界研科纸规质边鼎七临修圈撒炸狼致迹逐削印妻"
    "式必悬拔末浪状盛穿端聚胸贵轮郎鸣保喜念摩格浆测灰留终良赏趋造队餐鼠今占怀择持智枪案波甚胡船豆贤钉销闭"
    "颠专仁克博厂夕屏常挂旋朴楼母监腹菜虑逢钱位侧唇唱太妙岁总披拾操武爪爱特记许轴镜零鸟党厉坏弃快恩抹晕班"
    "统衰谷费养农夺妇宝拘招摇暗梦楚欢泡漏疾症福算肝超雾鸿龟乡元刻卡告孤承拳料施杂松畜纤级肥责迷领颜伏决副"
    "因屈彩担旗昏温瓜米类腰贫部锦做喝墙察屋巧材架程笼索组置育茶虫覆迫避钟阴靡顶久乎倾哑填增导屯帖悲族染柳"
    "残毫浮蚁野险霜静初历奸戈执拨播次毁炎罗联苏踵返选遇阙革双哄墨壮始宫履建征忧我抽振掌攻救敢枯栖泰潜熏现"
    "球登考象软配阵雕值剥县否周哈坚型害崩往徒愁揭斯灭税筋职评贯适习再列卧固契层怨抱整柜港由蜂认诗际隙额魄"
    "兰具卒厚套威宽展左庭怒技拜推攒杆析梁涌溃略疆疏紫英证铅雄劈勾吞审尿弦摄污洞滑漂田童网资迁严仆刷埋备夸"
    "姓局废弥恨摸椎池漫烂琴矜硬编贾雅须频丰兄割友叹咽嚼密寻已拆拖拿朽汉淡狐紧绳豁赤送透锅闲飘骑鸾丹依兼凡"
    "则勃升卜响垂座态扎批束棍款洒派淋环矫碌站舟营试貌速陆么京借剂办勤医奉宜律效杯柔泣潮盐碎纳缘罚股艳荣菌"
    "藉触誉贪酸锋院驱丈丑乌予互优俱像券剧叉哭婚桑激熟牵猫玩秘稀箭箱粗维芥荒莺详误账较迎违逆途颈题饰驰麻什"
    "份俏停冤刑协卫即堕夏姿孔尊岭忍挨敬柏泄泊渊焦番竭糖络贼辟辩逸鉴鞭鳞亚充准勇境弓扶掩撞桃榜湖演灾瘦穴窝"
    "筑纹肤艺荡蔓赶银买刚判叠吊君哀困块奋帽幕托扣拍探搭敛敦暖殷淫溺犬狂皇祖稽究策篇翼脱苟薪警豪赛迭隔预饥"
    "骂验们侯勒卵史吾奥寝寿庆序府戴捉摧早桥椅液渐湿滚璧盈益盟矩禅胶蛾诚赴轨骚且件俯偶傲免减凶刊劫叫右吉吸"
    "呵壳巢患慢扑抵插显李欺汇烈牢瞒矢秀竿继羁羽耕耻腐臣请诸逃那钩闹雁饱鹿亮伐伙偏儒冬凿剑厌奏奖宾尖尚帮悔"
    "挡昧柱滴灌灵煞窗簿粮脂航蹈遮铢陈震颤鼻典垢塔妄库悟扯握旦昭晚棱殊泉澄炉烦焚燎痒盗确竖纲缺耗荷蛋讨越躬"
    "遁邻释髓魔亏仙例兔卑叨唯嘲坊宣尸州巨扁护挥捕撩敲晃晓村杠枉毕涨添熬珍盲碧突符羞胎艰茂蒸裤设辨铃鞋麦倡"
    "债刨劝匹召吁堪奈姑娘孝宅宗幅廉弊弯径忌愚扒括擦旅曾柴洪烛烧牧狱睹矿砥纷绰聘肌蝇裁让讲辙辱逾釜锁阔韵项"
    "鸭默丸些付伸伺俭兑册剖哗哥园壶完岩幻彻拂拓授摘斑暇桂概歪沓泪浑渠渴爽版猴盆糜纯练绣续翘翠肖肺苍苗荫融"
    "袖讳诘赞跟这镂限陷顿骤鹅乳他倚储凭函刃匡吭啦围圣坤基壁妆宏尼峙幸延忙恋愧找抗按损揣摆斤斩映替梢检殖氧"
    "渝猪玄瑕畏砺磊租缓罢肘获葛蓬蚌衫裳誓贴跌辈饿馆骥鬓伦估佳写勿却吟呱孩宵尉屑店彼忠怕愤戚援摊攀普棋沐注"
    "浓爷献琢瓶痴硕窥筹箕粥绪缴罐聋腿菲蔽藤蛮访诈谢赋输迟述逞遭醉铜锥阁鹰乏也亭仪企倍倦偷凝凹刮刹吧呕坑堡"
    "塌奴婆帝幽悠惠惨截扭挟捷擂擒晶栏梅植榆段沟泼津浇润狠玻璃皂稍笃粟翁脏腔膜茅衡袋袭裘诞谬赠逼遂醒阻陵霞"
    "靠顽驾仅介仓仔候偃兽冥冻刁吵呆喉嘎圭妖季岂巾幼庸录役循愿抓拌拱掉撮斜旨旱旷昌昼杜棉棒泻洁洽浴涉滔滥煤"
    "畅皆码稳签籍纶缉肆腊膝般芒苛蒂蓝虐螺衔袍诛课贞贩贱踏邦阶骄鹄丘冯剿匪卓呢售喊夷妍嫌岳川希恣恭悄悦惜惟"
    "懂拙挠掖搜旰晨曝构桌梗棘楷槽歹氏汽沥沾浊淳炭犹琼睡碑祥竞第腥腾荆蓄蚂诡赌赖躯辅遣遥钝镇隶饼驴驷麟串伍"
    "佚佣侈催凄咀咧哪嗒坛垫壑妒娇嫉尝岗庄彰惑慎扼抚拽捞朗栋楞永泛溢漆漠灶炊熊牍猿瑟甜疙眠砌砖磁示祭秉秤秦"
    "窜筒纠绵绷缕胞艾芳蚕蛤襟训讹谱豕贝贸赃鄙醋钥铭锐阅障霄亦仗伊伪伴侄剩匮厦又另吱吴咫啼喳均坡垛堆堤岛帐"
    "忽恐慈懒戎押拣掇控搔斧晴暑杨枣栓档橘欠浩涯渔濯猛猜疲眩眷矛砂碍稔粘粪纬绸翩耍肋肯脆脊脖舒舵范萝蝉诊诱"
    "诵谩趁跃距踪辰迩遍酬锣阑霉骈黏龄乞仲仿伎伞你侍俩凌匀匠卸启咳哺唐唾嘘坠域壤奄奢姐娱媚嫩寂寄峻巫帅帆怜"
    "悛扩扰抖拗拼捐措揽搁搅撇撑擿昂晦栅栉桀毙沫沸洲溅滩漓炼爆犁申疗痕瘩睫碗稿篮篷簸综缪罔耐胃膊苫蕴藻蜡裙"
    "谊谎轰逗逮遑钓陶需霸颓饶驶骇丢乖亨享促允剔剪匙匿厘叔啜喙嘉嚷坦堵塑妃娜婿媒嫁孜宇宠寇峰庙恤恬惩惮惯慕"
    "慨戒扛扮抬拥捣捻掷敝最栗榴橡欧歇殚沈涕涤淘渡溶潦烹焰爵狭皱盒瞪磅磕禽秽窃竟笠筛箧箪粱纺缠羹翅耙肢胖胳"
    "艇茬虾蜜蟠衷览译诺谁谄贷贺跨蹄蹦轩递郁醇钗铛铸陌陪韬驹骋骗鬻鲁鸠鸦倔健傅傍兜兹凑凫劣勉午厅厥叙叩吓咏"
    "咬哩唠喘喻囚坝垣堑墓够妹宋宛宰宴寐寥寺尤届屠崇崖廷彘徙忿怎怯惶慌或戮抑抛拈拊拐拟挈挣挤搬擘敏敷枢株梨"
    "梯森槃殿毂沿浃涸渎湾溯滋潇烘煎燥犊琶瑰甸盼矮砾碰祝筐糟絮纨绒聪腕腮膀膺膻芦莲萨蒜蜗蟆衍袒裕褐该谨购贿"
    "跋践蹑躁躲轧辔辕酌钧铮链锄锤锯闯陂陋隅雌雍靶颊颐颔飧驻鳖黜丫亢伽佃俎俟偎偿傻僧僻冢励叽吝呜咄咒哇唤喧"
)
# Characters that brand names favour, drawn as often as the rest together.
_BRAND = (
    "美华康佳达源金宝福乐安泰丰盛隆昌兴发富贵鑫鼎恒通顺祥瑞和嘉宏伟新天地龙凤山水花月星光明"
    "阳春秋雅丽香味鲜家鸿运久利强健力士博爱信德仁义诚益众好优品尚尊御皇王玉珍晶亮彩虹蓝绿红"
    "青紫白黄银石木林森竹梅兰菊荷莲桃李果园田农牧鱼羊牛马鹰狮虎豹熊猫鹤雀凰麟中东方南北西京"
    "川湘鲁豫晋秦蜀徽闽浙苏滇黔桂一二三五六七八九十百千万亿小老大真鲜纯净清泉露云海湖江河舟"
    "帆航远志诚信立创科技智慧聚合汇联盟邦友伴童心悦欣喜怡然舒适逸轩阁斋居庄坊记号堂轩盈满丰"
    "旺达福禄寿喜财吉祥如意春夏冬雪霜晨曦朝霞彤丹碧翠珠璃琳琅瑶琪瑾瑜璐莎娜娇媚娃妞宜佰仟"
)
_OMINOUS = frozenset("死病丧亡灾祸鬼尸坟葬杀凶盗贼奸苦哭痛伤残废毒血恶骨癌屎尿贱蠢")
_SUFFIXES = (
    "坊", "堂", "源", "家", "记", "轩", "阁", "斋", "居", "庄", "屋", "铺", "号", "园",
    "之家", "世家", "优品", "生活", "小镇", "国际", "时代", "工坊", "良品", "严选",
    "优选", "物语", "印象", "传奇", "先生", "老爹", "大叔", "姐姐", "小馆", "人家",
)  # fmt: skip
_CJK_LENGTHS = (1, 2, 3, 4, 5, 6)
_CJK_LENGTH_WEIGHTS = (1, 30, 38, 22, 5, 4)
_ONSETS = (
    "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
    "br", "cl", "dr", "fl", "gr", "kr", "pl", "pr", "st", "tr", "sh", "ch", "",
)  # fmt: skip
_VOWELS = ("a", "e", "i", "o", "u", "a", "e", "o", "ai", "ea", "io", "ou", "y")
_CODAS = ("", "", "", "n", "r", "s", "x", "l", "m", "k", "t")
# Nice classes, most filed first (rough order of Chinese filings), with Zipf-like weights.
_CLASS_ORDER = (
    35, 25, 9, 30, 43, 3, 5, 29, 41, 42, 32, 33, 20, 21, 11, 18, 16, 14, 31, 44, 28, 7, 24,
    6, 19, 1, 10, 12, 8, 40, 37, 39, 36, 26, 22, 23, 2, 4, 13, 15, 17, 27, 34, 38, 45,
)  # fmt: skip
_CLASS_WEIGHTS = tuple(1 / (rank + 3) for rank in range(len(_CLASS_ORDER)))


def _pool() -> tuple[list[str], list[float]]:
    frequent = [ch for ch in _FREQUENT if ch not in _OMINOUS]
    brand = list(dict.fromkeys(ch for ch in _BRAND if ch not in _OMINOUS))
    zipf = [1 / (rank + 50) for rank in range(len(frequent))]
    scale = sum(zipf) / len(brand)  # the brand list as a whole weighs as much as the rest
    weights: dict[str, float] = {}
    for ch, w in zip(frequent, zipf, strict=True):
        weights[ch] = weights.get(ch, 0.0) + w
    for ch in brand:
        weights[ch] = weights.get(ch, 0.0) + scale
    chars = sorted(weights)
    return chars, list(accumulate(weights[ch] for ch in chars))


_CHARS, _CUMULATIVE = _pool()


def _cjk(rng: random.Random, length: int) -> str:
    return "".join(rng.choices(_CHARS, cum_weights=_CUMULATIVE, k=length))


def _chinese_mark(rng: random.Random) -> str:
    length = rng.choices(_CJK_LENGTHS, weights=_CJK_LENGTH_WEIGHTS)[0]
    if length >= 3 and rng.random() < 0.12 / 0.69:  # 12 % of all Chinese marks have a suffix
        suffix = rng.choice(_SUFFIXES)
        return _cjk(rng, max(2, length - len(suffix))) + suffix
    return _cjk(rng, length)


def _latin_mark(rng: random.Random) -> str:
    if rng.random() < 0.4:
        word = "".join(lazy_pinyin(_cjk(rng, rng.choice((2, 2, 3)))))
    else:
        syllables = rng.choices((2, 3, 4), weights=(35, 45, 20))[0]
        word = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables)
        )
    return word[:1].upper() + word[1:]


def _mixed_mark(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.5:
        letters = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(rng.randint(1, 3)))
        return letters + _cjk(rng, rng.randint(1, 3))
    if roll < 0.75:
        return _cjk(rng, rng.randint(2, 3)) + str(rng.choice((1, 3, 5, 8, 9, 66, 88, 99, 365, 520)))
    return _cjk(rng, 2) + _latin_mark(rng)


def mark_names(n: int, *, seed: int = DEFAULT_SEED, avoid: Iterable[str] = ()) -> list[str]:
    """``n`` distinct synthetic mark names (none with the key of a name in ``avoid``).

    >>> mark_names(3, seed=1) == mark_names(3, seed=1)
    True
    """
    rng = random.Random(seed)  # noqa: S311 — reproducible test data, not a secret
    taken = {normalize_mark(name) for name in avoid}
    names: list[str] = []
    while len(names) < n:
        roll = rng.random()
        if roll < 0.78:
            name = _chinese_mark(rng)
        elif roll < 0.93:
            name = _latin_mark(rng)
        else:
            name = _mixed_mark(rng)
        key = name.lower()  # the generator only makes names that normalise this simply
        if key not in taken:
            taken.add(key)
            names.append(name)
    return names


def nice_classes(n: int, *, seed: int = DEFAULT_SEED) -> list[tuple[int, ...]]:
    """Nice classes (1-45) for ``n`` marks: one to three each, common classes more often."""
    rng = random.Random(seed + 1)  # noqa: S311 — reproducible test data, not a secret
    cumulative = list(accumulate(_CLASS_WEIGHTS))
    out = []
    for _ in range(n):
        count = rng.choices((1, 2, 3), weights=(70, 20, 10))[0]
        drawn = set(rng.choices(_CLASS_ORDER, cum_weights=cumulative, k=count))
        out.append(tuple(sorted(drawn)))
    return out


@dataclass(frozen=True)
class Registry:
    """Mark names, their Nice classes and where the originals were put."""

    names: list[str]
    classes: list[tuple[int, ...]]
    original_positions: dict[str, int]


def registry(
    n: int,
    *,
    seed: int = DEFAULT_SEED,
    originals: Sequence[str] = (),
    original_classes: Sequence[Iterable[int]] | None = None,
    avoid: Iterable[str] = (),
) -> Registry:
    """A registry of ``n`` marks: ``originals`` at seeded positions, synthetic marks elsewhere.

    No synthetic mark shares the comparison key of an original or of a name in ``avoid``.
    ``original_classes[i]`` are the Nice classes of ``originals[i]`` (default: drawn like
    the others).
    """
    given = {} if original_classes is None else dict(zip(originals, original_classes, strict=True))
    unique = list(dict.fromkeys(originals))
    if len(unique) > n:
        raise ValueError(f"原商标 {len(unique)} 个，多于登记簿的 {n} 个")
    names = mark_names(n - len(unique), seed=seed, avoid=[*unique, *avoid])
    rng = random.Random(seed + 2)  # noqa: S311 — reproducible test data, not a secret
    positions = sorted(rng.sample(range(n), len(unique)))
    placed: dict[str, int] = {}
    for position, original in zip(positions, unique, strict=True):
        names.insert(position, original)
        placed[original] = position
    classes = nice_classes(n, seed=seed)
    for original, position in placed.items():
        if original in given:
            classes[position] = tuple(sorted(set(given[original])))
    return Registry(names, classes, placed)


_TITLE_HEAD = (
    "2024新款", "2025新款", "正品", "官方", "旗舰店", "包邮", "特价", "热卖", "爆款", "原装",
    "限时秒杀", "清仓", "促销", "现货", "批发", "同款", "网红", "官方授权", "厂家直销", "",
)  # fmt: skip
_TITLE_PRODUCTS = (
    "红烧牛肉面", "方便面", "饼干", "夹心饼干", "瓜子", "牛奶", "纯牛奶", "饮料", "矿泉水", "汽水",
    "果汁", "凉茶", "巧克力", "口香糖", "薯片", "辣椒酱", "火腿肠", "奶糖", "酸奶", "核桃露",
    "洗衣粉", "洗衣液", "洗发水", "沐浴露", "香皂", "牙膏", "洗洁精", "纸巾", "润喉片", "果冻",
    "运动鞋", "跑步鞋", "板鞋", "T恤", "卫衣", "外套", "休闲裤", "双肩包", "手提包", "棒球帽",
    "手机", "蓝牙耳机", "充电器", "数据线", "游戏机", "手表", "墨镜", "平板电脑", "音箱", "积木",
)  # fmt: skip
_TITLE_TAIL = (
    "整箱", "24瓶装", "500ml*12", "330ml", "5kg", "家庭装", "大包装", "礼盒装", "男女同款",
    "儿童", "学生", "42码", "XL", "ins风", "USB", "Type-C", "5G", "pro max", "送礼", "量大从优",
    "一件代发", "买二送一", "顺丰", "当天发货", "",
)  # fmt: skip
_TITLE_SLANG = ("高仿", "复刻", "A货", "1:1", "原单", "尾单", "")


def listing_titles(
    n: int,
    *,
    seed: int = DEFAULT_SEED,
    brands: Sequence[str] = (),
    slang: bool = True,
) -> list[str]:
    """``n`` marketplace listing titles (typically 15-40 characters).

    Title ``i`` names ``brands[i % len(brands)]`` (a knock-off to find, or a house brand);
    without ``brands`` the titles name no brand at all. With ``slang``, some titles carry
    counterfeit slang (高仿, 复刻 …).

    >>> titles = listing_titles(2, seed=3, brands=["康帅傅"])
    >>> all("康帅傅" in t for t in titles)
    True
    """
    rng = random.Random(seed + 3)  # noqa: S311 — reproducible test data, not a secret
    out = []
    for i in range(n):
        parts = [rng.choice(_TITLE_HEAD)]
        if rng.random() < 0.3:
            parts.append(rng.choice(_TITLE_HEAD))
        if brands:
            parts.append(brands[i % len(brands)])
        if slang and rng.random() < 0.2:
            parts.append(rng.choice(_TITLE_SLANG))
        parts.append(rng.choice(_TITLE_PRODUCTS))
        for _ in range(rng.randint(1, 3)):
            parts.append(rng.choice(_TITLE_TAIL))
        separator = rng.choice(("", " ", " "))
        out.append(separator.join(p for p in parts if p).strip())
    return out
