"""Case pages on the workbench (mounted at ``/workbench/cases/`` in the ``workbench`` namespace)."""

from django.urls import path

from ipshield.cases import views

urlpatterns = [
    path("", views.case_list, name="cases"),
    path("notify/", views.lead_notice_new, name="lead-notice-new"),
    path("<int:case_id>/", views.case_detail, name="case-detail"),
    path("<int:case_id>/act/<str:action>/", views.case_act, name="case-act"),
    path("<int:case_id>/files/<int:attachment_id>/", views.case_file, name="case-file"),
    path("<int:case_id>/record.pdf", views.case_record_pdf, name="case-record-pdf"),
]
