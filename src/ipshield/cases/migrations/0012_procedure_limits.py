"""The time limits of the penalty procedure's later steps, with their legal sources.

《行政处罚法》's "二日、三日、五日、七日" are working days (第八十五条); its "十五日" are not.
"""

from django.db import migrations

LIMITS = [
    (
        "serve_decision",
        "送达行政处罚决定书",
        7,
        "working",
        "《行政处罚法》（2021）第六十一条第一款、第八十五条",
    ),
    (
        "statement_period",
        "当事人陈述、申辩期限",
        5,
        "working",
        "《市场监督管理行政处罚程序规定》（告知书送达之日起五个工作日内）",
    ),
    (
        "hearing_request",
        "当事人申请听证期限",
        5,
        "working",
        "《行政处罚法》（2021）第六十四条第一项、第八十五条",
    ),
    ("pay_fine", "当事人缴纳罚款期限", 15, "calendar", "《行政处罚法》（2021）第六十七条第三款"),
]


def add(apps, schema_editor):
    TimeLimit = apps.get_model("cases", "TimeLimit")
    for key, label, days, kind, source in LIMITS:
        TimeLimit.objects.get_or_create(
            key=key,
            defaults={"label": label, "days": days, "day_kind": kind, "legal_source": source},
        )


def remove(apps, schema_editor):
    TimeLimit = apps.get_model("cases", "TimeLimit")
    TimeLimit.objects.filter(key__in=[row[0] for row in LIMITS]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_penalty_procedure")]

    operations = [migrations.RunPython(add, remove)]
