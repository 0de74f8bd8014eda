"""The reasons of monitoring alerts and mark search, in the reader's language.

The confusing-mark engine (:mod:`ipshield.engines.marks`) gives each hit reasons with a code
(``marks.glyph`` …) and parameters; detection adds its own (``alert.slang`` …). Alerts store
them as data (:func:`ipshield.common.reasons.to_data`) and pages and the API render them here
with gettext at display time; reasons stored as Chinese text by older versions are read back
into codes when they match a message below.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_noop as N_

from ipshield.common import reasons as common
from ipshield.engines.reasons import Reason

__all__ = ["MESSAGES", "make", "render", "render_all"]

#: Reason code → Chinese source message (translated at display time).
MESSAGES: dict[str, str] = {
    # engines.marks (scoring and index)
    "marks.identical": N_("规范化后相同"),
    "marks.glyph": N_("%(a)s≈%(b)s 字形近似，读音 %(sound_a)s/%(sound_b)s"),
    "marks.homophone": N_("%(a)s≈%(b)s 同音 %(sound)s"),
    "marks.tone": N_("%(a)s≈%(b)s 音同调不同 %(sound_a)s/%(sound_b)s"),
    "marks.component": N_("%(a)s≈%(b)s 字形部分相同（部件相同），读音 %(sound_a)s/%(sound_b)s"),
    "marks.near_sound": N_("%(a)s≈%(b)s 近音 %(sound_a)s/%(sound_b)s（%(rules)s）"),
    "marks.shared_part": N_("%(a)s→%(b)s 不同，共有部件“%(parts)s”"),
    "marks.latin_lookalike": N_("%(a)s≈%(b)s 形近字符"),
    "marks.latin_similar": N_("%(a)s≈%(b)s 形近字母"),
    "marks.different": N_("%(a)s→%(b)s 不同"),
    "marks.added": N_("多出“%(char)s”"),
    "marks.missing": N_("缺少“%(char)s”"),
    "marks.added_one": N_("多出“%(char)s”（增删一个字）"),
    "marks.missing_one": N_("缺少“%(char)s”（增删一个字）"),
    "marks.latin_letters": N_("字母形近"),
    "marks.spelling": N_("拼写相差 %(count)s 处（%(a)s/%(b)s）"),
    "marks.latin_sound": N_("英文读音相近（%(key)s）"),
    "marks.same_sound": N_("读音相同 %(sound)s"),
    "marks.same_sound_tones": N_("读音相同（声调不同）%(sound)s"),
    "marks.near_sounds": N_("读音相近 %(sound_a)s / %(sound_b)s"),
    "marks.partial_sounds": N_("读音部分相近 %(sound_a)s / %(sound_b)s"),
    "marks.reordered": N_("字序调换 %(a)s/%(b)s"),
    "marks.shared_bigrams": N_("共有字组 %(groups)s"),
    "marks.split": N_("%(written)s≈%(whole)s 拆字（%(whole)s = %(a)s + %(b)s）"),
    # monitoring.detection
    "alert.genuine": N_("标题含受保护商标“%(mark)s”原名"),
    "alert.similar": N_("“%(matched)s”与受保护商标“%(mark)s”近似（%(score)s）"),
    "alert.slang": N_("标题含假冒用语：%(terms)s"),
    "alert.price": N_("价格 ¥%(price)s 远低于参考价 %(reference)s（仅为 %(percent)s%%）"),
    "alert.prior": N_("经营者此前受过 %(count)s 次行政处罚"),
}
# List parameters shown with each item in quotation marks.
QUOTED = ("groups",)
# List parameters (read back from old reasons stored as text).
LISTS = ("groups", "parts", "rules", "terms")


def make(code: str, **params: Any) -> Reason:
    """A detection reason: its Chinese text (the source message) with its code and params."""
    values = {k: "、".join(map(str, v)) if isinstance(v, list) else v for k, v in params.items()}
    return Reason(code, MESSAGES[code] % values, **params)


def render(reason: Any) -> str:
    """One reason (a :class:`Reason`, its stored data, or old plain text) in the active
    language."""
    return common.render(reason, MESSAGES, QUOTED, LISTS)


def render_all(reasons: Iterable[Any]) -> list[str]:
    return common.render_all(reasons, MESSAGES, QUOTED, LISTS)
