"""Units, people and the leading group on the workbench (mounted at ``/workbench/`` in the
``workbench`` namespace; the notifications are in ``urls.py``)."""

from django.urls import path

from ipshield.accounts import views

urlpatterns = [
    path("units/", views.units, name="units"),
    path("people/", views.people, name="people"),
    path("leading-group/", views.leading_group, name="leading-group"),
]
