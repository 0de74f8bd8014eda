"""The procedure and kinds of a penalty decision (publication depends on them, not on the triage
track), and the time limits' legal sources corrected against the texts (docs/legal-sources.md):
publication within 20 working days is 公示规定第九条 (第八条 is the notice to the party), and each
source now says which time does not count."""

from django.db import migrations, models

# (key, source as migration 0003 seeded it, corrected source). A row an administrator changed
# since is left alone.
SOURCES = [
    (
        "complaint_mediation",
        "《市场监督管理投诉举报处理暂行办法》第二十一条：自投诉受理之日起四十五个工作日内未能达成调解协议的，终止调解",
        "《市场监督管理投诉举报处理暂行办法》第二十一条：自投诉受理之日起四十五个工作日内未能达成调解协议的，终止调解；第二十条：检定、检验、检测、鉴定所需时间不计算在调解期限内",
    ),
    (
        "verify_lead",
        "《市场监督管理行政处罚程序规定》第十八条：十五个工作日内核查并决定是否立案，经批准可延长十五个工作日",
        "《市场监督管理行政处罚程序规定》第十八条：十五个工作日内核查并决定是否立案，经批准可延长十五个工作日；检测、检验、检疫、鉴定以及权利人辨认或者鉴别等所需时间不计入",
    ),
    (
        "decide_case",
        "《市场监督管理行政处罚程序规定》第六十四条：自立案之日起九十日内作出处理决定，经批准可延长三十日",
        "《市场监督管理行政处罚程序规定》第六十四条：自立案之日起九十日内作出处理决定，经批准可延长三十日；中止、听证、公告和检测、检验、检疫、鉴定、权利人辨认或者鉴别、责令退还多收价款等时间不计入",
    ),
    (
        "publish_penalty",
        "《市场监督管理行政处罚信息公示规定》第八条：自作出行政处罚决定之日起二十个工作日内公示",
        "《市场监督管理行政处罚信息公示规定》第九条：自作出行政处罚决定之日起二十个工作日内公示（当事人登记地在外省的，第十条：十个工作日内推送，登记地部门收到后十个工作日内公示）",
    ),
]


def correct(apps, schema_editor):
    TimeLimit = apps.get_model("cases", "TimeLimit")
    CaseDeadline = apps.get_model("cases", "CaseDeadline")
    for key, old, new in SOURCES:
        TimeLimit.objects.filter(key=key, legal_source=old).update(legal_source=new)
        CaseDeadline.objects.filter(key=key, legal_source=old).update(legal_source=new)


def restore(apps, schema_editor):
    TimeLimit = apps.get_model("cases", "TimeLimit")
    CaseDeadline = apps.get_model("cases", "CaseDeadline")
    for key, old, new in SOURCES:
        TimeLimit.objects.filter(key=key, legal_source=new).update(legal_source=old)
        CaseDeadline.objects.filter(key=key, legal_source=new).update(legal_source=old)


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_repeat_infringer_rule")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="decision_procedure",
            field=models.CharField(
                blank=True,
                choices=[("simple", "简易程序（当场处罚）"), ("ordinary", "普通程序")],
                max_length=16,
                verbose_name="处罚程序",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="penalty_kinds",
            field=models.JSONField(blank=True, default=list, verbose_name="处罚种类"),
        ),
        migrations.RunPython(correct, restore),
    ]
