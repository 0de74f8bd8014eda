"""The site's URLs plus the publication pages and API, until the site includes them itself.

Once ``ipshield.config.urls`` includes ``publications/`` and ``ipshield.config.api`` adds the
publication router, this module adds nothing and the tests run against the real wiring.
"""

from __future__ import annotations

from django.urls import include, path
from ninja import NinjaAPI

from ipshield.common.api import BrowserSessionAuth, TokenAuth, install_error_handlers
from ipshield.config.api import api as site_api
from ipshield.config.urls import urlpatterns as site_urlpatterns
from ipshield.publication.api import router

urlpatterns = list(site_urlpatterns)

if not any(getattr(p, "namespace", None) == "publication" for p in site_urlpatterns):
    urlpatterns.insert(0, path("publications/", include("ipshield.publication.urls")))

if not any(attached is router for _prefix, attached in site_api._routers):
    api = NinjaAPI(auth=[TokenAuth(), BrowserSessionAuth()], urls_namespace="publication-api")
    install_error_handlers(api)
    api.add_router("/", router)
    urlpatterns.insert(0, path("api/v1/", api.urls))
