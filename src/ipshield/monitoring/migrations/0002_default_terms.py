"""Seed the editable list of counterfeit slang (高仿, A货 …) with common terms."""

from django.db import migrations

# (term, weight, note) — terms sellers of counterfeits use openly on marketplaces.
DEFAULT_TERMS = [
    ("高仿", 25, "高度仿制"),
    ("A货", 25, "仿冒品的俗称"),
    ("超A", 25, "高等级仿品"),
    ("精仿", 25, "精细仿制"),
    ("原单", 20, "自称原厂订单货"),
    ("尾单", 10, "自称外贸尾单"),
    ("1:1", 25, "与正品一比一"),
    ("一比一", 25, "与正品一比一"),
    ("复刻", 20, "复制正品款式"),
    ("公司货", 10, "暗示非正规渠道"),
    ("莆田", 20, "仿冒鞋产地暗语"),
    ("纯原", 20, "仿冒鞋行话"),
    ("同款", 5, "常见于仿款描述"),
    ("大牌平替", 10, "暗示仿冒大牌"),
    ("仿品", 25, "直接标明仿制"),
    ("replica", 25, "英文：仿制品"),
    ("aaa", 15, "英文：仿品等级"),
]


def seed(apps, schema_editor):
    Term = apps.get_model("monitoring", "CounterfeitTerm")
    for term, weight, note in DEFAULT_TERMS:
        Term.objects.get_or_create(term=term, defaults={"weight": weight, "note": note})


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
