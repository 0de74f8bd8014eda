from django.contrib.auth import views as auth_views
from django.urls import path

from ipshield.disputes.complaint_views import portal_urlpatterns
from ipshield.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.sign_up, name="signup"),
    path("after-login/", views.after_login, name="after-login"),
    path("my/rights/", views.my_rights, name="my-rights"),
    path("complaints/new/", views.complaint_new, name="complaint-new"),
    path("reports/new/", views.report_new, name="report-new"),
    path("submitted/", views.intake_done, name="intake-done"),
    path("track/", views.track, name="track"),
    path("track/<slug:number>/", views.track_status, name="track-status"),
    path("my/complaints/", views.my_complaints, name="my-complaints"),
    *portal_urlpatterns,  # the mediation-first offer on the complaint form (disputes)
]
