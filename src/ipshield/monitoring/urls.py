"""Included at ``monitoring/``: staff pages, and ``mine/`` for rights holders."""

from django.urls import path

from ipshield.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.alert_queue, name="alerts"),
    path("alerts/bulk/", views.alert_bulk, name="alert-bulk"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert"),
    path("alerts/<int:pk>/<str:action>/", views.alert_act, name="alert-act"),
    path("search/", views.mark_search, name="search"),
    path("watch/", views.watch_list, name="watch"),
    path("marks/<int:pk>/stop/", views.mark_stop, name="mark-stop"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("feeds/<int:pk>/fetch/", views.feed_fetch, name="feed-fetch"),
    path("mine/", views.holder_home, name="mine"),
]
