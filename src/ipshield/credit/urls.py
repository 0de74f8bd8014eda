"""Included at ``credit/``: the public query and, under ``check/``, the staff check."""

from django.urls import path

from ipshield.credit import views

app_name = "credit"
urlpatterns = [
    path("", views.public_query, name="public"),
    path("check/", views.check, name="check"),
    path("repair/", views.repair_apply, name="repair"),
    path("repairs/", views.repairs, name="repairs"),
    path("repairs/<int:pk>/<str:decision>/", views.repair_decide, name="repair-decide"),
    path("matches/", views.matches, name="matches"),
    path("matches/<int:pk>/<str:decision>/", views.match_decide, name="match-decide"),
]
