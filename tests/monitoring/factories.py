"""Factories for protected marks, imports, listings and alerts."""

from __future__ import annotations

import hashlib

import factory
from django.utils import timezone

from ipshield.engines.marks import normalize_mark
from ipshield.monitoring.models import (
    Alert,
    ImportFormat,
    ImportStatus,
    Listing,
    ListingImport,
    MarkKind,
    ProtectedMark,
)


class WatchMarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProtectedMark

    kind = MarkKind.WATCH
    name = factory.Sequence(lambda n: f"测试商标{n}")
    name_normalized = factory.LazyAttribute(lambda o: normalize_mark(o.name))
    nice_classes = factory.LazyFunction(list)


class ListingImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ListingImport

    format = ImportFormat.JSONL
    status = ImportStatus.DONE
    file_name = "listings.jsonl"


class ListingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Listing

    unit = factory.LazyAttribute(lambda o: o.source.unit)
    platform = "某电商平台"
    shop = factory.Sequence(lambda n: f"测试店铺{n}")
    title = factory.Sequence(lambda n: f"测试商品{n}")
    url = factory.Sequence(lambda n: f"https://shop.example.com/item/{n}")
    listed_at = factory.LazyFunction(timezone.now)
    fingerprint = factory.LazyAttribute(
        lambda o: hashlib.sha256(f"{o.platform}|{o.url}".encode()).hexdigest()
    )


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    unit = factory.LazyAttribute(lambda o: o.listing.unit)
    matched = "康帅傅"
    similarity = 0.93
    risk = 75
    reasons = factory.LazyFunction(lambda: ["“康帅傅”与受保护商标“康师傅”近似（0.93）"])
