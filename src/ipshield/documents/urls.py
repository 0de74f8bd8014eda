"""Document pages on the workbench (mounted at ``/workbench/`` in the ``workbench`` namespace)."""

from django.urls import path

from ipshield.documents import views

urlpatterns = [
    path("cases/<int:case_id>/file/", views.export, name="case-file-export"),
    path(
        "cases/<int:case_id>/documents/upload/",
        views.upload,
        name="case-document-upload",
    ),
    path(
        "cases/<int:case_id>/documents/<slug:kind>/generate/<slug:fmt>/",
        views.generate,
        name="case-document-generate",
    ),
    path(
        "cases/<int:case_id>/documents/<slug:kind>/v<int:version>/",
        views.download,
        name="case-document",
    ),
]
