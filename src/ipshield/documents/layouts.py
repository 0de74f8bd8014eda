"""Finding and filling a kind's layout: a Django template looked up first in the
administrator's directory (``IPSHIELD_DOCUMENT_TEMPLATES_DIR``), then in the apps' forms
folders (``registry.forms_dirs``). Nothing is cached, so a replaced file takes effect on the
next generation without a restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.template import Context, Engine, TemplateDoesNotExist, TemplateSyntaxError
from django.template.backends.django import get_installed_libraries
from django.utils.translation import gettext as _

from ipshield.common.errors import Conflict
from ipshield.documents import errors, registry
from ipshield.documents.registry import DocumentKind
from ipshield.documents.render import Layout, LayoutError, parse

__all__ = ["custom_dir", "fill", "source_of"]


def custom_dir() -> Path:
    return Path(settings.IPSHIELD_DOCUMENT_TEMPLATES_DIR)


def _engine() -> Engine:
    dirs = [str(custom_dir()), *(str(d) for d in registry.forms_dirs())]
    return Engine(
        dirs=dirs,
        loaders=[("django.template.loaders.filesystem.Loader", dirs)],
        libraries=get_installed_libraries(),
        autoescape=True,  # the markup is XML: values are escaped like HTML
    )


def source_of(kind: DocumentKind) -> Path | None:
    """The file the kind's layout comes from now (the administrator's, else the shipped one)."""
    for directory in [custom_dir(), *registry.forms_dirs()]:
        path = directory / kind.template
        if path.is_file():
            return path
    return None


def _refusal(kind: DocumentKind, problem: str) -> Conflict:
    return Conflict(
        _("“%(title)s”的版式文件有误，请管理员检查（%(problem)s）。")
        % {"title": kind.title, "problem": problem},
        code=errors.LAYOUT_INVALID,
    )


def fill(kind: DocumentKind, context: dict[str, Any]) -> Layout:
    """The kind's layout rendered with ``context`` and read into blocks."""
    try:
        template = _engine().get_template(kind.template)
        markup = template.render(Context(context, autoescape=True))
    except TemplateDoesNotExist:
        raise _refusal(kind, _("找不到 %(name)s") % {"name": kind.template}) from None
    except TemplateSyntaxError as exc:
        raise _refusal(kind, str(exc)) from None
    try:
        return parse(markup)
    except LayoutError as exc:
        raise _refusal(kind, str(exc)) from None
