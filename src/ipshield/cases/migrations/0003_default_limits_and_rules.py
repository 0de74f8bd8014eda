"""Default statutory time limits (with their legal sources) and triage rules.

Time limits (checked against the rules in force in 2026; see docs/legal-sources.md):
- 市场监督管理投诉举报处理暂行办法（2019 年总局令第 20 号，2022 年总局令第 55 号修改; not Order 61, which amended the penalty procedure）第十四条: decide
  whether to accept a complaint within 7 working days of receipt; 第二十一条: mediation ends
  when no agreement is reached within 45 working days of acceptance; 第三十一条: tell a
  real-name reporter whether a case was opened within 5 working days of that decision.
- 市场监督管理行政处罚程序规定（2018 年总局令第 2 号，2021、2022 年修订）第十八条: verify a lead
  and decide whether to open a case within 15 working days (extendable by 15 with the head's
  approval); 第六十四条: decide an ordinary-procedure case within 90 days of opening
  (extendable by 30 days with approval).
- 市场监督管理行政处罚信息公示规定（2021 年总局令第 45 号）第九条 (this migration said 第八条;
  migration 0010 corrects the seeded source): publish a penalty decision within 20 working days
  of making it.
"""

from decimal import Decimal

from django.db import migrations

LIMITS = [
    (
        "accept_complaint",
        "决定是否受理投诉",
        7,
        "working",
        0,
        "《市场监督管理投诉举报处理暂行办法》第十四条：收到投诉之日起七个工作日内作出受理或者不予受理的决定",
    ),
    (
        "complaint_mediation",
        "投诉调解期限",
        45,
        "working",
        0,
        "《市场监督管理投诉举报处理暂行办法》第二十一条：自投诉受理之日起四十五个工作日内未能达成调解协议的，终止调解",
    ),
    (
        "notify_reporter",
        "告知实名举报人立案结果",
        5,
        "working",
        0,
        "《市场监督管理投诉举报处理暂行办法》第三十一条：自作出是否立案决定之日起五个工作日内告知举报人",
    ),
    (
        "verify_lead",
        "核查线索并决定是否立案",
        15,
        "working",
        15,
        "《市场监督管理行政处罚程序规定》第十八条：十五个工作日内核查并决定是否立案，经批准可延长十五个工作日",
    ),
    (
        "decide_case",
        "作出处理决定",
        90,
        "calendar",
        30,
        "《市场监督管理行政处罚程序规定》第六十四条：自立案之日起九十日内作出处理决定，经批准可延长三十日",
    ),
    (
        "publish_penalty",
        "公示行政处罚决定",
        20,
        "working",
        0,
        "《市场监督管理行政处罚信息公示规定》第八条：自作出行政处罚决定之日起二十个工作日内公示",
    ),
]

RULES = [
    ("涉案金额 50 万元以上为重大案件", "amount_involved", "gte", Decimal("500000"), "major"),
    ("五年内曾受知识产权行政处罚（重复侵权）", "prior_penalties", "gte", Decimal("1"), "major"),
    ("涉及食品、药品等公共健康", "public_health", "true", Decimal("0"), "major"),
    ("跨区域案件", "cross_region", "true", Decimal("0"), "major"),
    ("涉及三项以上权利", "rights_count", "gte", Decimal("3"), "major"),
    ("涉案金额 5000 元以下适用简易程序", "amount_involved", "lt", Decimal("5000"), "simple"),
]


def load(apps, schema_editor):
    TimeLimit = apps.get_model("cases", "TimeLimit")
    TriageRule = apps.get_model("cases", "TriageRule")
    for key, label, days, kind, ext, source in LIMITS:
        TimeLimit.objects.update_or_create(
            key=key,
            defaults={
                "label": label,
                "days": days,
                "day_kind": kind,
                "extension_days": ext,
                "legal_source": source,
            },
        )
    if not TriageRule.objects.exists():
        for name, field, op, value, track in RULES:
            TriageRule.objects.create(name=name, field=field, operator=op, value=value, track=track)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_record_append_only")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
