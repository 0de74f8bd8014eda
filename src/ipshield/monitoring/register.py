"""What the officers' confusing-mark search looks in.

* **The trade-mark register** (商标注册簿): an index file built from a register extract with
  ``ipshield marks register FILE`` (``DATA_DIR/marks/register.idx``; millions of marks). It is
  memory-mapped once per process and reloaded when the file changes.
* **Marks known to the platform**: trade marks registered here by rights holders and the
  protected marks and watch lists, indexed from the database and rebuilt when they change.

Both answer with :class:`ipshield.engines.marks.Hit`; :func:`search` merges them, best first.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from ipshield.engines.marks import Hit, MarkIndex
from ipshield.engines.reasons import Reason
from ipshield.monitoring.detection import ALL_CLASSES
from ipshield.monitoring.models import ProtectedMark
from ipshield.monitoring.reasons import render_all
from ipshield.registry.models import IPRight, RightKind, RightStatus

SOURCES = {
    "register": _("商标注册簿"),
    "right": _("本平台登记的商标"),
    "mark": _("受保护商标/监测名单"),
}

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_platform: dict[str, Any] = {"version": None, "index": None}
_register: dict[str, Any] = {"stamp": None, "index": None, "unreadable": False}


def register_path() -> Path:
    return Path(settings.DATA_DIR) / "marks" / "register.idx"


def register_index() -> MarkIndex | None:
    """The register's index, or None when no register has been loaded or its file cannot
    be read (:func:`register_problem` says so: an index saved by an older version must be
    built again with ``ipshield marks register``)."""
    path = register_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    with _lock:
        if _register["stamp"] != stamp:
            try:
                _register["index"], _register["unreadable"] = MarkIndex.load(path), False
            except ValueError:
                logger.warning("mark register %s cannot be read; build it again", path)
                _register["index"], _register["unreadable"] = None, True
            _register["stamp"] = stamp
        return _register["index"]


def register_problem() -> str | None:
    """Why the register is left out of the search, if its file exists but cannot be read."""
    register_index()
    if _register["unreadable"] and register_path().exists():
        return str(
            _(
                "商标注册簿索引文件无法读取（可能由旧版本生成），本次只检索了本平台的商标。"
                "请管理员用 ipshield marks register 重新导入注册簿。"
            )
        )
    return None


def _platform_version() -> tuple[Any, ...]:
    rights = IPRight.objects.filter(kind=RightKind.TRADEMARK)
    marks = ProtectedMark.objects.filter(active=True)
    return (
        rights.count(),
        rights.aggregate(m=Max("updated_at"))["m"],
        marks.count(),
        marks.aggregate(m=Max("updated_at"))["m"],
    )


def platform_index() -> MarkIndex:
    """Trade marks registered on the platform (not rejected) and active protected marks."""
    version = _platform_version()
    with _lock:
        if _platform["version"] != version:
            names: list[str] = []
            ids: list[str] = []
            classes: list[Any] = []
            rights = (
                IPRight.objects.filter(kind=RightKind.TRADEMARK)
                .exclude(status=RightStatus.REJECTED)
                .values_list("pk", "title", "nice_classes")
            )
            for pk, title, nice in rights:
                names.append(title)
                ids.append(f"right:{pk}")
                classes.append(nice or ALL_CLASSES)
            marks = ProtectedMark.objects.filter(active=True, right__isnull=True)
            for pk, name, nice in marks.values_list("pk", "name", "nice_classes"):
                names.append(name)
                ids.append(f"mark:{pk}")
                classes.append(nice or ALL_CLASSES)
            _platform["index"] = MarkIndex.build(names, ids=ids, classes=classes)
            _platform["version"] = version
        return _platform["index"]


def forget() -> None:
    with _lock:
        _platform.update(version=None, index=None)
        _register.update(stamp=None, index=None)


@dataclass(frozen=True)
class SearchHit:
    name: str
    source: str
    reference: str
    score: float
    reasons: tuple[Reason, ...]

    @property
    def source_label(self) -> str:
        return str(SOURCES[self.source])

    @property
    def reason_texts(self) -> list[str]:
        """The engine's reasons in the active language."""
        return render_all(self.reasons)


def _from(hit: Hit, *, register: bool) -> SearchHit:
    if register:
        return SearchHit(hit.name, "register", str(hit.id), hit.score, hit.reasons)
    kind, _sep, pk = str(hit.id).partition(":")
    return SearchHit(hit.name, kind, pk, hit.score, hit.reasons)


def search(query: str, *, k: int = 20, classes: list[int] | None = None) -> list[SearchHit]:
    """Marks confusingly similar to ``query`` in the register and on the platform, best first."""
    wanted = classes or None
    hits = [_from(h, register=False) for h in platform_index().search(query, k=k, classes=wanted)]
    register = register_index()
    if register is not None:
        hits += [_from(h, register=True) for h in register.search(query, k=k, classes=wanted)]
    hits.sort(key=lambda h: (-h.score, h.source != "register", h.name))
    return hits[:k]
