"""The workbench: its shell (home) here, every app's staff pages from that app's ``urls.py``.

The included files name no namespace, so their pages keep the ``workbench:`` names.
"""

from django.urls import include, path

from ipshield.disputes.urls import workbench_urlpatterns as dispute_urls
from ipshield.workbench import views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("inbox/", views.work_inbox, name="inbox"),
    path("", include("ipshield.accounts.staff_urls")),
    path("", include("ipshield.registry.urls")),
    path("cases/", include("ipshield.cases.urls")),
    path("", include("ipshield.cooperation.urls")),
    path("", include("ipshield.supervision.urls")),
    path("", include("ipshield.evaluation.urls")),
    path("", include("ipshield.documents.urls")),
    path("", include(dispute_urls)),
]
