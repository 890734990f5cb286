"""Contact moments: the province's log of its contacts with partners.

Province staff only: partners hold none of these permissions (portal/grants.py), and
no page a partner can open links here.
"""

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from django_htmx.http import trigger_client_event

from partners.forms.filters import InteractionFilter
from partners.forms.interactions import (
    BaseFollowUpFormSet,
    FollowUpFormSet,
    InteractionForm,
    OrganisationChoiceForm,
)
from partners.models import Contact, FollowUp, Interaction
from partners.services.interactions import (
    complete_follow_up,
    record_interaction,
    update_interaction,
)
from portal.lib.audit import HistoryEntry, Trail, history_entries
from portal.lib.htmx import AuthenticatedRequest
from portal.lib.roles import is_province_staff

EXTRA_FOLLOW_UPS = 3


@require_GET
@login_required
@permission_required("partners.view_interaction", raise_exception=True)
@vary_on_headers("HX-Request")
def interaction_list(request: AuthenticatedRequest) -> HttpResponse:
    interactions = (
        Interaction.objects.select_related("organisation", "recorded_by")
        .prefetch_related(Prefetch("contacts", queryset=Contact.objects.order_by("name", "pk")))
        .annotate(open_follow_ups=Count("follow_ups", filter=Q(follow_ups__done_on__isnull=True)))
        # Meta.ordering does not apply to a query with an aggregate: say it again.
        .order_by("-occurred_on", "-pk")
    )
    found = InteractionFilter(request.GET, queryset=interactions, request=request)
    page = Paginator(found.qs, per_page=settings.PAGE_SIZE).get_page(request.GET.get("page"))
    template = "partners/interaction_list.html" + ("#results" if request.htmx else "")
    # A tampered filter value (?organisation=abc) is bad input, as on the organisation list.
    status = 200 if found.is_valid() else 400
    return render(request, template, {"filter": found, "page": page}, status=status)


@require_GET
@login_required
@permission_required("partners.view_interaction", raise_exception=True)
def interaction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    interaction = get_object_or_404(
        Interaction.objects.select_related("organisation", "recorded_by").prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.order_by("name", "pk")),
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner")),
        ),
        pk=pk,
    )
    return render(
        request,
        "partners/interaction_detail.html",
        {
            "interaction": interaction,
            "history": audit_trail(interaction),
            "breadcrumb_trail": _trail(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
@permission_required(["partners.add_interaction", "partners.add_followup"], raise_exception=True)
def interaction_create(request: AuthenticatedRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    # Step one chooses the organisation (?organisation=<pk>): it decides who can take part.
    # A POST carries it too, so a POST without one gets step one back with the error.
    if data is None and "organisation" not in request.GET:
        chooser = OrganisationChoiceForm()
    else:
        chooser = OrganisationChoiceForm(data if data is not None else request.GET)
    initial = {"organisation": chooser.cleaned_data["organisation"]} if chooser.is_valid() else {}
    form = InteractionForm(data, initial=initial)
    follow_ups = _follow_up_formset(request, data, Interaction())
    submission_key = _submission_key(data)
    if data is not None and form.is_valid() and follow_ups.is_valid():
        interaction = record_interaction(
            submission_key=submission_key,
            organisation=form.cleaned_data["organisation"],
            recorded_by=request.user,
            occurred_on=form.cleaned_data["occurred_on"],
            contacts=form.cleaned_data["contacts"],
            summary=form.cleaned_data["summary"],
            agreements=form.cleaned_data["agreements"],
            follow_ups=follow_ups.inputs(),
        )
        messages.success(request, _("The contact moment has been recorded."))
        return redirect(interaction)
    context = {
        "form": form,
        "follow_ups": follow_ups,
        "chooser": chooser,
        "submission_key": submission_key,
        "breadcrumb_trail": _trail(),
    }
    return render(request, "partners/interaction_form.html", context)


def _submission_key(data: QueryDict | None) -> uuid.UUID:
    """The form's key: the posted one, or a new one for a form about to be shown."""
    try:
        return uuid.UUID(str(data.get("submission_key", ""))) if data is not None else uuid.uuid4()
    except ValueError:
        return uuid.uuid4()


@require_http_methods(["GET", "POST"])
@login_required
@permission_required(
    ["partners.change_interaction", "partners.add_followup", "partners.change_followup"],
    raise_exception=True,
)
def interaction_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    interaction = get_object_or_404(Interaction.objects.select_related("organisation"), pk=pk)
    data = request.POST if request.method == "POST" else None
    form = InteractionForm(data, instance=interaction)
    follow_ups = _follow_up_formset(request, data, interaction)
    if data is not None and form.is_valid() and follow_ups.is_valid():
        update_interaction(
            interaction,
            by=request.user,
            occurred_on=form.cleaned_data["occurred_on"],
            contacts=form.cleaned_data["contacts"],
            summary=form.cleaned_data["summary"],
            agreements=form.cleaned_data["agreements"],
            follow_ups=follow_ups.inputs(),
        )
        messages.success(request, _("The changes to the contact moment have been saved."))
        return redirect(interaction)
    trail = [*_trail(), (interaction.get_absolute_url(), str(interaction))]
    context = {"form": form, "follow_ups": follow_ups, "interaction": interaction}
    return render(request, "partners/interaction_form.html", {**context, "breadcrumb_trail": trail})


@require_POST
@login_required
@permission_required("partners.change_followup", raise_exception=True)
@vary_on_headers("HX-Request")
def follow_up_done(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(
        FollowUp.objects.select_related("interaction__organisation", "owner"), pk=pk
    )
    complete_follow_up(follow_up, by=request.user, on=timezone.localdate())
    if request.htmx:
        response = render(
            request, "partners/_open_follow_ups.html#follow-up", {"follow_up": follow_up}
        )
        return trigger_client_event(response, "followUpDone", {"id": follow_up.pk})
    messages.success(
        request, _("“%(description)s” is done.") % {"description": follow_up.description}
    )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect(follow_up.interaction)


def _follow_up_formset(
    request: HttpRequest, data: QueryDict | None, interaction: Interaction
) -> BaseFollowUpFormSet:
    # New rows suggest the person recording as owner; an untouched row stays ignored.
    owner = request.user.pk if is_province_staff(request.user) else None
    initial = [{"owner": owner}] * EXTRA_FOLLOW_UPS
    formset = FollowUpFormSet(
        data,
        instance=interaction,
        queryset=FollowUp.objects.order_by("due_on", "pk"),
        initial=initial,
    )
    assert isinstance(formset, BaseFollowUpFormSet)  # the factory's formset=
    return formset


def _trail() -> list[tuple[str, str]]:
    return [(reverse("partners:interaction_list"), _("Contact moments"))]


# --- The audit trail ------------------------------------------------------------------

# The trail mixes the moment and its follow-ups, so "Changed" alone would be ambiguous.
INTERACTION_ACTIONS = {
    "+": gettext_lazy("Recorded the contact moment"),
    "~": gettext_lazy("Changed the contact moment"),
    "-": gettext_lazy("Deleted the contact moment"),
}
FOLLOW_UP_ACTIONS = {
    "+": gettext_lazy("Added the follow-up “%(name)s”"),
    "~": gettext_lazy("Changed the follow-up “%(name)s”"),
    "-": gettext_lazy("Removed the follow-up “%(name)s”"),
}
INTERACTION_FIELDS = (
    "organisation",
    "occurred_on",
    "recorded_by",
    "contacts",
    "summary",
    "agreements",
)
FOLLOW_UP_FIELDS = ("description", "owner", "due_on", "done_on")


def audit_trail(interaction: Interaction) -> list[HistoryEntry]:
    """Who changed what and when, newest first: the moment and its follow-ups."""
    return history_entries(
        Trail(interaction.history.all(), fields=INTERACTION_FIELDS, actions=INTERACTION_ACTIONS),
        Trail(
            FollowUp.history.filter(interaction_id=interaction.pk),
            fields=FOLLOW_UP_FIELDS,
            actions=FOLLOW_UP_ACTIONS,
            name=lambda record: record.description,
            created_fields=("owner", "due_on"),
            describe=_marked_done,
        ),
    )


def _marked_done(record: Any, previous: Any, changed: list[str]) -> str | None:
    # Historical records: simple_history generates their classes.
    if previous is not None and changed == ["done_on"] and previous.done_on is None:
        return _("Marked the follow-up “%(name)s” as done") % {"name": record.description}
    return None
