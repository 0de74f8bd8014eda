"""The monitoring part of the demo: a protected mark of the demo rights holder, a watch list of
well-known marks for the county market bureau, and a day of marketplace listings imported through
the real import (so the alert queue has knock-offs, counterfeits and a few false friends).

Idempotent: marks are looked up by name, and re-importing the same listings creates nothing.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from ipshield.monitoring.models import MarkKind, ProtectedMark
from ipshield.registry.models import IPRight, RightKind, RightStatus

# (name, Nice classes, reference price low, high, product category)
WATCH_LIST = [
    ("康师傅", [29, 30], "3", "60", "方便面"),
    ("雪碧", [32], "2", "50", "碳酸饮料"),
    ("奥利奥", [30], "8", "60", "饼干"),
    ("六个核桃", [32], "40", "120", "植物蛋白饮料"),
    ("洽洽", [29, 30], "10", "80", "瓜子坚果"),
    ("大白兔", [30], "15", "90", "奶糖"),
    ("娃哈哈", [32], "2", "60", "饮料"),
    ("adidas", [25], "300", "1500", "运动鞋"),
    ("Nike", [25], "300", "1500", "运动鞋"),
]
DEMO_FILE = "演示-电商平台商品-2026-11.jsonl"
PLATFORMS = ["淘宝", "拼多多", "京东", "抖音电商", "快手小店"]
# Each shop and the product categories it sells: a listing is only ever put in a shop that
# sells its category (no red dates from the shoe shop). tests/test_demo.py checks every listing.
SHOP_CATEGORIES: dict[str, frozenset[str]] = {
    shop: frozenset(categories.split())
    for shop, categories in {
        "诚信百货": "方便面 碳酸饮料 饼干 植物蛋白饮料 瓜子坚果 奶糖 饮料 粮油 调味 家居 玩具",
        "乡村小铺": "方便面 碳酸饮料 饼干 饮料 奶糖 瓜子坚果 粮油 调味",
        "好运来批发": "方便面 碳酸饮料 饼干 植物蛋白饮料 饮料 瓜子坚果 奶糖",
        "东关日杂": "家居 调味 粮油 工艺品",
        "黄河零食铺": "瓜子坚果 奶糖 饼干 饮料 红枣",
        "保德特产馆": "红枣 水果 工艺品 调味",
        "黄河鲜货行": "生鲜 水果",
        "潮鞋馆": "运动鞋 服装",
        "品牌折扣店": "运动鞋 服装",
    }.items()
}
SHOPS = list(SHOP_CATEGORIES)
# (title, price, category, slang?) — knock-offs of the watch list and of the holder's mark.
KNOCKOFFS = [
    ("康帅傅 红烧牛肉面 整箱24袋 批发价", "19.9", "方便面"),
    ("康师博 老坛酸菜牛肉面 5连包", "6.5", "方便面"),
    ("雷碧 柠檬味汽水 500ml*12瓶", "9.9", "碳酸饮料"),
    ("粤利粤 夹心饼干 巧克力味 家庭装", "5.8", "饼干"),
    ("六个核挑 核桃乳 240ml*20罐 礼盒", "18", "植物蛋白饮料"),
    ("治治 香瓜子 500g 五香味", "6.9", "瓜子坚果"),
    ("大白免 奶糖 500g 散装 喜糖", "9.9", "奶糖"),
    ("娃恰恰 AD钙奶 220g*24瓶", "16.8", "饮料"),
    ("adidos 三叶草 高仿 复刻 板鞋 男女同款", "89", "运动鞋"),
    ("abibas 跑步鞋 透气 1:1 原单", "69", "运动鞋"),
    ("NlKE 气垫 运动鞋 莆田 纯原", "129", "运动鞋"),
    ("晋德枣圆 保德红枣 特级 礼盒 1500g", "19.9", "红枣"),
    ("晋徳枣园 红枣 散装 5斤", "15", "红枣"),
]
# Genuine goods: the real name at a normal price (not alerts) or with counterfeit slang (alerts).
GENUINE = [
    ("康师傅 红烧牛肉面 五连包 官方", "14.5", "方便面"),
    ("雪碧 清爽柠檬味 330ml*24罐", "45", "碳酸饮料"),
    ("adidas 官方旗舰 Samba 板鞋", "799", "运动鞋"),
    ("adidas Samba 高仿 一比一 公司货", "199", "运动鞋"),
    ("晋德枣园 保德红枣 特级 礼盒 1500g", "68", "红枣"),
]
OTHER = [
    ("五常大米 10斤 当季新米", "59", "粮油"),
    ("保德海红果 冻果 5斤装", "35", "水果"),
    ("手工剪纸 窗花 福字 套装", "12", "工艺品"),
    ("不锈钢保温杯 大容量 500ml", "29", "家居"),
    ("黄河鲤鱼 鲜活 2斤", "48", "生鲜"),
    ("山西老陈醋 500ml*2瓶", "18", "调味"),
    ("儿童积木 拼装玩具 大颗粒", "39", "玩具"),
    ("纯棉T恤 男款 夏季 短袖", "29", "服装"),
]


def _rows(rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    titles = KNOCKOFFS * 3 + GENUINE * 2 + OTHER * 4
    for n, (title, price, category) in enumerate(titles):
        platform = PLATFORMS[n % len(PLATFORMS)]
        shop = rng.choice([s for s in SHOPS if category in SHOP_CATEGORIES[s]])
        jitter = Decimal(price) * Decimal(rng.randint(90, 110)) / 100
        rows.append(
            {
                "platform": platform,
                "shop": shop,
                "title": title,
                "price": str(jitter.quantize(Decimal("0.1"))),
                "url": f"https://shop.example.com/{n % len(PLATFORMS)}/item/{10000 + n}",
                "seller": f"保德县{shop}商行",
                "category": category,
                "listed_at": f"2026-11-{(n % 20) + 1:02d}T{8 + n % 12:02d}:00:00",
            }
        )
    return rows


def load(*, users: dict[str, Any], units: dict[str, Any], market: str) -> int:
    """Load the monitoring demo; returns the number of alerts."""
    from ipshield.monitoring import imports, services
    from ipshield.monitoring.models import Alert, ListingImport

    officer = users["officer"]
    holder_user = users["holder"]
    for name, classes, low, high, category in WATCH_LIST:
        if not ProtectedMark.objects.filter(
            kind=MarkKind.WATCH, unit=units[market], name=name
        ).exists():
            services.watch_mark_add(
                actor=officer,
                name=name,
                nice_classes=classes,
                categories=category,
                price_min=low,
                price_max=high,
            )
    right = IPRight.objects.filter(
        holder__user=holder_user, kind=RightKind.TRADEMARK, status=RightStatus.VERIFIED
    ).first()
    if right is not None and not ProtectedMark.objects.filter(right=right).exists():
        services.protected_mark_register(
            actor=holder_user, right=right, categories="红枣", price_min="39", price_max="89"
        )
    if ListingImport.objects.filter(file_name=DEMO_FILE).exists():
        return Alert.objects.count()
    rng = random.Random(2026)  # noqa: S311 — reproducible demo data, not a secret
    body = "\n".join(json.dumps(row, ensure_ascii=False) for row in _rows(rng))
    upload = SimpleUploadedFile(DEMO_FILE, body.encode(), content_type="application/json")
    imports.listing_import_start(actor=officer, upload=upload)
    return Alert.objects.count()
