"""Dispute pages. ``urlpatterns`` are the parties' (mounted at ``/disputes/``, namespace
``disputes``; ``services.link`` points here, and every reader of a dispute lands on its page);
``workbench_urlpatterns`` are mounted by ``workbench/urls.py`` at ``/workbench/`` and keep the
``workbench:`` names."""

from django.urls import path

from ipshield.disputes import admin_urls, views
from ipshield.disputes.complaint_views import complaint_urlpatterns

app_name = "disputes"
urlpatterns = [
    path("", views.my_disputes, name="mine"),
    path("apply/", views.apply, name="apply"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("<int:pk>/agreement.pdf", views.agreement_pdf, name="agreement-pdf"),
    path("<int:pk>/confirmation.pdf", views.confirmation_pdf, name="confirmation-pdf"),
    path("<int:pk>/sessions/<int:sid>/invite.ics", views.session_ics, name="session-ics"),
]

# The staff pages, mounted once at ``/workbench/`` (names in the ``workbench`` namespace): the
# list, the directory and statistics (``admin_urls``), a complaint's turn to mediation.
workbench_urlpatterns = [
    path("disputes/", views.workbench_list, name="disputes"),
    *admin_urls.urlpatterns,
    *complaint_urlpatterns,
]
