"""``{% load disputes %}``: whether the workbench's navigation shows dispute resolution."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def uses_disputes(user: Any) -> bool:
    """Mediators, and the staff of a unit that resolves disputes (a mediation organisation, a
    court, an arbitration commission)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_uses_disputes", None)
    if cached is None:
        from ipshield.accounts.roles import Role
        from ipshield.disputes.models import Organisation
        from ipshield.disputes.selectors import roles_of, unit_id_of

        unit_id = unit_id_of(user)
        cached = Role.MEDIATOR in roles_of(user) or (
            unit_id is not None and Organisation.objects.filter(unit_id=unit_id).exists()
        )
        user._uses_disputes = cached
    return cached


@register.filter
def is_dispute_party(user: Any) -> bool:
    """Whether the portal's navigation shows 我的调解: to a party of some dispute (others find
    the application on the home page; a link for everyone would not fit the line)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_is_dispute_party", None)
    if cached is None:
        from ipshield.disputes.models import Party

        cached = Party.objects.filter(user=user).exists()
        user._is_dispute_party = cached
    return cached
