"""The directory and statistics pages of dispute resolution, mounted at ``/workbench/`` in the
``workbench`` namespace (next to the dispute pages of ``disputes.urls``)."""

from django.urls import path

from ipshield.disputes import admin_views as views

urlpatterns = [
    path("disputes/organisations/", views.organisations, name="disputes-organisations"),
    path(
        "disputes/organisations/new/",
        views.organisation_edit,
        name="disputes-organisation-new",
    ),
    path(
        "disputes/organisations/<int:pk>/",
        views.organisation_edit,
        name="disputes-organisation",
    ),
    path(
        "disputes/organisations/<int:organisation_id>/mediators/new/",
        views.mediator_edit,
        name="disputes-mediator-new",
    ),
    path("disputes/mediators/", views.mediators, name="disputes-mediators"),
    path("disputes/mediators/<int:pk>/", views.mediator_edit, name="disputes-mediator"),
    path("disputes/me/", views.my_profile, name="disputes-me"),
    path("disputes/me/availability/", views.my_availability, name="disputes-me-availability"),
    path(
        "disputes/me/conflicts/<int:pk>/remove/",
        views.my_conflict_remove,
        name="disputes-me-conflict-remove",
    ),
    path("disputes/statistics/", views.statistics, name="disputes-statistics"),
    path(
        "disputes/statistics.<str:fmt>",
        views.statistics_export,
        name="disputes-statistics-export",
    ),
]
