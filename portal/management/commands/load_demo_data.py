"""Demo data: the real partner organisations plus one fictional user per role."""

import secrets

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from partners.models import Organisation, PartnerAccount
from partners.services import demo, reference
from portal.lib.models import User
from portal.lib.roles import Role
from thermometer.services import demo as thermometer_demo

# People in demo data are visibly fictional (DESIGN.md).
DEMO_USERS = [
    ("beheerder", "Bea", "Beheer (fictief)", Role.BEHEERDER, None),
    ("medewerker", "Sam", "Staf (fictief)", Role.STAFF, None),
    ("accounthouder", "Anna", "Account (fictief)", Role.ACCOUNT_HOLDER, None),
    ("partner-woerden", "Piet", "Partner (fictief)", Role.PARTNER, "GM0632"),
]
# Colleagues the register assigns as account-holders; they cannot log in.
DEMO_ACCOUNT_HOLDERS = [
    ("ah-daan", "Daan", "Dijkstra (fictief)", "Accounthouder"),
    ("ah-fatima", "Fatima", "El Amrani (fictief)", "Accounthouder"),
    ("ah-sanne", "Sanne", "de Wit (fictief)", "Accounthouder"),
    ("ah-koen", "Koen", "Jansen (fictief)", "Accounthouder"),
    ("ah-lotte", "Lotte", "Visser (fictief)", "Accounthouder"),
]


class Command(BaseCommand):
    help = "Load demo data and (re)set the demo users' passwords, printing the logins."

    def handle(self, *args: object, **options: object) -> None:
        report = reference.load_reference_organisations()
        self.stdout.write(
            f"Organisations: {len(report.created)} created, {len(report.updated)} updated."
        )
        for line in report.unmatched:
            self.stderr.write(f"Not matched: {line}")

        logins = []
        with transaction.atomic():
            for username, first, last, role, org_code in DEMO_USERS:
                user, _ = User.objects.get_or_create(username=username)
                user.first_name, user.last_name = first, last
                user.email = f"{username}@example.invalid"
                # A fresh random password on every run: the demo has no shared secret.
                password = secrets.token_urlsafe(9)
                user.set_password(password)
                user.save()
                if org_code:
                    PartnerAccount.objects.update_or_create(
                        user=user,
                        defaults={"organisation": Organisation.objects.get(cbs_code=org_code)},
                    )
                user.groups.set([Group.objects.get(name=role.value)])
                logins.append((username, password, role.value))
            holder_group = Group.objects.get(name=Role.ACCOUNT_HOLDER.value)
            demo_holder = User.objects.get(username="accounthouder")
            demo_holder.job_title = "Accounthouder Lopikerwaard"
            demo_holder.phone = "030 000 2000"
            demo_holder.save(update_fields=["job_title", "phone"])
            holders = [demo_holder]
            for index, (username, first, last, title) in enumerate(DEMO_ACCOUNT_HOLDERS):
                user, _ = User.objects.update_or_create(
                    username=username,
                    defaults={
                        "first_name": first,
                        "last_name": last,
                        "job_title": title,
                        "email": f"{username}@provincie.example",
                        "phone": f"030 000 20{index + 1:02d}",
                    },
                )
                user.set_unusable_password()
                user.save(update_fields=["password"])
                user.groups.set([holder_group])
                holders.append(user)
            counts = demo.load_demo_register(account_holders=holders, recorder=demo_holder)
            rounds = thermometer_demo.load_demo_rounds(
                created_by=User.objects.get(username="beheerder")
            )
            link = thermometer_demo.demo_link()
        self.stdout.write(
            "Register: {contacts} contacts, {assignments} account-holder assignments, "
            "{interactions} contact moments.".format(**counts)
        )

        self.stdout.write(
            "Thermometer: {rounds} rounds, {responses} responses, "
            "{invitations} invitations.".format(**rounds)
        )
        if link:
            self.stdout.write(f"Personal thermometer link of a Woerden contact: {link}")
        self.stdout.write("\nDemo logins (printed only here; new passwords on every run):")
        for username, password, role_name in logins:
            self.stdout.write(f"  {role_name:<15} {username:<16} {password}")
