"""The public verify page, mounted at /verify/ (no sign-in)."""

from django.urls import path

from ipshield.evidence import views

app_name = "verify"
urlpatterns = [
    path("", views.verify, name="page"),
    path("public-key.pem", views.public_key, name="public-key"),
]
