"""Public portal forms. Field checks live in services; forms only parse."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ipshield.accounts.models import Region, RegionLevel
from ipshield.registry.models import HolderKind, RightKind


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
