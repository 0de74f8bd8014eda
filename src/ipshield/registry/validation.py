"""Field checks shared by forms, the API and services, each raising a message that names the
field in the user's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ipshield.common.errors import InvalidInput
from ipshield.engines import uscc
from ipshield.registry import errors


def clean_uscc(value: str, *, field: str = "uscc") -> str:
    """Return the normalised code, or raise with what is wrong (and the right check digit)."""
    code = uscc.normalize(value)
    problem = uscc.explain(code)
    if problem is None:
        return code
    if problem == "length":
        raise InvalidInput(
            _("统一社会信用代码应为 18 位，您输入了 %(n)d 位。") % {"n": len(code)},
            field=field,
            code=errors.USCC_LENGTH,
        )
    if problem == "charset":
        bad = "".join(sorted({c for c in code if c not in uscc.ALPHABET}))
        raise InvalidInput(
            _("统一社会信用代码含有不允许的字符“%(chars)s”（不使用 I、O、Z、S、V）。")
            % {"chars": bad},
            field=field,
            code=errors.USCC_CHARSET,
        )
    expected = uscc.check_digit(code[:17])
    raise InvalidInput(
        _("统一社会信用代码校验位错误：最后一位是“%(got)s”，按前 17 位计算应为“%(want)s”。")
        % {"got": code[17], "want": expected},
        field=field,
        code=errors.USCC_CHECK_DIGIT,
        details={"expected_check_digit": expected},
    )


def clean_nice_classes(values: list[int] | str, *, field: str = "nice_classes") -> list[int]:
    """Accept a list or a string like "25, 35；18" and return sorted unique classes 1–45."""
    if isinstance(values, str):
        parts = [
            p
            for p in values.replace("，", ",")
            .replace("；", ",")
            .replace(";", ",")
            .replace("、", ",")
            .replace(" ", ",")
            .split(",")
            if p.strip()
        ]
        try:
            numbers = [int(p) for p in parts]
        except ValueError as exc:
            raise InvalidInput(
                _("尼斯分类应填写 1–45 的数字，多个用逗号分隔。"), field=field
            ) from exc
    else:
        numbers = list(values)
    wrong = [n for n in numbers if not 1 <= int(n) <= 45]
    if wrong:
        raise InvalidInput(
            _("尼斯分类只有第 1–45 类，“%(bad)s”不在其中。")
            % {"bad": "、".join(str(n) for n in wrong)},
            field=field,
        )
    return sorted({int(n) for n in numbers})
