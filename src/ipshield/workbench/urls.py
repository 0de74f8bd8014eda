from django.urls import path

from ipshield.workbench import views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("units/", views.units, name="units"),
    path("people/", views.people, name="people"),
    path("leading-group/", views.leading_group, name="leading-group"),
    path("entities/", views.entities, name="entities"),
    path("rights/", views.rights, name="rights"),
    path("rights/<int:right_id>/<str:decision>/", views.right_decide, name="right-decide"),
]
