"""Cooperation pages on the workbench (mounted at ``/workbench/`` in the ``workbench``
namespace): the cooperation inbox, requests, transfers, joint operations, and the cooperation
actions and referral package of a case."""

from django.urls import path

from ipshield.cooperation import views

urlpatterns = [
    path("cooperation/", views.inbox, name="cooperation"),
    path("cooperation/requests/<int:request_id>/", views.request_detail, name="coop-request"),
    path(
        "cooperation/requests/<int:request_id>/<str:action>/",
        views.request_act,
        name="coop-request-act",
    ),
    path("cooperation/transfers/<int:transfer_id>/", views.transfer_detail, name="coop-transfer"),
    path(
        "cooperation/transfers/<int:transfer_id>/<str:action>/",
        views.transfer_act,
        name="coop-transfer-act",
    ),
    path("cooperation/operations/new/", views.operation_create, name="coop-operation-create"),
    path(
        "cooperation/operations/<int:operation_id>/",
        views.operation_detail,
        name="coop-operation",
    ),
    path(
        "cooperation/operations/<int:operation_id>/<str:action>/",
        views.operation_act,
        name="coop-operation-act",
    ),
    path(
        "cases/<int:case_id>/cooperation/<str:action>/",
        views.case_cooperate,
        name="case-cooperate",
    ),
    path(
        "cases/<int:case_id>/referral-package.json",
        views.referral_package,
        name="case-referral-package",
    ),
]
