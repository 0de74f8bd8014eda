"""Helpers that carry service errors back into forms, so a refused submission keeps its input."""

from __future__ import annotations

from django import forms

from ipshield.common.errors import DomainError


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal next to the field it names (or at the top of the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))
