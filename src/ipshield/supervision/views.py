"""Plan supervision pages (being built)."""

from django.http import Http404


def _todo(request, **kwargs):
    raise Http404


plan_list = plan_import = plan_dashboard = unit_page = ledger_export = plan_act = _todo
measure_detail = measure_act = report_create = report_detail = report_act = notice_detail = _todo
meeting_list = meeting_create = meeting_detail = _todo
incident_list = incident_create = incident_detail = incident_acknowledge = _todo
