"""Seed the entry criteria of the serious-dishonesty list (editable in the admin).

Defaults after 《市场监督管理严重违法失信名单管理办法》(国家市场监督管理总局令第44号), which lists
intentional infringement of IP rights and bad-faith trade-mark and abnormal patent applications
that harm the public interest among the grounds, to be weighed by intent, frequency, duration
and amounts. The amounts are local choices: set yours.
"""

from django.db import migrations

DEFAULT_RULES = [
    # ground, label, source, intentional_only, min_records, within_years, min_total_amount
    (
        "intentional_infringement",
        "故意侵犯知识产权受到较重行政处罚（罚没合计 10 万元以上）",
        "penalty",
        True,
        1,
        5,
        "100000",
    ),
    (
        "repeat_infringement",
        "五年内因侵犯知识产权受到行政处罚三次以上",
        "penalty",
        False,
        3,
        5,
        "0",
    ),
    (
        "bad_faith_trademark",
        "恶意商标注册申请损害社会公共利益，被依法处理",
        "bad_faith_trademark",
        False,
        1,
        5,
        "0",
    ),
    (
        "abnormal_patent",
        "非正常专利申请损害社会公共利益，被依法处理",
        "abnormal_patent",
        False,
        1,
        5,
        "0",
    ),
]
BASIS = "《市场监督管理严重违法失信名单管理办法》（总局令第44号）"


def seed(apps, schema_editor):
    Rule = apps.get_model("credit", "ListingRule")
    for ground, label, source, intentional, count, years, amount in DEFAULT_RULES:
        Rule.objects.get_or_create(
            ground=ground,
            label=label,
            defaults={
                "source": source,
                "intentional_only": intentional,
                "min_records": count,
                "within_years": years,
                "min_total_amount": amount,
                "legal_basis": BASIS,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("credit", "0003_dishonesty_list")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
