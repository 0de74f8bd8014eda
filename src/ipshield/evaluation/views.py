"""The yearly evaluation's pages on the workbench (mounted at ``/workbench/evaluation/`` in the
``workbench`` namespace): the sheets, a year's evaluation with its ranking and bars, the
drill-down from a score to the records behind it, the sheet editor and the entry of values for
the office, finalising, notices, interviews and commendations, and the ranking's export.

Reading is for leading-group members, auditors, administrators, unit leaders and the office
(``selectors.can_read``); every change is one call to ``evaluation.services``, whose refusal is
shown next to the field it names with what was typed kept.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ipshield.accounts.models import Unit
from ipshield.accounts.pages import staff_required
from ipshield.common.errors import DomainError
from ipshield.common.forms import add_domain_error
from ipshield.evaluation import indicators, selectors, services
from ipshield.evaluation.models import (
    ENTERED,
    AccountabilityKind,
    EnteredValue,
    Indicator,
    IndicatorSheet,
    Rule,
)

# --- forms ---------------------------------------------------------------------------------------


class SheetForm(forms.Form):
    year = forms.CharField(label=gettext_lazy("考核年度"), max_length=4)


def _number(label: Any, *, required: bool = False) -> forms.CharField:
    # Numbers are checked by the service, which names the field and the range.
    return forms.CharField(label=label, required=required, max_length=20)


def _source_choices() -> list[tuple[str, str]]:
    return [(code, str(c.name)) for code, c in indicators.REGISTRY.items()] + [
        (ENTERED, _("录入（由办公室逐单位录入得分依据）"))
    ]


class IndicatorForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("指标名称"), max_length=100)
    source = forms.ChoiceField(label=gettext_lazy("数据来源"), choices=())
    weight = _number(gettext_lazy("分值"), required=True)
    rule = forms.ChoiceField(label=gettext_lazy("计分规则"), choices=Rule.choices)
    target = _number(gettext_lazy("目标比例（%）"))
    limit_days = _number(gettext_lazy("时限（工作日）"))
    min_value = _number(gettext_lazy("最低值"))
    max_value = _number(gettext_lazy("最高值"))
    note = forms.CharField(label=gettext_lazy("说明"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = _source_choices()
        self.fields["target"].help_text = gettext_lazy("计分规则为目标比例时填写。")
        self.fields["limit_days"].help_text = gettext_lazy(
            "仅移送签收、预警处置、信用记录三项使用；留空用默认值。"
        )
        self.fields["min_value"].help_text = gettext_lazy("录入的指标填写取值范围。")


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class ValueForm(forms.Form):
    unit = UnitChoice(label=gettext_lazy("单位"), queryset=Unit.objects.none())
    value = _number(gettext_lazy("录入值"), required=True)
    evidence = forms.CharField(
        label=gettext_lazy("依据说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    attachment = forms.FileField(label=gettext_lazy("附件"), required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class AccountabilityForm(forms.Form):
    unit = UnitChoice(label=gettext_lazy("单位"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("方式"), choices=AccountabilityKind.choices)
    on = forms.CharField(label=gettext_lazy("日期"), max_length=10, help_text="2026-12-01")
    issued_by = forms.CharField(label=gettext_lazy("作出机关/约谈人"), max_length=100)
    reason = forms.CharField(
        label=gettext_lazy("事由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    attachment = forms.FileField(label=gettext_lazy("附件"), required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class CommendationForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("表彰名称"), max_length=100)
    unit = UnitChoice(label=gettext_lazy("单位"), queryset=Unit.objects.none(), required=False)
    person = forms.CharField(label=gettext_lazy("受表彰个人"), max_length=64, required=False)
    on = forms.CharField(label=gettext_lazy("日期"), max_length=10, help_text="2026-12-01")
    issued_by = forms.CharField(label=gettext_lazy("作出机关"), max_length=100)
    reason = forms.CharField(
        label=gettext_lazy("事迹"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    attachment = forms.FileField(label=gettext_lazy("附件"), required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


# --- helpers -------------------------------------------------------------------------------------


def _sheet(request: Any, sheet_id: int) -> IndicatorSheet:
    sheet = get_object_or_404(
        IndicatorSheet.objects.select_related("region", "office_unit"), pk=sheet_id
    )
    if not selectors.can_read(request.user, sheet):
        raise PermissionDenied(_("考核评价仅对领导组、审计、单位负责人和领导组办公室开放。"))
    return sheet


def _office(request: Any, sheet: IndicatorSheet) -> bool:
    return services.is_office_member(request.user, sheet.office_unit_id)


def _bar(total: Decimal | None, full: Decimal) -> int:
    if total is None or not full:
        return 0
    return max(0, min(100, int(total * 100 / full)))


# --- pages ---------------------------------------------------------------------------------------


@staff_required
def index(request):
    if not selectors.can_read(request.user):
        raise PermissionDenied(_("考核评价仅对领导组、审计、单位负责人和领导组办公室开放。"))
    form = SheetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = services.sheet_create_default(
                actor=request.user, year=form.cleaned_data["year"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已建立 %(year)s 年度考核指标表。") % {"year": sheet.year})
            return redirect("workbench:evaluation-sheet", sheet.pk)
    from ipshield.accounts.models import LeadingGroup
    from ipshield.accounts.selectors import profile_of

    profile = profile_of(request.user)
    may_create = bool(
        profile
        and profile.unit_id
        and services.is_office_member(request.user, profile.unit_id)
        and LeadingGroup.objects.filter(office_unit_id=profile.unit_id).exists()
    )
    return render(
        request,
        "evaluation/index.html",
        {"sheets": selectors.sheet_list(), "form": form, "may_create": may_create},
    )


@staff_required
def sheet_page(request, sheet_id: int):
    sheet = _sheet(request, sheet_id)
    evaluation = selectors.evaluation_for(sheet)
    for row in [*evaluation.departments, *evaluation.townships]:
        row.bar_percent = _bar(row.total, evaluation.total_weight)
        row.drillable = selectors.can_drill(request.user, sheet, row.unit.pk)
    return render(
        request,
        "evaluation/sheet.html",
        {
            "sheet": sheet,
            "evaluation": evaluation,
            "office": _office(request, sheet),
            "accountability": selectors.accountability_list(sheet.year),
            "commendations": selectors.commendation_list(sheet.year),
        },
    )


@staff_required
def drill(request, sheet_id: int, indicator_id: int, unit_id: int):
    sheet = _sheet(request, sheet_id)
    indicator = get_object_or_404(Indicator, pk=indicator_id, sheet=sheet)
    unit = get_object_or_404(Unit, pk=unit_id)
    if not selectors.can_drill(request.user, sheet, unit.pk):
        raise PermissionDenied(_("单位负责人只能查看本单位的得分明细。"))
    found = selectors.drill_down(sheet, indicator, unit)
    return render(request, "evaluation/drill.html", {"sheet": sheet, "drill": found})


@staff_required
def export(request, sheet_id: int, fmt: str):
    sheet = _sheet(request, sheet_id)
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    evaluation = selectors.evaluation_for(sheet)
    header = [
        _("分组"),
        _("名次"),
        _("单位"),
        *[f"{i.name}（{i.weight}）" for i in evaluation.indicators],
        _("总分"),
    ]
    rows = []
    for group, items in ((_("部门"), evaluation.departments), (_("乡镇"), evaluation.townships)):
        for row in items:
            rows.append(
                [
                    group,
                    row.rank or "",
                    row.unit.name,
                    *[c.score if c.score is not None else "" for c in row.cells],
                    row.total if row.total is not None else "",
                ]
            )
    name = f"evaluation-{sheet.year}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for r in rows:
            writer.writerow([_csv_safe(v) for v in r])
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet_xl = book.active
        sheet_xl.title = str(sheet.year)
        sheet_xl.append(header)
        for r in rows:
            sheet_xl.append([_xl_value(v) for v in r])
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _csv_safe(value: Any) -> Any:
    # A cell starting with =, +, - or @ would run as a formula in a spreadsheet.
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@"}:
        return "'" + value
    return value


def _xl_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return _csv_safe(value)


def _form_context(sheet: IndicatorSheet, form: forms.Form, **extra: Any) -> dict[str, Any]:
    return {"sheet": sheet, "form": form, **extra}


def _require_office(request: Any, sheet: IndicatorSheet) -> None:
    if not _office(request, sheet):
        raise PermissionDenied(_("只有领导组办公室的工作人员可以办理。"))


@staff_required
def indicators_page(request, sheet_id: int):
    sheet = _sheet(request, sheet_id)
    office = _office(request, sheet)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST":
        _require_office(request, sheet)
        if form.is_valid():
            try:
                services.indicator_save(actor=request.user, sheet=sheet, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("已添加指标。"))
                return redirect("workbench:evaluation-indicators", sheet.pk)
    items = list(sheet.indicators.all())
    return render(
        request,
        "evaluation/indicators.html",
        {
            "sheet": sheet,
            "items": items,
            "total_weight": sum((i.weight for i in items), Decimal(0)),
            "office": office and not sheet.is_final,
            "form": form,
            "bases": {code: c.basis for code, c in indicators.REGISTRY.items()},
        },
    )


def _initial(indicator: Indicator) -> dict[str, Any]:
    return {
        "name": indicator.name,
        "source": indicator.source,
        "weight": indicator.weight,
        "rule": indicator.rule,
        "target": indicator.target if indicator.target is not None else "",
        "limit_days": indicator.limit_days or "",
        "min_value": indicator.min_value if indicator.min_value is not None else "",
        "max_value": indicator.max_value if indicator.max_value is not None else "",
        "note": indicator.note,
    }


@staff_required
def indicator_edit(request, indicator_id: int):
    indicator = get_object_or_404(Indicator.objects.select_related("sheet"), pk=indicator_id)
    sheet = _sheet(request, indicator.sheet_id)
    _require_office(request, sheet)
    form = IndicatorForm(request.POST or None, initial=_initial(indicator))
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_save(
                actor=request.user, sheet=sheet, indicator=indicator, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已保存指标。"))
            return redirect("workbench:evaluation-indicators", sheet.pk)
    return render(
        request, "evaluation/indicator_form.html", _form_context(sheet, form, indicator=indicator)
    )


@require_POST
@staff_required
def indicator_remove(request, indicator_id: int):
    indicator = get_object_or_404(Indicator.objects.select_related("sheet"), pk=indicator_id)
    sheet = _sheet(request, indicator.sheet_id)
    try:
        services.indicator_remove(actor=request.user, indicator=indicator)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已删除指标。"))
    return redirect("workbench:evaluation-indicators", sheet.pk)


@staff_required
def values_page(request, indicator_id: int):
    indicator = get_object_or_404(Indicator.objects.select_related("sheet"), pk=indicator_id)
    sheet = _sheet(request, indicator.sheet_id)
    if not indicator.is_entered:
        raise Http404
    office = _office(request, sheet) and not sheet.is_final
    units = selectors.evaluated_units(sheet)
    form = ValueForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST":
        _require_office(request, sheet)
        if form.is_valid():
            try:
                services.value_enter(
                    actor=request.user,
                    indicator=indicator,
                    unit=form.cleaned_data["unit"],
                    value=form.cleaned_data["value"],
                    evidence=form.cleaned_data["evidence"],
                    attachment=form.cleaned_data.get("attachment"),
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("已录入。"))
                return redirect("workbench:evaluation-values", indicator.pk)
    values = (
        EnteredValue.objects.filter(indicator=indicator)
        .select_related("unit", "attachment")
        .order_by("unit__name")
    )
    return render(
        request,
        "evaluation/values.html",
        {
            "sheet": sheet,
            "indicator": indicator,
            "values": values,
            "form": form,
            "office": office,
        },
    )


@require_POST
@staff_required
def finalize(request, sheet_id: int):
    sheet = _sheet(request, sheet_id)
    try:
        services.sheet_finalize(actor=request.user, sheet=sheet)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("年度考核结果已确定。"))
    return redirect("workbench:evaluation-sheet", sheet.pk)


@staff_required
def record_new(request, sheet_id: int, kind: str):
    sheet = _sheet(request, sheet_id)
    _require_office(request, sheet)
    units = selectors.evaluated_units(sheet)
    if kind == "accountability":
        form: forms.Form = AccountabilityForm(
            request.POST or None, request.FILES or None, units=units
        )
        service = services.accountability_record
        title = _("登记通报或约谈")
    elif kind == "commendation":
        form = CommendationForm(request.POST or None, request.FILES or None, units=units)
        service = services.commendation_record
        title = _("登记表彰")
    else:
        raise Http404
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("已登记。"))
            return redirect(reverse("workbench:evaluation-sheet", args=[sheet.pk]) + "#records")
    return render(
        request, "evaluation/record_form.html", {"sheet": sheet, "form": form, "title": title}
    )
