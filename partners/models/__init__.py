"""The partner register's models, by topic."""

from partners.models.accounts import PartnerAccount
from partners.models.contacts import AccountHolder, AccountHolderQuerySet, Contact, ContactQuerySet
from partners.models.interactions import FollowUp, FollowUpQuerySet, Interaction
from partners.models.organisations import (
    Organisation,
    OrganisationKind,
    OrganisationQuerySet,
    Region,
    Theme,
    cbs_code_validator,
    oin_validator,
    tooi_validator,
)
from partners.models.personal_data import PersonalDataLog

__all__ = [
    "AccountHolder",
    "AccountHolderQuerySet",
    "Contact",
    "ContactQuerySet",
    "FollowUp",
    "FollowUpQuerySet",
    "Interaction",
    "Organisation",
    "OrganisationKind",
    "OrganisationQuerySet",
    "PartnerAccount",
    "PersonalDataLog",
    "Region",
    "Theme",
    "cbs_code_validator",
    "oin_validator",
    "tooi_validator",
]
