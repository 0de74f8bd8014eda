"""What every staff page needs: the staff-only guard and the page size of lists.

Each app's ``views.py`` guards its workbench pages with :func:`staff_required`.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.utils.translation import gettext as _

from ipshield.accounts.selectors import profile_of, sees_all_units

PAGE_SIZE = 25


def staff_required(view):
    """Pages for unit staff (and auditors, leading-group members, administrators)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        profile = profile_of(request.user)
        if not (sees_all_units(request.user) or (profile and profile.is_staff_member)):
            raise PermissionDenied(_("工作台仅对单位工作人员开放。"))
        return view(request, *args, **kwargs)

    return wrapper


def page_of(request, queryset, size: int = PAGE_SIZE):
    """The page of ``queryset`` the request asks for (``?page=``)."""
    return Paginator(queryset, size).get_page(request.GET.get("page"))
