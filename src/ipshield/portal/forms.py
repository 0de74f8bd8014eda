"""Public portal forms. Field checks live in services; forms only parse."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from ipshield.accounts.models import Region, RegionLevel
from ipshield.cases.intake import MAX_ATTACHMENTS
from ipshield.registry.models import HolderKind, IPRight, RightKind


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。注意密码区分大小写。"),
        "inactive": _("该账号已停用。"),
    }


class SignUpForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150, help_text=_("字母、数字或 @.+-_"))
    display_name = forms.CharField(label=_("姓名/联系人"), max_length=64)
    phone = forms.CharField(label=_("手机号"), max_length=32, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    password = forms.CharField(
        label=_("密码"), widget=forms.PasswordInput, help_text=_("至少 10 位，不要只用数字。")
    )
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


def _region_choices():
    return Region.objects.filter(level__in=[RegionLevel.COUNTY, RegionLevel.CITY]).order_by("code")


class HolderForm(forms.Form):
    holder_name = forms.CharField(label=_("权利人名称"), max_length=200)
    holder_kind = forms.ChoiceField(label=_("权利人类型"), choices=HolderKind.choices)
    holder_uscc = forms.CharField(
        label=_("统一社会信用代码"), max_length=40, required=False, help_text=_("企业、机构填写")
    )
    region = forms.ModelChoiceField(
        label=_("所在地区"), queryset=Region.objects.none(), empty_label=_("— 请选择 —")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _region_choices()
        self.fields["region"].label_from_instance = lambda r: r.full_name


class RightForm(forms.Form):
    kind = forms.ChoiceField(label=_("权利类型"), choices=RightKind.choices)
    registration_number = forms.CharField(label=_("注册/登记号"), max_length=64)
    title = forms.CharField(label=_("名称"), max_length=200, help_text=_("商标名称、专利名称等"))
    nice_classes = forms.CharField(
        label=_("尼斯分类"), required=False, help_text=_("商标必填，如：30, 32")
    )
    valid_from = forms.DateField(
        label=_("生效日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("有效期至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    certificate = forms.FileField(
        label=_("权利证书"), required=False, help_text=_("PDF 或图片，便于工作人员核验")
    )


# -- Complaints, reports and tracking -------------------------------------------------------------


def _fill_in(label):
    """The message for a missing field names it, the way the services do."""
    return lazy(lambda: _("请填写%(label)s。") % {"label": label}, str)()


def _choose(label):
    return lazy(lambda: _("请选择%(label)s。") % {"label": label}, str)()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (``<input type=file multiple>``); cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_clean = super().clean
        if isinstance(data, (list, tuple)):
            return [single_clean(d, initial) for d in data if d]
        return [single_clean(data, initial)] if data else []


class _IntakeForm(forms.Form):
    """What complaints and reports share: the infringement, where it happened, the files."""

    title_label = _("事由")

    title = forms.CharField(max_length=200)
    description = forms.CharField(
        label=_("情况描述"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("侵权的事实：什么时间、在哪里、涉及什么商品或作品、怎样侵权。"),
        error_messages={"required": _fill_in(_("情况描述"))},
    )
    infringer_uscc = forms.CharField(
        label=_("涉嫌侵权人统一社会信用代码"),
        max_length=40,
        required=False,
        help_text=_("知道的话填写（18 位），系统会核对校验位。"),
    )
    infringer_name = forms.CharField(
        label=_("涉嫌侵权人名称"),
        max_length=200,
        required=False,
        help_text=_("企业、个体工商户、网店或个人的名称"),
    )
    infringer_address = forms.CharField(label=_("涉嫌侵权人地址"), max_length=200, required=False)
    place = forms.CharField(
        label=_("发生地点"),
        max_length=500,
        required=False,
        help_text=_("店铺地址、网店链接或展会名称及展位号"),
    )
    region = forms.ModelChoiceField(
        label=_("侵权发生地"),
        queryset=Region.objects.none(),
        empty_label=_("— 请选择 —"),
        error_messages={
            "required": _choose(_("侵权发生地")),
            "invalid_choice": _choose(_("侵权发生地")),
        },
    )
    amount_involved = forms.CharField(
        label=_("涉案金额（元）"),
        max_length=32,
        required=False,
        help_text=_("估计的货值或违法经营额，可不填"),
    )
    public_health = forms.BooleanField(label=_("涉及食品、药品等公共健康"), required=False)
    attachments = MultipleFileField(
        label=_("证据材料"),
        required=False,
        help_text=lazy(
            lambda: (
                _(
                    "可多选：照片、截图、购物凭证、权利证书等，PDF 或图片（PNG、JPEG、GIF、WEBP），"
                    "最多 %(n)d 个。"
                )
                % {"n": MAX_ATTACHMENTS}
            ),
            str,
        )(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].label = self.title_label
        self.fields["title"].error_messages["required"] = _fill_in(self.title_label)
        region = cast(forms.ModelChoiceField, self.fields["region"])
        region.queryset = Region.objects.filter(level=RegionLevel.COUNTY).order_by("code")
        region.label_from_instance = lambda r: r.full_name  # type: ignore[method-assign,assignment]
        self.fields["attachments"].widget.attrs["accept"] = ".pdf,.png,.jpg,.jpeg,.gif,.webp"

    def clean_amount_involved(self):
        # The service parses the amount; only values that are not numbers at all
        # (NaN, Infinity) are stopped here, because they would not compare.
        value = self.cleaned_data["amount_involved"].strip()
        try:
            number = Decimal(value.replace(",", "")) if value else None
        except InvalidOperation:
            return value
        if number is not None and not number.is_finite():
            raise forms.ValidationError(_("涉案金额应为数字（元）。"))
        return value


class ComplaintForm(_IntakeForm):
    title_label = _("投诉事由")

    right = forms.ModelChoiceField(
        label=_("被侵权的权利"),
        queryset=IPRight.objects.all(),
        help_text=_("只列出已核验通过的权利。"),
        error_messages={
            "required": _choose(_("被侵权的权利")),
            "invalid_choice": _choose(_("被侵权的权利")),
        },
    )

    field_order = ["right", "title", "description"]

    def __init__(self, *args, rights=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Offer the holder's verified rights; any right parses, so that the service can say why
        # another one may not be complained about.
        self.fields["right"].widget.choices = [("", _("— 请选择 —"))] + [
            (r.pk, str(r)) for r in rights
        ]


class ReportForm(_IntakeForm):
    title_label = _("举报事由")

    right_kind = forms.ChoiceField(
        label=_("涉及的权利类型"),
        choices=[("", _("— 请选择 —")), *RightKind.choices],
        error_messages={
            "required": _choose(_("涉及的权利类型")),
            "invalid_choice": _choose(_("涉及的权利类型")),
        },
    )
    anonymous = forms.BooleanField(
        label=_("匿名举报"),
        required=False,
        help_text=_("不留姓名和联系方式，办理单位将无法与您联系；凭编号和查询码查看进度。"),
    )
    reporter_name = forms.CharField(
        label=_("举报人姓名"), max_length=64, required=False, help_text=_("实名举报必填")
    )
    reporter_id_number = forms.CharField(
        label=_("身份证件号码"), max_length=32, required=False, help_text=_("可不填")
    )
    reporter_phone = forms.CharField(
        label=_("联系电话"), max_length=32, required=False, help_text=_("实名举报必填")
    )
    reporter_email = forms.EmailField(
        label=_("电子邮箱"),
        max_length=100,
        required=False,
        error_messages={"invalid": _("电子邮箱格式不正确。")},
    )

    field_order = ["right_kind", "title", "description"]


class _UnechoedInput(forms.TextInput):
    """Visible while typing (codes are copied from paper) but never written back into a page."""

    def format_value(self, value):
        return None


class TrackForm(forms.Form):
    number = forms.CharField(
        label=_("编号"),
        max_length=24,
        help_text=_("提交后页面上显示的编号，如 TS20260105123456"),
        error_messages={"required": _fill_in(_("编号"))},
    )
    access_code = forms.CharField(
        label=_("查询码"),
        max_length=16,
        help_text=_("提交时只显示一次的 8 位查询码"),
        widget=_UnechoedInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _fill_in(_("查询码"))},
    )
