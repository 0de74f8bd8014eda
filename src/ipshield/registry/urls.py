"""Registry pages on the workbench (mounted at ``/workbench/`` in the ``workbench`` namespace)."""

from django.urls import path

from ipshield.registry import views

urlpatterns = [
    path("entities/", views.entities, name="entities"),
    path("rights/", views.rights, name="rights"),
    path("rights/<int:right_id>/<str:decision>/", views.right_decide, name="right-decide"),
]
