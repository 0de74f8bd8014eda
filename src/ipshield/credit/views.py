"""Pages: the public credit query and the staff joint-punishment check."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from ipshield.common.errors import DomainError
from ipshield.common.forms import add_domain_error
from ipshield.credit import selectors, services
from ipshield.credit.forms import CheckForm
from ipshield.workbench.views import staff_required


def public_query(request):
    q = request.GET.get("q", "").strip()[:200]
    records = selectors.public_search(q=q) if len(q) >= 2 else None
    page = Paginator(records, 20).get_page(request.GET.get("page")) if records is not None else None
    listed = list(selectors.public_list(q=q)[:20]) if len(q) >= 2 else []
    return render(request, "credit/public.html", {"q": q, "page": page, "listed": listed})


@staff_required
def check(request):
    form = CheckForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.credit_check(actor=request.user, channel="web", **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
    return render(request, "credit/check.html", {"form": form, "result": result})
