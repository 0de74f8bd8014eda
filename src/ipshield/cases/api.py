"""API routes for complaints, reports, tracking and cases."""

from __future__ import annotations

from ninja import Router

router = Router()
