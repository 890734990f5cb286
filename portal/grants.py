"""Which permissions each role holds: the composition root's grant of the apps' permissions.

Permission codenames ("app_label.codename") per role. Changing this mapping needs a
data migration of `portal` too: tests/portal/test_roles.py compares it with the
database. The organisation register is public government information: every role may
read every organisation.
"""

from portal.lib.roles import Role

_READ_REGISTER = {"partners.view_organisation", "partners.view_contact"}
# Published thermometer results and what the province does with them ("you said, we
# did") are for partners too; thermometer's reports hide groups below the threshold.
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
