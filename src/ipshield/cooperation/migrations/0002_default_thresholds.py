"""Default prosecution thresholds for 假冒注册商标罪 (刑法第二百一十三条, "情节严重").

Source: 《最高人民法院 最高人民检察院关于办理侵犯知识产权刑事案件适用法律若干问题的解释》
(法释〔2025〕5号, in force 2025-04-26), 第三条. It replaced the 2004, 2007 and 2020
interpretations. See ``cooperation/thresholds.py`` for which figures were confirmed against
which published text; administrators can correct or deactivate any row in the admin.
"""

from decimal import Decimal

from django.db import migrations

INTERPRETATION = "《最高人民法院 最高人民检察院关于办理侵犯知识产权刑事案件适用法律若干问题的解释》（法释〔2025〕5号，2025年4月26日起施行）第三条"
CRIME = "假冒注册商标罪"

# key, label, applies_to, min_marks, requires_prior_punishment, volume_min, gains_min, text
ROWS = [
    (
        "trademark-goods",
        "在同一种商品上使用相同商标",
        "goods",
        1,
        False,
        Decimal("50000"),
        Decimal("30000"),
        "违法所得数额在三万元以上或者非法经营数额在五万元以上的，属于刑法第二百一十三条规定的“情节严重”",
    ),
    (
        "trademark-goods-two-marks",
        "假冒两种以上注册商标",
        "goods",
        2,
        False,
        Decimal("30000"),
        Decimal("20000"),
        "假冒两种以上注册商标，违法所得数额在二万元以上或者非法经营数额在三万元以上的，属于“情节严重”",
    ),
    (
        "trademark-goods-repeat",
        "二年内因假冒注册商标等行为受过刑事处罚或者行政处罚后再次实施",
        "goods",
        1,
        True,
        Decimal("30000"),
        Decimal("20000"),
        "二年内因实施刑法第二百一十三条至第二百一十五条规定的行为受过刑事处罚或者行政处罚后再次实施，违法所得数额在二万元以上或者非法经营数额在三万元以上的，属于“情节严重”（据公开解读整理，请以官方文本核对）",
    ),
    (
        "trademark-services",
        "在同一种服务上使用相同商标",
        "services",
        1,
        False,
        None,
        Decimal("50000"),
        "假冒服务商标，违法所得数额在五万元以上的，属于“情节严重”（据公开解读整理，请以官方文本核对）",
    ),
    (
        "trademark-services-two-marks",
        "假冒两种以上服务商标",
        "services",
        2,
        False,
        None,
        Decimal("30000"),
        "假冒两种以上注册商标，违法所得数额在三万元以上的，属于“情节严重”（据公开解读整理，请以官方文本核对）",
    ),
    (
        "trademark-services-repeat",
        "二年内受过刑事处罚或者行政处罚后再次假冒服务商标",
        "services",
        1,
        True,
        None,
        Decimal("30000"),
        "二年内因实施刑法第二百一十三条至第二百一十五条规定的行为受过刑事处罚或者行政处罚后再次实施，违法所得数额在三万元以上的，属于“情节严重”（据公开解读整理，请以官方文本核对）",
    ),
]


def seed(apps, schema_editor):
    Threshold = apps.get_model("cooperation", "ProsecutionThreshold")
    for order, (key, label, scope, marks, prior, volume, gains, text) in enumerate(ROWS, 1):
        Threshold.objects.update_or_create(
            key=key,
            defaults={
                "crime": CRIME,
                "label": label,
                "applies_to": scope,
                "min_marks": marks,
                "requires_prior_punishment": prior,
                "business_volume_min": volume,
                "illegal_gains_min": gains,
                "legal_source": f"{INTERPRETATION}：{text}",
                "active": True,
                "order": order * 10,
            },
        )


def unseed(apps, schema_editor):
    Threshold = apps.get_model("cooperation", "ProsecutionThreshold")
    Threshold.objects.filter(key__in=[row[0] for row in ROWS]).delete()


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
