from django.urls import path

from ipshield.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.notifications, name="notifications"),
    path("read/", views.notifications_read, name="notifications-read"),
    path("settings/", views.notification_settings, name="notification-settings"),
]
