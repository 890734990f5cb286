import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

import pytest

from partners.models import Organisation
from tests.factories import OrganisationFactory


def test_active_and_ended_follow_the_end_date(db: None) -> None:
    today = timezone.localdate()
    current = OrganisationFactory(name="Zeist")
    merged = OrganisationFactory(name="Vianen", ended_on=datetime.date(2019, 1, 1))
    ending = OrganisationFactory(name="Later", ended_on=today + datetime.timedelta(days=30))
    assert set(Organisation.objects.active()) == {current, ending}
    assert set(Organisation.objects.ended()) == {merged}
    assert current.is_active and ending.is_active and not merged.is_active


def test_names_are_unique_regardless_of_case_in_the_database(db: None) -> None:
    OrganisationFactory(name="Utrecht", cbs_code="GM0344")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="UTRECHT", kind="gemeente")


def test_cbs_codes_are_unique_but_may_be_empty_many_times(db: None) -> None:
    Organisation.objects.create(name="Waterschap A", kind="waterschap", cbs_code="")
    Organisation.objects.create(name="Waterschap B", kind="waterschap", cbs_code="")
    OrganisationFactory(name="Utrecht", cbs_code="GM0344")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="Andere", kind="gemeente", cbs_code="GM0344")


def test_the_database_rejects_an_unknown_kind(db: None) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="Kasteel", kind="kasteel")


@pytest.mark.parametrize(
    ("field", "value"),
    [("cbs_code", "GM344"), ("oin", "12345"), ("tooi_uri", "https://example.org/gm0344")],
)
def test_identifiers_are_validated(db: None, field: str, value: str) -> None:
    organisation = Organisation(name="X", kind="gemeente", **{field: value})
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert field in error.value.message_dict


def test_str_and_url(db: None) -> None:
    organisation = OrganisationFactory(name="Houten")
    assert str(organisation) == "Houten"
    assert organisation.get_absolute_url() == f"/organisaties/{organisation.pk}/"
