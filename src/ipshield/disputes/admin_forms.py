"""Forms of the directory, statistics and damages pages (``admin_views``). Fields are read as
text; the services and the calculator check them and name the field they refuse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ipshield.accounts.models import Region
from ipshield.disputes.damages_reasons import BASIS_CHOICES, KIND_CHOICES
from ipshield.disputes.models import OrganisationKind
from ipshield.registry.models import RightKind


class DamagesForm(forms.Form):
    kind = forms.ChoiceField(label=_("权利类型"), choices=KIND_CHOICES)
    acted_on = forms.CharField(
        label=_("侵权行为发生日期"),
        max_length=10,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("适用该日施行的法律。"),
    )
    acted_until = forms.CharField(
        label=_("侵权行为持续至"),
        max_length=10,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("行为持续跨越法律修改的，适用修改后的法律。可不填。"),
    )
    basis = forms.ChoiceField(label=_("计算依据"), choices=BASIS_CHOICES)
    amount = forms.CharField(
        label=_("实际损失或侵权获利（元）"),
        max_length=20,
        required=False,
        help_text=_("按实际损失或侵权获利计算时填写。"),
    )
    licence_fee = forms.CharField(label=_("许可使用费（元）"), max_length=20, required=False)
    licence_multiple = forms.CharField(label=_("许可使用费倍数"), max_length=10, required=False)
    malicious = forms.BooleanField(label=_("故意侵权"), required=False)
    serious = forms.BooleanField(label=_("情节严重"), required=False)
    expenses = forms.CharField(
        label=_("合理开支（元）"),
        max_length=20,
        required=False,
        help_text=_("为制止侵权行为所支付的合理开支，在倍数之后另行加算。"),
    )


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("组织类型"), choices=OrganisationKind.choices)
    video_link = forms.CharField(
        label=_("视频调解会议室链接"),
        max_length=300,
        required=False,
        help_text=_("本组织的视频会议室地址，平台只保存链接，不承载视频。"),
    )
    address = forms.CharField(label=_("调解场所"), max_length=200, required=False)
    accepts_online = forms.BooleanField(label=_("接受网上申请"), required=False)
    limit_days = forms.CharField(label=_("调解期限（日）"), max_length=4)


class MediatorForm(forms.Form):
    user = forms.ChoiceField(label=_("账号"), choices=())
    name = forms.CharField(label=_("姓名"), max_length=64)
    title = forms.CharField(label=_("职务/职称"), max_length=64, required=False)
    specialties = forms.MultipleChoiceField(
        label=_("擅长的权利类型"),
        choices=RightKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    industries = forms.CharField(
        label=_("熟悉的行业"),
        max_length=400,
        required=False,
        help_text=_("用顿号或逗号分隔，最多 10 个。"),
    )
    region = forms.ModelChoiceField(label=_("所在区划"), queryset=Region.objects.none())
    available = forms.BooleanField(label=_("可接受指派"), required=False)
    max_load = forms.CharField(label=_("同时办理上限"), max_length=4)

    def __init__(self, *args: Any, users: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "—"), *users]
        self.fields["region"].queryset = Region.objects.order_by("code")


class ConflictForm(forms.Form):
    name = forms.CharField(label=_("当事人名称/姓名"), max_length=200)
    reason = forms.CharField(label=_("利害关系"), max_length=200)


class StatsForm(forms.Form):
    start = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    region = forms.ModelChoiceField(label=_("区划"), queryset=Region.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("code")
