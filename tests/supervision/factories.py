"""Small plans for supervision tests, written the way plans are written."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from ipshield.supervision import services

SMALL_PLAN = """关于加强知识产权保护的实施方案

一、重点任务
（一）建立快速处理机制。完成时限：{due}
责任单位：县市场监督管理局、县文化和旅游局
（二）持续开展专项整治。完成时限：长期坚持
责任单位：县文旅局
"""


def small_plan(world, *, due: str = "2099年12月31日", publish: bool = True):
    plan = services.plan_import(actor=world.officer, text=SMALL_PLAN.format(due=due))
    if publish:
        plan = services.plan_publish(actor=world.officer, plan=plan)
    return plan


def upload(name: str = "photo.png") -> SimpleUploadedFile:
    data = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    return SimpleUploadedFile(name, data, content_type="image/png")
