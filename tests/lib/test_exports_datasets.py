"""portal/lib/exports/: a dataset is one small class in the app that owns the data, with
its own permission and no migration; the pages offer only what the user may export."""

import csv
import io

from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext_lazy

import pytest

from partners.models import Region
from portal.lib.exports import datasets, services
from portal.lib.models import ExportJob, User
from portal.lib.tabular.writing import Column
from tests.factories import RegionFactory, UserFactory


class RegionsDataset(datasets.Dataset):
    """What a new app writes to export its data: nothing more."""

    key = "test_regions"
    label = gettext_lazy("Regions")
    permission = "partners.view_organisation"

    def rows(self, job: ExportJob) -> datasets.ExportRows:
        return datasets.ExportRows(
            pks=list(Region.objects.order_by("name").values_list("pk", flat=True)),
            fetch=Region.objects.all(),
            columns=(Column("Naam", lambda region: region.name),),
        )


@pytest.fixture
def regions_dataset():
    datasets.register(RegionsDataset())
    yield
    datasets._REGISTRY.pop(RegionsDataset.key)


def test_a_registered_dataset_is_exported_without_a_migration(
    regions_dataset: None, staff_user: User
) -> None:
    RegionFactory(name="U16")
    RegionFactory(name="Regio Amersfoort")
    job = ExportJob.objects.create(requested_by=staff_user, dataset="test_regions", format="csv")
    services.run_export(job)
    job.refresh_from_db()
    assert (job.status, job.total, job.filename[:7]) == ("done", 2, "regions")
    rows = list(csv.reader(io.StringIO(bytes(job.content).decode("utf-8-sig"))))
    assert rows == [["Naam"], ["Regio Amersfoort"], ["U16"]]


def test_each_dataset_asks_its_own_permission(regions_dataset: None, db: None) -> None:
    viewer = UserFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="view_organisation"))
    viewer = User.objects.get(pk=viewer.pk)
    assert [d.key for d in datasets.exportable_by(viewer)] == ["test_regions"]
    assert datasets.exportable_by(UserFactory()) == []


def test_an_unknown_dataset_fails_its_job(staff_user: User) -> None:
    job = ExportJob.objects.create(requested_by=staff_user, dataset="gone", format="csv")
    services.run_export(job)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and job.content is None


def test_the_form_offers_only_choosable_datasets_and_a_page_of_its_own_is_not_one(
    regions_dataset: None, staff_client: Client
) -> None:
    response = staff_client.get(reverse("exports:create"), headers={"Accept-Language": "en"})
    offered = [key for key, _label in response.context["form"].fields["dataset"].choices]
    assert offered == ["organisations", "contacts"]
    # Each dataset says what is special about its files.
    assert "Exports of contacts are recorded in the personal data log" in response.content.decode()


def test_someone_who_may_export_nothing_is_forbidden_and_an_unknown_job_is_not_found(
    staff_client: Client, partner_client: Client
) -> None:
    assert partner_client.get(reverse("exports:create")).status_code == 403
    assert partner_client.get(reverse("exports:status", args=[1])).status_code == 403
    assert staff_client.get(reverse("exports:status", args=[999])).status_code == 404


def test_a_job_of_a_dataset_that_is_gone_is_not_found(
    staff_user: User, staff_client: Client
) -> None:
    job = ExportJob.objects.create(requested_by=staff_user, dataset="gone", format="csv")
    assert staff_client.get(reverse("exports:status", args=[job.pk])).status_code == 404
    assert staff_client.get(reverse("exports:download", args=[job.pk])).status_code == 404


def test_an_export_whose_filter_no_longer_holds_exports_nothing(staff_user: User) -> None:
    """django-filter drops an invalid filter; the export would then hold every contact."""
    from tests.factories import ContactFactory, ThemeFactory

    theme = ThemeFactory(name="Verdwenen thema")
    ContactFactory(themes=[theme])
    ContactFactory()
    job = ExportJob.objects.create(
        requested_by=staff_user, dataset="contacts", format="csv", filters={"themes": theme.pk}
    )
    theme.delete()
    services.run_export(job)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and job.content is None
    assert str(theme.name) not in job.error
