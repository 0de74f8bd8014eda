"""Plan supervision pages on the workbench (mounted at ``/workbench/`` in the ``workbench``
namespace): plans, the import preview, the leading group's dashboard, a unit's page with the
report form, reports, supervision notices and the ledger's exports."""

from django.urls import path

from ipshield.supervision import views

urlpatterns = [
    path("supervision/", views.plan_list, name="supervision-plans"),
    path("supervision/import/", views.plan_import, name="supervision-import"),
    path("supervision/plans/<int:plan_id>/", views.plan_dashboard, name="supervision-plan"),
    path("supervision/plans/<int:plan_id>/unit/", views.unit_page, name="supervision-unit"),
    path(
        "supervision/plans/<int:plan_id>/ledger.<str:fmt>",
        views.ledger_export,
        name="supervision-ledger",
    ),
    path(
        "supervision/plans/<int:plan_id>/<str:action>/",
        views.plan_act,
        name="supervision-plan-act",
    ),
    path(
        "supervision/measures/<int:measure_id>/",
        views.measure_detail,
        name="supervision-measure",
    ),
    path(
        "supervision/measures/<int:measure_id>/<str:action>/",
        views.measure_act,
        name="supervision-measure-act",
    ),
    path(
        "supervision/assignments/<int:assignment_id>/report/",
        views.report_create,
        name="supervision-report-create",
    ),
    path("supervision/reports/<int:report_id>/", views.report_detail, name="supervision-report"),
    path(
        "supervision/reports/<int:report_id>/<str:action>/",
        views.report_act,
        name="supervision-report-act",
    ),
    path("supervision/notices/<int:notice_id>/", views.notice_detail, name="supervision-notice"),
    path("supervision/meetings/", views.meeting_list, name="supervision-meetings"),
    path("supervision/meetings/new/", views.meeting_create, name="supervision-meeting-create"),
    path(
        "supervision/meetings/<int:meeting_id>/", views.meeting_detail, name="supervision-meeting"
    ),
    path("supervision/incidents/", views.incident_list, name="supervision-incidents"),
    path("supervision/incidents/new/", views.incident_create, name="supervision-incident-create"),
    path(
        "supervision/incidents/<int:incident_id>/",
        views.incident_detail,
        name="supervision-incident",
    ),
    path(
        "supervision/incidents/<int:incident_id>/acknowledge/",
        views.incident_acknowledge,
        name="supervision-incident-ack",
    ),
]
