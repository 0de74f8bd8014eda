"""A URLconf for the cooperation API tests: the product's URLs plus the cooperation router on
its own API at /coop-api/, so the tests do not depend on where the router is finally mounted."""

from django.urls import path
from ninja import NinjaAPI

from ipshield.common.api import BrowserSessionAuth, TokenAuth, install_error_handlers
from ipshield.config.urls import urlpatterns as product_urlpatterns
from ipshield.cooperation.api import router

api = NinjaAPI(
    title="cooperation (tests)",
    version="test",
    auth=[TokenAuth(), BrowserSessionAuth()],
    urls_namespace="coop-test-api",
)
install_error_handlers(api)
api.add_router("/", router, tags=["cooperation"])

urlpatterns = [path("coop-api/", api.urls), *product_urlpatterns]
