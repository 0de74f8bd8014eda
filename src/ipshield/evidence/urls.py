from django.urls import path

from ipshield.evidence import views

app_name = "evidence"
urlpatterns = [
    path("", views.evidence_home, name="home"),
    path("<int:item_id>/", views.evidence_detail, name="detail"),
    path("<int:item_id>/receipt.json", views.receipt_json, name="receipt-json"),
    path("<int:item_id>/receipt.pdf", views.receipt_pdf_view, name="receipt-pdf"),
    path("<int:item_id>/file", views.evidence_file, name="file"),
    path("capture/", views.evidence_capture, name="capture"),
    path("cases/<int:case_id>/upload/", views.case_upload, name="case-upload"),
    path("cases/<int:case_id>/capture/", views.case_capture, name="case-capture"),
]
