"""The HTTP API, mounted at /api/v1/ with OpenAPI docs at /api/v1/docs."""

from __future__ import annotations

from ipshield import __version__
from ipshield.accounts.api import router as accounts_router
from ipshield.cases.api import router as cases_router
from ipshield.common.api import (
    BrowserSessionAuth,
    CleanParser,
    IPShieldAPI,
    TokenAuth,
    install_error_handlers,
)
from ipshield.cooperation.api import router as cooperation_router
from ipshield.credit.api import router as credit_router
from ipshield.documents.api import router as documents_router
from ipshield.evidence.api import router as evidence_router
from ipshield.monitoring.api import router as monitoring_router
from ipshield.publication.api import router as publication_router
from ipshield.registry.api import router as registry_router

api = IPShieldAPI(
    title="IPShield API",
    version=__version__,
    description=(
        "知保 — 知识产权保护平台接口。浏览器使用登录会话；其他部门的系统使用签发给单位的令牌："
        "`Authorization: Bearer ips_…`。所有错误返回 `{code, message, field}`，`code` 稳定不变。"
    ),
    auth=[TokenAuth(), BrowserSessionAuth()],
    urls_namespace="api",
    # One reader of bodies and query strings: JSON objects only, text cleaned (common/api.py).
    parser=CleanParser(),
)
install_error_handlers(api)
api.add_router("/", accounts_router, tags=["accounts"])
api.add_router("/", registry_router, tags=["registry"])
api.add_router("/", cases_router, tags=["cases"])
api.add_router("/", cooperation_router, tags=["cooperation"])
api.add_router("/", documents_router, tags=["documents"])
api.add_router("/", publication_router, tags=["publication"])
api.add_router("/", evidence_router, tags=["evidence"])
api.add_router("/", monitoring_router, tags=["monitoring"])
api.add_router("/", credit_router, tags=["credit"])
api.add_router("/", "ipshield.audit.api.router", tags=["audit"])
api.add_router("/", "ipshield.supervision.api.router", tags=["supervision"])
api.add_router("/", "ipshield.evaluation.api.router", tags=["evaluation"])
api.add_router("/", "ipshield.disputes.admin_api.router", tags=["disputes"])
api.add_router("/", "ipshield.disputes.api.router", tags=["disputes"])
