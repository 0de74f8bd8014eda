from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from ipshield.config.api import api

admin.site.site_header = "知保 IPShield 后台"
admin.site.site_title = "知保 IPShield"

urlpatterns = [
    path("", include("ipshield.portal.urls")),
    path("workbench/audit/", include("ipshield.audit.urls")),
    path("workbench/", include("ipshield.workbench.urls")),
    path("notifications/", include("ipshield.accounts.urls")),
    path("publications/", include("ipshield.publication.urls")),
    path("evidence/", include("ipshield.evidence.urls")),
    path("monitoring/", include("ipshield.monitoring.urls")),
    path("credit/", include("ipshield.credit.urls")),
    path("disputes/damages/", include("ipshield.disputes.damages_urls")),
    path("disputes/", include("ipshield.disputes.urls")),
    path("verify/", include("ipshield.evidence.verify_urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Browsers and tools ask for /favicon.ico whatever the page links to.
    path("favicon.ico", RedirectView.as_view(url=static("ipshield/favicon.ico"), permanent=True)),
]

# Styled, translated error pages with a way back (Django's own are one English line).
handler403 = "ipshield.portal.views.error_403"
handler404 = "ipshield.portal.views.error_404"
handler500 = "ipshield.portal.views.error_500"
