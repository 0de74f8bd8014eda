"""Included at the site root under ``publications/``: public pages first, staff pages under
``staff/``."""

from django.urls import path

from ipshield.publication import views

app_name = "publication"
urlpatterns = [
    path("", views.publication_list, name="list"),
    path("<int:pk>/", views.publication_detail, name="detail"),
    path("typical-cases/", views.typical_case_list, name="typical-list"),
    path("typical-cases/<int:pk>/", views.typical_case_detail, name="typical-detail"),
    path("staff/", views.staff_publications, name="staff-publications"),
    path("staff/<int:pk>/", views.staff_publication, name="staff-publication"),
    path("staff/typical-cases/", views.staff_typical_cases, name="staff-typical-cases"),
    path("staff/typical-cases/<int:pk>/", views.staff_typical_case, name="staff-typical-case"),
    path("staff/reviews/", views.staff_reviews, name="staff-reviews"),
    path("staff/reviews/<int:pk>/", views.staff_review, name="staff-review"),
    path("staff/reviews/case/<int:case_id>/", views.staff_review_new, name="staff-review-new"),
    path("staff/rewards/", views.staff_rewards, name="staff-rewards"),
    path("staff/rewards/<int:pk>/", views.staff_reward, name="staff-reward"),
    path("staff/rewards/<int:pk>/<str:action>/", views.staff_reward_act, name="staff-reward-act"),
    path(
        "staff/rewards/case/<int:case_id>/", views.staff_reward_propose, name="staff-reward-propose"
    ),
]
