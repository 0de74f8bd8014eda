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

from ipshield.workbench import case_views  # noqa: E402

urlpatterns += [
    path("cases/", case_views.case_list, name="cases"),
    path("cases/<int:case_id>/", case_views.case_detail, name="case-detail"),
    path("cases/<int:case_id>/act/<str:action>/", case_views.case_act, name="case-act"),
    path("cases/<int:case_id>/files/<int:attachment_id>/", case_views.case_file, name="case-file"),
    path("cases/<int:case_id>/record.pdf", case_views.case_record_pdf, name="case-record-pdf"),
]
