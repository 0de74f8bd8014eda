"""``{% case_evidence case as ev %}``: the evidence panel's data for the case page.

The case page's view belongs to the workbench; the panel (``evidence/_case_panel.html``) fetches
its own rows through the evidence selectors, so scoping stays in selectors.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import filesizeformat

from ipshield.evidence import selectors, services

register = template.Library()


@register.simple_tag(takes_context=True)
def case_evidence(context: template.Context, case: Any) -> dict[str, Any]:
    request = context.get("request")
    actor = getattr(request, "user", None)
    return {
        "items": list(selectors.evidence_for_case(actor=actor, case=case)),
        "can_upload": selectors.can_preserve_on_case(actor=actor, case=case),
        "max_size": filesizeformat(services.max_bytes()),
    }
