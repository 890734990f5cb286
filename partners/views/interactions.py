"""Contact moments: the province's log of its contacts with partners.

Province staff only: partners hold none of these permissions (portal/roles.py), and
no page a partner can open links here.
"""

import uuid
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Model, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from django_htmx.http import trigger_client_event

from partners.forms_interactions import (
    FollowUpFormSet,
    InteractionFilter,
    InteractionForm,
    OrganisationChoiceForm,
)
from partners.history import HistoryEntry
from partners.models import Contact, FollowUp, Interaction
from partners.services.interactions import (
    complete_follow_up,
    record_interaction,
    update_interaction,
)
from portal.roles import is_province_staff

EXTRA_FOLLOW_UPS = 3


@require_GET
@login_required
@permission_required("partners.view_interaction", raise_exception=True)
@vary_on_headers("HX-Request")
def interaction_list(request: HttpRequest) -> HttpResponse:
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
def interaction_create(request: HttpRequest) -> HttpResponse:
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


def _submission_key(data: object) -> uuid.UUID:
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
def interaction_edit(request: HttpRequest, pk: int) -> HttpResponse:
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
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
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
    request: HttpRequest, data: object, interaction: Interaction
) -> FollowUpFormSet:
    # New rows suggest the person recording as owner; an untouched row stays ignored.
    owner = request.user.pk if is_province_staff(request.user) else None
    initial = [{"owner": owner}] * EXTRA_FOLLOW_UPS
    return FollowUpFormSet(
        data,
        instance=interaction,
        queryset=FollowUp.objects.order_by("due_on", "pk"),
        initial=initial,
    )


def _trail() -> list[tuple[str, str]]:
    return [(reverse("partners:interaction_list"), _("Contact moments"))]


# --- The audit trail ------------------------------------------------------------------

# The trail mixes the moment and its follow-ups, so "Changed" alone would be ambiguous.
INTERACTION_ACTIONS = {
    "+": gettext_lazy("Recorded the contact moment"),
    "~": gettext_lazy("Changed the contact moment"),
    "-": gettext_lazy("Deleted the contact moment"),
}
INTERACTION_FIELDS = ["organisation", "occurred_on", "recorded_by", "summary", "agreements"]
FOLLOW_UP_FIELDS = ["description", "owner", "due_on", "done_on"]


def audit_trail(interaction: Interaction) -> list[HistoryEntry]:
    """Who changed what and when, newest first: the moment and its follow-ups.

    Three queries whatever the length of the history (partners.history.history_entries
    lets diff_against() query the contacts of both records for every pair, which would
    grow with each edit), in the shape components/_history.html shows.
    """
    records = list(
        interaction.history.select_related("history_user", "organisation", "recorded_by").order_by(
            "history_date", "history_id"
        )
    )
    took_part = _contacts_per_record(interaction)
    entries = []
    previous = None
    for record in records:
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(
                previous, included_fields=INTERACTION_FIELDS, foreign_keys_are_objs=True
            )
            changes = [_change(Interaction, c.field, c.old, c.new) for c in delta.changes]
            before, after = took_part[previous.pk], took_part[record.pk]
            if set(before) != set(after):
                label = str(Interaction._meta.get_field("contacts").verbose_name)
                changes.append((label, _names(before), _names(after)))
        entries.append(_entry(record, str(INTERACTION_ACTIONS[record.history_type]), changes))
        previous = record
    entries += _follow_up_entries(interaction)
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def _follow_up_entries(interaction: Interaction) -> list[HistoryEntry]:
    records = (
        FollowUp.history.filter(interaction_id=interaction.pk)
        .select_related("history_user", "owner")
        .order_by("history_date", "history_id")
    )
    entries = []
    last: dict[int, Model] = {}
    for record in records:
        before = last.get(record.id)
        what = {"description": record.description}
        if record.history_type == "-":
            action, changes = _("Removed the follow-up “%(description)s”") % what, []
        elif before is None:
            action = _("Added the follow-up “%(description)s”") % what
            changes = [
                _change(FollowUp, name, None, getattr(record, name)) for name in ("owner", "due_on")
            ]
        else:
            delta = record.diff_against(
                before, included_fields=FOLLOW_UP_FIELDS, foreign_keys_are_objs=True
            )
            done = delta.changed_fields == ["done_on"] and before.done_on is None
            action = (
                _("Marked the follow-up “%(description)s” as done") % what
                if done
                else _("Changed the follow-up “%(description)s”") % what
            )
            changes = [_change(FollowUp, c.field, c.old, c.new) for c in delta.changes]
        entries.append(_entry(record, action, changes))
        last[record.id] = record
    return entries


def _contacts_per_record(interaction: Interaction) -> dict[int, dict[int, str]]:
    """Who took part according to each history record: {record: {contact: name}}."""
    through = Interaction.history.model.contacts.model
    rows = through._default_manager.filter(interaction_id=interaction.pk).select_related("contact")
    took_part: dict[int, dict[int, str]] = defaultdict(dict)
    for row in rows:
        # History keeps the id of a contact that was deleted since; the row is gone.
        name = (
            row.contact.name
            if row.contact
            else _("deleted contact %(id)s") % {"id": row.contact_id}
        )
        took_part[row.history_id][row.contact_id] = name
    return took_part


def _entry(record: Model, action: str, changes: list[tuple[str, str, str]]) -> HistoryEntry:
    user = record.history_user
    who = (user.get_full_name() or user.username) if user else str(_("System"))
    return HistoryEntry(when=record.history_date, who=who, action=action, changes=changes)


def _change(model: type[Model], name: str, old: object, new: object) -> tuple[str, str, str]:
    return (str(model._meta.get_field(name).verbose_name), _display(old), _display(new))


def _names(took_part: dict[int, str]) -> str:
    return ", ".join(sorted(took_part.values())) or "–"


def _display(value: object) -> str:
    if value in (None, ""):
        return "–"
    if isinstance(value, date):
        return formats.date_format(value, "j F Y")
    return str(value)
