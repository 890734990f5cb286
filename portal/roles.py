"""Who may see and do what: the one place that says it.

Roles are Django groups, created by migration portal/0002 with the permissions
below. Views check permissions (`@permission_required`); checks that depend on a
row (e.g. a contact's visibility) are added here as small functions next to the
role helpers. tests/portal/test_permission_matrix.py pins the result for every URL
and role. The organisation register is public government information: every role
may read every organisation.
"""

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from portal.models import User


class Role(StrEnum):
    PARTNER = "partner"
    STAFF = "staff"
    ACCOUNT_HOLDER = "account-holder"
    BEHEERDER = "beheerder"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.PARTNER: _("Partner"),
    Role.STAFF: _("Province staff"),
    Role.ACCOUNT_HOLDER: _("Account-holder"),
    Role.BEHEERDER: _("Administrator"),
}

# Permission codenames ("app_label.codename") per role. Changing this mapping needs a
# data migration too: tests/portal/test_roles.py compares it with the database.
_READ_REGISTER = {"partners.view_organisation", "partners.view_contact"}
# Published thermometer results and what the province does with them ("you said, we
# did") are for partners too; services/reports.py hides groups below the threshold.
_PUBLISHED_RESULTS = {"thermometer.view_result", "thermometer.view_improvementaction"}
_STAFF = (
    _READ_REGISTER
    | _PUBLISHED_RESULTS
    | {
        "partners.view_accountholder",
        "partners.view_interaction",
        "partners.export_contacts",
        "thermometer.view_unpublished_result",
        "thermometer.view_answer",
    }
)
_ACCOUNT_HOLDER = _STAFF | {
    "partners.add_contact",
    "partners.change_contact",
    "partners.add_interaction",
    "partners.change_interaction",
    "partners.add_followup",
    "partners.change_followup",
}
ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    # Partners read the register; Contact.objects.visible_to() hides internal contacts.
    Role.PARTNER: frozenset(_READ_REGISTER | _PUBLISHED_RESULTS),
    Role.STAFF: frozenset(_STAFF),
    Role.ACCOUNT_HOLDER: frozenset(_ACCOUNT_HOLDER),
    Role.BEHEERDER: frozenset(
        _ACCOUNT_HOLDER
        | {
            "partners.add_organisation",
            "partners.change_organisation",
            "partners.add_accountholder",
            "partners.change_accountholder",
            "partners.import_contacts",
            "partners.erase_contact",
            "thermometer.view_round",
            "thermometer.add_round",
            "thermometer.change_round",
            "thermometer.view_invitation",
            "thermometer.add_invitation",
            "thermometer.change_invitation",
            "thermometer.run_aggregation",
            "thermometer.add_result",
            "thermometer.hide_answer",
            "thermometer.add_improvementaction",
            "thermometer.change_improvementaction",
        }
    ),
}

# When a user holds several roles, the home page follows the most capable one.
ROLE_PRECEDENCE = (Role.BEHEERDER, Role.ACCOUNT_HOLDER, Role.STAFF, Role.PARTNER)


def roles_of(user: User | AnonymousUser) -> set[Role]:
    """The roles of a user, read once per request from the prefetched groups."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        names = {group.name for group in user.groups.all()}
        cached = {role for role in Role if role.value in names}
        user._portal_roles = cached  # type: ignore[union-attr]
    return cached


def primary_role(user: User | AnonymousUser) -> Role | None:
    held = roles_of(user)
    return next((role for role in ROLE_PRECEDENCE if role in held), None)


def is_province_staff(user: User | AnonymousUser) -> bool:
    """Staff, account-holders and administrators work at the province."""
    return bool(roles_of(user) & {Role.STAFF, Role.ACCOUNT_HOLDER, Role.BEHEERDER})
