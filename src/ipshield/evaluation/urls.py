"""The yearly evaluation's pages, mounted at ``/workbench/`` in the ``workbench`` namespace."""

from django.urls import path

from ipshield.evaluation import views

urlpatterns = [
    path("evaluation/", views.index, name="evaluation"),
    path("evaluation/<int:sheet_id>/", views.sheet_page, name="evaluation-sheet"),
    path(
        "evaluation/<int:sheet_id>/ranking.<str:fmt>",
        views.export,
        name="evaluation-export",
    ),
    path(
        "evaluation/<int:sheet_id>/indicators/",
        views.indicators_page,
        name="evaluation-indicators",
    ),
    path("evaluation/<int:sheet_id>/finalize/", views.finalize, name="evaluation-finalize"),
    path(
        "evaluation/<int:sheet_id>/records/<str:kind>/",
        views.record_new,
        name="evaluation-record-new",
    ),
    path(
        "evaluation/<int:sheet_id>/scores/<int:indicator_id>/<int:unit_id>/",
        views.drill,
        name="evaluation-drill",
    ),
    path(
        "evaluation/indicators/<int:indicator_id>/",
        views.indicator_edit,
        name="evaluation-indicator",
    ),
    path(
        "evaluation/indicators/<int:indicator_id>/remove/",
        views.indicator_remove,
        name="evaluation-indicator-remove",
    ),
    path(
        "evaluation/indicators/<int:indicator_id>/values/",
        views.values_page,
        name="evaluation-values",
    ),
]
