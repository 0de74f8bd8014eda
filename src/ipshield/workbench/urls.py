from django.urls import path

from ipshield.workbench import views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("units/", views.units, name="units"),
    path("people/", views.people, name="people"),
    path("leading-group/", views.leading_group, name="leading-group"),
    path("entities/", views.entities, name="entities"),
    path("rights/", views.rights, name="rights"),
    path("rights/<int:right_id>/<str:decision>/", views.right_decide, name="right-decide"),
]

from ipshield.workbench import case_views  # noqa: E402

urlpatterns += [
    path("cases/", case_views.case_list, name="cases"),
    path("cases/notify/", case_views.lead_notice_new, name="lead-notice-new"),
    path("cases/<int:case_id>/", case_views.case_detail, name="case-detail"),
    path("cases/<int:case_id>/act/<str:action>/", case_views.case_act, name="case-act"),
    path("cases/<int:case_id>/files/<int:attachment_id>/", case_views.case_file, name="case-file"),
    path("cases/<int:case_id>/record.pdf", case_views.case_record_pdf, name="case-record-pdf"),
]

from ipshield.workbench import cooperation_views  # noqa: E402

urlpatterns += [
    path("cooperation/", cooperation_views.inbox, name="cooperation"),
    path(
        "cooperation/requests/<int:request_id>/",
        cooperation_views.request_detail,
        name="coop-request",
    ),
    path(
        "cooperation/requests/<int:request_id>/<str:action>/",
        cooperation_views.request_act,
        name="coop-request-act",
    ),
    path(
        "cooperation/transfers/<int:transfer_id>/",
        cooperation_views.transfer_detail,
        name="coop-transfer",
    ),
    path(
        "cooperation/transfers/<int:transfer_id>/<str:action>/",
        cooperation_views.transfer_act,
        name="coop-transfer-act",
    ),
    path(
        "cooperation/operations/new/",
        cooperation_views.operation_create,
        name="coop-operation-create",
    ),
    path(
        "cooperation/operations/<int:operation_id>/",
        cooperation_views.operation_detail,
        name="coop-operation",
    ),
    path(
        "cooperation/operations/<int:operation_id>/<str:action>/",
        cooperation_views.operation_act,
        name="coop-operation-act",
    ),
    path(
        "cases/<int:case_id>/cooperation/<str:action>/",
        cooperation_views.case_cooperate,
        name="case-cooperate",
    ),
    path(
        "cases/<int:case_id>/referral-package.json",
        cooperation_views.referral_package,
        name="case-referral-package",
    ),
]
