"""The default file review checklist (案卷评查标准) for IP administrative penalty files.

Eleven items worth 100 points in all, in the order a file is assembled. They follow the points
provincial market regulators' case file review standards commonly score; administrators adjust
items and points in the back office (后台 → 案卷评查标准). Reviews keep the titles and points
they were scored against.
"""

from decimal import Decimal

from django.db import migrations

NAME = "知识产权行政处罚案卷评查标准（默认）"

ITEMS = [
    ("立案审批", 10, "线索核查及时；立案审批表要素齐全，经负责人批准；在规定时限内决定是否立案。"),
    (
        "证据收集",
        15,
        "权利证明、侵权商品、经营数额等证据真实、合法、与案件关联，足以证明违法事实；鉴定或认定意见有据。",
    ),
    (
        "调查取证程序",
        15,
        "执法人员不少于两人并出示执法证件；询问笔录、现场笔录规范完整；抽样取证、先行登记保存、查封扣押依法审批并按时处理。",
    ),
    (
        "事实认定与法律适用",
        10,
        "事实清楚，定性准确，适用法律、法规、规章条款正确，裁量符合裁量基准并说明理由。",
    ),
    ("法制审核", 10, "依法应当法制审核的案件经审核，审核意见明确，审核人员具备资格。"),
    (
        "告知与听证",
        10,
        "依法告知拟作出的处罚内容及事实、理由、依据和陈述、申辩、听证权利；听证程序合法；对陈述申辩意见进行复核。",
    ),
    (
        "决定书文书规范",
        10,
        "行政处罚决定书文号、当事人、违法事实、证据、依据、处罚内容、履行方式与期限、救济途径齐全；文书用语规范，加盖印章。",
    ),
    ("送达", 5, "在法定期限内依法定方式送达，送达回证或送达凭证完整。"),
    ("执行", 5, "罚没款收缴、罚没物品处置符合规定，执行情况有记录。"),
    ("公示", 5, "按规定时限公示，个人信息已作去标识化处理。"),
    ("归档", 5, "案卷材料齐全，按顺序编号装订，一案一卷，按时归档。"),
]


def load(apps, schema_editor):
    ReviewChecklist = apps.get_model("publication", "ReviewChecklist")
    ReviewItem = apps.get_model("publication", "ReviewItem")
    checklist, created = ReviewChecklist.objects.get_or_create(
        name=NAME,
        defaults={
            "description": "满分 100 分。各项得分不得超过该项分值；扣分须写明理由。",
            "active": True,
        },
    )
    if not created:
        return
    ReviewItem.objects.bulk_create(
        ReviewItem(
            checklist=checklist,
            order=index,
            title=title,
            max_points=Decimal(points),
            criteria=criteria,
        )
        for index, (title, points, criteria) in enumerate(ITEMS, start=1)
    )


def unload(apps, schema_editor):
    ReviewChecklist = apps.get_model("publication", "ReviewChecklist")
    FileReview = apps.get_model("publication", "FileReview")
    checklist = ReviewChecklist.objects.filter(name=NAME).first()
    if checklist is not None and not FileReview.objects.filter(checklist=checklist).exists():
        checklist.items.all().delete()
        checklist.delete()


class Migration(migrations.Migration):
    dependencies = [("publication", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
