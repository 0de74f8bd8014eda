"""Factories for regions, units and people (with roles)."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from ipshield.accounts.models import Profile, Region, RegionLevel, Unit, UnitKind

PASSWORD = "Test-passw0rd-2026"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{140931 + n:06d}")
    name = factory.Sequence(lambda n: f"测试县{n}")
    level = RegionLevel.COUNTY


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试县市场监督管理局{n}")
    short_name = factory.Sequence(lambda n: f"市场局{n}")
    kind = UnitKind.MARKET_SUPERVISION
    region = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def finish(self, create, extracted, **kwargs):
        if create:
            self.save()


def make_person(*roles: str, unit: Unit | None = None, username: str | None = None, **extra):
    """A user with a profile, the given roles and (for staff) a unit."""
    user = UserFactory(**({"username": username} if username else {}))
    Profile.objects.create(
        user=user, display_name=extra.pop("display_name", f"测试{user.username}"), unit=unit
    )
    user.groups.set(Group.objects.filter(name__in=roles))
    if "sysadmin" in roles:
        user.is_staff = user.is_superuser = True
        user.save()
    return user
