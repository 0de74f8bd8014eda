"""The damages calculator on the portal, mounted at ``/disputes/damages/`` (open to everyone)."""

from django.urls import path

from ipshield.disputes import admin_views

app_name = "damages"
urlpatterns = [
    path("", admin_views.damages, name="calculator"),
]
