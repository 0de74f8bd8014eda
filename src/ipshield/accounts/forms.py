"""Forms of the accounts pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PersonForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    display_name = forms.CharField(label=_("姓名"), max_length=64)
    title = forms.CharField(label=_("职务"), max_length=64, required=False)
    phone = forms.CharField(label=_("手机号"), max_length=32, required=False)
    roles = forms.MultipleChoiceField(
        label=_("角色"), choices=(), widget=forms.CheckboxSelectMultiple
    )
    unit = forms.ModelChoiceField(label=_("单位"), queryset=None, empty_label=_("— 请选择 —"))
    password = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput,
        required=False,
        help_text=_("留空则需管理员稍后设置。至少 10 位，不要只用数字。"),
    )

    def __init__(self, *args, units, **kwargs):
        from ipshield.accounts.roles import STAFF_ROLES, Role

        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = [(r.value, r.label) for r in Role if r in STAFF_ROLES]
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first()


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        from ipshield.accounts.models import NotificationSettings

        model = NotificationSettings
        fields = ["email", "digest", "sms"]
        help_texts = {
            "email": _("发送到账户的电子邮箱（须由管理员开通邮件服务）。"),
            "sms": _("发送到人员信息中的手机号（须由管理员配置短信网关）。"),
        }
