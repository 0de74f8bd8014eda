"""The credit part of the demo: records from other sources imported through the real import, so
that the public query, the joint-punishment check, a repeat infringer and the entity-resolution
review queue all have something to show.

* a court judgment against an online shop that sold knock-offs of the demo rights holder's
  “晋德枣园” (linked by code; the holder's own company is the wronged party, never the subject);
* two fines against 黄河红枣食品 written in Traditional characters with the county in brackets
  (linked by name; two penalties make it a repeat infringer);
* a spot-check finding against “昌盛酒业有限公司” without the county: two registered entities
  fit (保德县昌盛酒业有限公司 and 保德县昌盛酒业有限责任公司), so it waits for an officer;
* a ruling against a branch of 嘉禾食品 (proposed with its company, waiting);
* a bad-faith filing by a firm registered elsewhere (no entity here).

Idempotent: the import recognises rows it has seen (same authority and document number).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone

from ipshield.registry.models import Entity

# The online shop the court judged (a demo entity registered in Harbin).
JUDGED = "哈尔滨ＡＢＣ网络科技有限公司"


def _rows(today: dt.date) -> list[dict[str, Any]]:
    judged = Entity.objects.filter(name=JUDGED).first()
    return [
        {
            "source": "judgment",
            "subject_name": JUDGED,
            "subject_uscc": judged.uscc if judged is not None and judged.uscc else "",
            "issuing_authority": "黑龙江省哈尔滨市中级人民法院",
            "document_number": "（2026）黑01知民初17号",
            "decided_on": (today - dt.timedelta(days=40)).isoformat(),
            "amount": "300000",
            "intentional": True,
            "summary": ("网店销售仿冒“晋德枣园”注册商标的红枣礼盒，判决停止侵害，适用惩罚性赔偿。"),
        },
        {
            "source": "penalty",
            "subject_name": "黃河紅棗食品（保德）有限責任公司",
            "issuing_authority": "保德县市场监督管理局",
            "document_number": "保市监罚〔2025〕31号",
            "decided_on": (today - dt.timedelta(days=400)).isoformat(),
            "amount": "60000",
            "penalty_kinds": "fine;confiscation",
            "summary": "销售侵犯注册商标专用权的红枣礼盒。",
        },
        {
            "source": "penalty",
            "subject_name": "黄河红枣食品（保德）有限公司",
            "issuing_authority": "保德县市场监督管理局",
            "document_number": "保市监罚〔2026〕12号",
            "decided_on": (today - dt.timedelta(days=60)).isoformat(),
            "amount": "80000",
            "penalty_kinds": "fine",
            "summary": "再次销售侵犯注册商标专用权的红枣礼盒。",
        },
        {
            "source": "spot_check",
            "subject_name": "昌盛酒业有限公司",
            "issuing_authority": "保德县市场监督管理局",
            "document_number": "保市监抽〔2026〕5号",
            "decided_on": (today - dt.timedelta(days=20)).isoformat(),
            "summary": "双随机抽查发现标签标注的地理标志无使用授权。",
        },
        {
            "source": "ruling",
            "subject_name": "保德县嘉禾食品有限公司桥头分公司",
            "issuing_authority": "保德县市场监督管理局",
            "document_number": "保市监裁〔2026〕2号",
            "decided_on": (today - dt.timedelta(days=15)).isoformat(),
            "summary": "专利侵权纠纷行政裁决：责令停止销售侵权包装。",
        },
        {
            "source": "bad_faith_trademark",
            "subject_name": "深圳市前海云中数码科技有限公司",
            "issuing_authority": "国家知识产权局",
            "document_number": "商标驳字〔2026〕第0871号",
            "decided_on": (today - dt.timedelta(days=90)).isoformat(),
            "summary": "大量申请注册与他人知名商标近似的商标，不以使用为目的。",
        },
    ]


def load(*, users: dict[str, Any]) -> int:
    """Import the demo records as the county market bureau's officer; returns how many
    records wait in the entity-resolution review queue."""
    from ipshield.credit import records, resolution

    officer = users["officer"]
    data = json.dumps(_rows(timezone.localdate()), ensure_ascii=False).encode()
    records.records_import(actor=officer, data=data, name="演示-信用记录.json")
    return resolution.review_queue(actor=officer).count()
