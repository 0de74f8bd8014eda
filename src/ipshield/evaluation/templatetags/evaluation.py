"""``{% load evaluation %}``: whether the navigation shows the evaluation to a person."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def reads_evaluation(user: Any) -> bool:
    """Leading-group members, auditors, administrators, unit leaders and the office."""
    from ipshield.evaluation.selectors import can_read

    return bool(getattr(user, "is_authenticated", False)) and can_read(user)
