"""The task decorator: Django's own (6.0+) or the django-tasks backport on Django 5.2."""

from __future__ import annotations

try:
    from django.tasks import task
except ImportError:  # Django 5.2 on Python 3.11
    from django_tasks import task  # type: ignore[no-redef]

__all__ = ["task"]
