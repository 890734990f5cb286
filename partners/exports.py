"""The register's datasets for the kernel's exports (portal/lib/exports/).

Organisations and contacts are exported with the filters and order of their list
pages. A contacts export holds personal data: it is logged once, when its file is
ready, and erasing a contact deletes every contacts export made before.
"""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.forms.filters import ContactFilter, OrganisationFilter
from partners.models import Contact, Organisation, PersonalDataLog, Theme
from partners.services.contact_import import CONTACT_COLUMNS
from partners.services.personal_data import log_personal_data
from portal.lib.exports import datasets
from portal.lib.models import ExportJob
from portal.lib.tabular.writing import Column

PERMISSION = "partners.export_contacts"


class OrganisationsDataset(datasets.FilteredDataset):
    key = "organisations"
    label = gettext_lazy("Organisations")
    permission = PERMISSION
    choosable = True
    filterset = OrganisationFilter
    columns = (
        Column(gettext_lazy("Name"), lambda o: o.name),
        Column(gettext_lazy("Kind"), lambda o: o.get_kind_display()),
        Column(gettext_lazy("CBS code"), lambda o: o.cbs_code),
        Column(gettext_lazy("OIN"), lambda o: o.oin),
        Column(gettext_lazy("TOOI URI"), lambda o: o.tooi_uri),
        Column(gettext_lazy("Website"), lambda o: o.website),
        Column(gettext_lazy("Region"), lambda o: o.region.name if o.region else ""),
        Column(gettext_lazy("Ended on"), lambda o: o.ended_on.isoformat() if o.ended_on else ""),
    )

    def queryset(self, job: ExportJob) -> QuerySet[Organisation]:
        return Organisation.objects.all()

    def fetch(self) -> QuerySet[Organisation]:
        return Organisation.objects.select_related("region")


class ContactsDataset(datasets.FilteredDataset):
    key = "contacts"
    label = gettext_lazy("Contacts")
    permission = PERMISSION
    choosable = True
    filterset = ContactFilter
    notice = gettext_lazy(
        "Exports of contacts are recorded in the personal data log; anonymised contacts "
        "are never exported."
    )
    # Same columns, in the same order, as the import reads: an export can be re-imported.
    columns = tuple(CONTACT_COLUMNS.values())

    def queryset(self, job: ExportJob) -> QuerySet[Contact]:
        # As the contact list: never an anonymised contact, never more than the
        # requester may see (exports are staff-only today; this keeps it so).
        return Contact.objects.visible_to(job.requested_by).active()

    def fetch(self) -> QuerySet[Contact]:
        return Contact.objects.select_related("organisation").prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("name"))
        )

    def finished(self, job: ExportJob, *, rows: int) -> None:
        description = _("%(dataset)s export #%(number)s (%(format)s)") % {
            "dataset": self.label,
            "number": job.pk,
            "format": job.get_format_display(),
        }
        # A search term may be a person's name: the log, kept for accountability
        # after an erasure too, records only that a search was used.
        named = {key: value for key, value in job.filters.items() if key != "q"}
        filters = self.describe(named)
        if job.filters.get("q"):
            filters.append((str(_("Search")), str(_("(search term not logged)"))))
        if filters:
            description += "; " + ", ".join(f"{label}: {value}" for label, value in filters)
        log_personal_data(
            job.requested_by, PersonalDataLog.Action.EXPORT, description, row_count=rows
        )


def register() -> None:
    """Make the register's datasets exportable; called from PartnersConfig.ready()."""
    datasets.register(OrganisationsDataset())
    datasets.register(ContactsDataset())
