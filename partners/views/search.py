"""Search across the register: contacts and organisations, as you type (issue #3)."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Model, Prefetch, QuerySet, Window
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from partners.models import Contact, Organisation, Theme
from partners.services.search import normalise_query, search_contacts, search_organisations
from portal.lib.htmx import AuthenticatedRequest

# Per group; the contact list behind "show all" pages through the rest.
RESULTS_PER_GROUP = 10


@dataclass(frozen=True)
class Group:
    """The best results of one kind and how many there are in all."""

    results: list[Model]
    total: int

    @property
    def has_more(self) -> bool:
        return self.total > len(self.results)


@require_GET
@login_required
@permission_required("partners.view_contact", raise_exception=True)
@vary_on_headers("HX-Request")
def search(request: AuthenticatedRequest) -> HttpResponse:
    query = normalise_query(request.GET.get("q", ""))
    context: dict[str, object] = {"query": query}
    if query:
        # visible_to(): partners never find internal contacts, not even by name.
        contacts = (
            Contact.objects.visible_to(request.user)
            .active()
            .select_related("organisation")
            .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        )
        context["contacts"] = _best(search_contacts(contacts, query))
        if request.user.has_perm("partners.view_organisation"):
            organisations = search_organisations(Organisation.objects.all(), query)
            context["organisations"] = _best(organisations)
    template = "partners/search.html" + ("#results" if request.htmx else "")
    return render(request, template, context)


def _best(found: QuerySet) -> Group:
    # The window counts every match in the same query that fetches the first ones.
    results = list(found.annotate(search_total=Window(Count("pk")))[:RESULTS_PER_GROUP])
    return Group(results=results, total=results[0].search_total if results else 0)
