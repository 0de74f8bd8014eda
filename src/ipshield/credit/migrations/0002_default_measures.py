"""Seed the catalogue of joint-punishment measures with the common ones.

Sources: 《关于对知识产权（专利）领域严重失信主体开展联合惩戒的合作备忘录》(发改财金〔2018〕1702号)
and 《市场监督管理严重违法失信名单管理办法》(国家市场监督管理总局令第44号) 第十四条; edit the
catalogue in the admin to match the local measures.
"""

from django.db import migrations

DEFAULT_MEASURES = [
    (
        "subsidies",
        "限制或取消政府补贴、资金扶持与税收优惠",
        "发改财金〔2018〕1702号",
        "public_record",
    ),
    (
        "procurement",
        "依法限制参加政府采购活动",
        "发改财金〔2018〕1702号；政府采购法第二十二条",
        "repeat",
    ),
    ("procurement", "在招标投标活动中作为评审扣分因素", "发改财金〔2018〕1702号", "public_record"),
    ("honours", "不予授予荣誉称号、评优评先", "市场监管总局令第44号 第十四条", "public_record"),
    ("funded_projects", "限制申报政府投资和财政资金支持的项目", "发改财金〔2018〕1702号", "repeat"),
    ("licences", "行政许可审批中列为重点审查对象", "市场监管总局令第44号 第十四条", "intentional"),
]


def seed(apps, schema_editor):
    Measure = apps.get_model("credit", "JointMeasure")
    for domain, title, basis, trigger in DEFAULT_MEASURES:
        Measure.objects.get_or_create(
            domain=domain, title=title, defaults={"basis": basis, "trigger": trigger}
        )


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
