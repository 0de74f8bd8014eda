"""Dispute pages. ``urlpatterns`` are the parties' (mounted at ``/disputes/``, namespace
``disputes``; ``services.link`` points here, and every reader of a dispute lands on its page);
``workbench_urlpatterns`` are mounted by ``workbench/urls.py`` at ``/workbench/disputes/`` and
keep the ``workbench:`` names."""

from django.urls import path

from ipshield.disputes import views

app_name = "disputes"
urlpatterns = [
    path("", views.my_disputes, name="mine"),
    path("apply/", views.apply, name="apply"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
]

workbench_urlpatterns = [
    path("", views.workbench_list, name="disputes"),
]
