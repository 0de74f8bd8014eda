"""Factories for entities, rights holders and IP rights."""

from __future__ import annotations

import random

import factory

from ipshield.engines import uscc
from ipshield.engines.text import normalize_name
from ipshield.registry.models import Entity, HolderKind, IPRight, RightKind, RightsHolder
from tests.accounts.factories import RegionFactory, UnitFactory

_rng = random.Random(7)


def valid_uscc(region_code: str = "140931") -> str:
    body = "91" + region_code + "".join(_rng.choice(uscc.ALPHABET) for _ in range(9))
    return body + uscc.check_digit(body)


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entity

    name = factory.Sequence(lambda n: f"保德县测试商贸有限公司{n}")
    name_normalized = factory.LazyAttribute(lambda o: normalize_name(o.name))
    uscc = factory.LazyFunction(valid_uscc)


class RightsHolderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RightsHolder

    name = factory.Sequence(lambda n: f"权利人{n}")
    kind = HolderKind.ENTERPRISE
    region = factory.SubFactory(RegionFactory)


class IPRightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IPRight

    kind = RightKind.TRADEMARK
    registration_number = factory.Sequence(lambda n: f"{30000000 + n}")
    title = factory.Sequence(lambda n: f"测试商标{n}")
    holder = factory.SubFactory(RightsHolderFactory)
    nice_classes = [29, 30]
    verifying_unit = factory.SubFactory(UnitFactory)
