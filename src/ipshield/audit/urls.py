"""Included at ``workbench/audit/``: the audit log for auditors and administrators."""

from django.urls import path

from ipshield.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_log, name="log"),
    path("export.csv", views.audit_log_export, name="export"),
]
