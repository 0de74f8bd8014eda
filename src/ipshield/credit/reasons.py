"""The reasons of entity resolution (which market entity a credit record names), in the
reader's language.

The entity-resolution engine (:mod:`ipshield.engines.entities`) explains each candidate with
reasons that carry a code (``entities.core_same`` …) and parameters; candidates store them as
data (:func:`ipshield.common.reasons.to_data`) and pages and the API render them here with
gettext at display time. Reasons stored as Chinese text by older versions are read back into
codes when they match a message below.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_noop as N_

from ipshield.common import reasons as common

__all__ = ["MESSAGES", "render", "render_all"]

#: Reason code → Chinese source message (translated at display time).
MESSAGES: dict[str, str] = {
    "entities.uscc_invalid": N_("统一社会信用代码校验不通过（%(code)s），未作比对"),
    "entities.code_unknown": N_("代码无法识别（%(code)s），未作比对"),
    "entities.name_empty": N_("名称为空或无法识别，未作比对"),
    "entities.core_same": N_("名称核心相同（%(core)s）"),
    "entities.core_same_ignoring": N_("名称核心相同（%(core)s），已忽略：%(ignored)s"),
    "entities.trade_industry_close": N_("字号相同（%(trade)s），行业表述相近（%(a)s/%(b)s）"),
    "entities.trade_industry_other": N_("字号相同（%(trade)s），行业表述不同（%(a)s/%(b)s）"),
    "entities.trade_industry_different": N_("字号相同（%(trade)s）但行业不同（%(a)s/%(b)s）"),
    "entities.trade_industry_missing": N_("字号相同（%(trade)s），一方未写行业"),
    "entities.core_similar_sound": N_("名称核心近似（%(a)s/%(b)s；%(homophones)s 读音相同）"),
    "entities.core_similar": N_("名称核心近似（%(a)s/%(b)s）"),
    "entities.core_different": N_("名称核心不同（%(a)s/%(b)s）"),
    "entities.forms": N_("%(a)s/%(b)s"),
    "entities.form_different": N_("组织形式不同（%(a)s/%(b)s）"),
    "entities.form_missing": N_("一方未写组织形式（%(form)s）"),
    "entities.group": N_("一方为集团（%(a)s/%(b)s）"),
    "entities.form_restructured": N_("组织形式不同（%(a)s/%(b)s），可能已改制"),
    "entities.spelling": N_("繁简/全半角写法"),
    "entities.region_written": N_("地区写法 %(a)s/%(b)s"),
    "entities.ignoring": N_("已忽略：%(ignored)s"),
    "entities.region_by_address": N_("一方名称未写地区，据地址同在%(region)s"),
    "entities.region_address_elsewhere": N_("一方名称未写地区，但地址在别处（%(a)s/%(b)s）"),
    "entities.region_missing": N_("一方名称未写地区（%(region)s）"),
    "entities.region_incomparable": N_("地区无法比对（%(a)s/%(b)s）"),
    "entities.region_different": N_("地区不同（%(a)s/%(b)s）"),
    "entities.region_same": N_("地区相同（%(region)s）"),
    "entities.branch_same": N_("分支机构相同（%(branch)s）"),
    "entities.branch_siblings": N_("同一企业的不同分支机构（%(a)s/%(b)s）"),
    "entities.branch_of": N_("分公司与总公司（%(branch)s）"),
    "entities.branch_one": N_("一方为分支机构（%(branch)s）"),
    "entities.former_same": N_("曾用名相同（%(name)s）"),
    "entities.former_compared": N_("按曾用名比对（%(name)s）"),
    "entities.person_only": N_("仅有经营者或法定代表人姓名（%(names)s）"),
    "entities.person_same": N_("姓名相同"),
    "entities.person_different": N_("姓名不同（%(names)s）"),
    "entities.person_representative": N_("与法定代表人相同（%(name)s）"),
    "entities.person_in_name": N_("名称含经营者姓名"),
    "entities.person_unmatched": N_("与名称和法定代表人均不符"),
    "entities.uscc_same": N_("统一社会信用代码相同"),
    "entities.uscc_different": N_("统一社会信用代码不同（%(a)s/%(b)s）"),
    "entities.org_same": N_("组织机构代码相同"),
    "entities.org_different": N_("组织机构代码不同（%(a)s/%(b)s）"),
    "entities.names_far": N_("名称差异较大（可能已更名或录入有误）"),
    "entities.same_name_other_uscc": N_("名称相同但统一社会信用代码不同（可能重新登记或代码有误）"),
    "entities.representative_same": N_("法定代表人相同（%(name)s）"),
    "entities.representative_different": N_("法定代表人不同（%(a)s/%(b)s）"),
    "entities.address_same": N_("地址相同"),
    "entities.address_close": N_("地址相近"),
    "entities.address_different": N_("地址不同"),
    "entities.rivals": N_("另有同样相符的主体（%(names)s），需人工确认"),
    "entities.confirmed": N_("执法人员已确认为同一主体"),
    "entities.split": N_("执法人员已确认不是同一主体"),
    "entities.confirmed_elsewhere": N_("该记录已确认属于其他主体"),
}
# List parameters (read back from old reasons stored as text). "ignored" holds nested reasons.
LISTS = ("homophones", "names")


def render(reason: Any) -> str:
    """One reason (a Reason, its stored data, or old plain text) in the active language."""
    return common.render(reason, MESSAGES, (), LISTS)


def render_all(reasons: Iterable[Any]) -> list[str]:
    return common.render_all(reasons, MESSAGES, (), LISTS)
