"""Roles and what each may do.

A role is a Django group whose name is the role's code; its permissions come from
``ROLE_PERMISSIONS`` and are re-applied after every migration, so this file is the one place that
says who may do what. Unit scoping (which rows a person sees) lives in the selectors.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PUBLIC = "public", _("公众用户")
    RIGHTS_HOLDER = "rights_holder", _("权利人")
    CASE_OFFICER = "case_officer", _("办案人员")
    LEGAL_REVIEWER = "legal_reviewer", _("法制审核人员")
    UNIT_LEADER = "unit_leader", _("单位负责人")
    LEADING_GROUP_MEMBER = "leading_group_member", _("领导组成员")
    MEDIATOR = "mediator", _("调解员")
    AUDITOR = "auditor", _("审计监督人员")
    SYSADMIN = "sysadmin", _("系统管理员")


# Roles that work inside a unit (staff). Everyone else uses the public portal.
STAFF_ROLES = frozenset(
    {
        Role.CASE_OFFICER,
        Role.LEGAL_REVIEWER,
        Role.UNIT_LEADER,
        Role.LEADING_GROUP_MEMBER,
        Role.MEDIATOR,
        Role.AUDITOR,
        Role.SYSADMIN,
    }
)
# Roles that see every unit's data. Auditors only read.
ALL_UNITS_ROLES = frozenset({Role.AUDITOR, Role.SYSADMIN, Role.LEADING_GROUP_MEMBER})
READ_ONLY_ROLES = frozenset({Role.AUDITOR, Role.LEADING_GROUP_MEMBER})

_VIEW_REGISTRY = [
    "accounts.view_region",
    "accounts.view_unit",
    "accounts.view_profile",
    "registry.view_entity",
    "registry.view_rightsholder",
    "registry.view_ipright",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.PUBLIC: [],
    Role.RIGHTS_HOLDER: ["registry.register_own_right"],
    Role.CASE_OFFICER: [
        *_VIEW_REGISTRY,
        "registry.add_entity",
        "registry.change_entity",
        "registry.verify_ipright",
    ],
    Role.LEGAL_REVIEWER: [*_VIEW_REGISTRY],
    Role.UNIT_LEADER: [
        *_VIEW_REGISTRY,
        "registry.add_entity",
        "registry.change_entity",
        "registry.verify_ipright",
        "accounts.manage_unit_people",
    ],
    Role.LEADING_GROUP_MEMBER: [*_VIEW_REGISTRY, "accounts.view_leadinggroup"],
    Role.MEDIATOR: [*_VIEW_REGISTRY],
    Role.AUDITOR: [*_VIEW_REGISTRY, "accounts.view_leadinggroup", "audit.view_auditevent"],
    Role.SYSADMIN: [
        *_VIEW_REGISTRY,
        "accounts.view_leadinggroup",
        "audit.view_auditevent",
        "registry.add_entity",
        "registry.change_entity",
        "registry.verify_ipright",
        "accounts.add_unit",
        "accounts.change_unit",
        "accounts.manage_unit_people",
        "accounts.issue_apitoken",
        "cases.view_timelimit",
        "cases.change_timelimit",
        "cases.view_triagerule",
        "cases.change_triagerule",
        "cases.add_workdayoverride",
        "cases.change_workdayoverride",
        "cases.view_workdayoverride",
        "cases.add_calendaryear",
        "cases.view_calendaryear",
        "cooperation.view_prosecutionthreshold",
        "cooperation.change_prosecutionthreshold",
        "monitoring.view_counterfeitterm",
        "monitoring.add_counterfeitterm",
        "monitoring.change_counterfeitterm",
        "credit.view_jointmeasure",
        "credit.add_jointmeasure",
        "credit.change_jointmeasure",
        "credit.view_creditcheck",
        "credit.view_creditrecord",
    ],
}


def sync_role_groups(**kwargs: Any) -> None:
    """Create one group per role and give it exactly the permissions listed above."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    sender = kwargs.get("sender")
    with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
    if sender is not None and sender is not with_models[-1]:
        return  # permissions of later apps do not exist yet
    using = kwargs.get("using", "default")
    by_name = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=str(role))
        missing = [p for p in perms if p not in by_name]
        if missing:
            raise LookupError(f"Role {role} names unknown permissions: {missing}")
        group.permissions.set([by_name[p] for p in perms])
