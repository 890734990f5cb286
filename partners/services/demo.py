"""Demo data for the partner register: visibly fictional people at real organisations."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from partners.models import (
    AccountHolder,
    Contact,
    FollowUp,
    Interaction,
    Organisation,
    Theme,
)
from portal.lib.models import User

FIRST_NAMES = [
    "Anouk",
    "Bram",
    "Chantal",
    "Dennis",
    "Esra",
    "Floor",
    "Gijs",
    "Hanna",
    "Ilse",
    "Joris",
    "Karin",
    "Lars",
    "Mila",
    "Niels",
    "Olga",
    "Pieter",
    "Roos",
    "Sem",
    "Tessa",
    "Umut",
    "Vera",
    "Wout",
    "Yara",
    "Zoë",
    "René",
    "Loïs",
]
LAST_NAMES = [
    "de Boer",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Groot",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Çelik",
    "El Idrissi",
    "van Dam",
    "Kuipers",
]
PARTNER_FUNCTIONS = [
    ("Wethouder wonen", "wonen", "woningbouwprogramma, huisvesting"),
    ("Beleidsadviseur energie", "energie-en-klimaat", "regionale energiestrategie, warmtenet"),
    ("Gemeentesecretaris", None, "bestuurlijke samenwerking"),
    ("Adviseur mobiliteit", "bereikbaarheid", "fietspaden, openbaar vervoer"),
    ("Beleidsmedewerker natuur", "natuur-en-recreatie", "stikstof, recreatiegebieden"),
]
PROVINCE_POINTS = {
    "wonen": ("Loket wonen (fictief)", "Coördinator woningbouw"),
    "energie-en-klimaat": ("Team energietransitie (fictief)", "Programmamanager energie"),
    "bereikbaarheid": ("Loket bereikbaarheid (fictief)", "Adviseur mobiliteit"),
    "natuur-en-recreatie": ("Loket natuur (fictief)", "Adviseur natuur en recreatie"),
    "economie-en-gezondheid": ("Loket economie (fictief)", "Adviseur economie"),
}


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} (fictief)"


def _email(name: str, domain: str) -> str:
    local = name.replace(" (fictief)", "").lower().replace(" ", ".")
    local = local.encode("ascii", "ignore").decode() or "contact"
    return f"{local}@{domain}"


@transaction.atomic
def load_demo_register(*, account_holders: list[User], recorder: User) -> dict[str, int]:
    """Contacts, assignments and contact moments for the demo. Idempotent (seeded)."""
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    themes = {t.slug: t for t in Theme.objects.all()}
    province = Organisation.objects.get(kind=Organisation.Kind.PROVINCIE)
    today = timezone.localdate()

    for slug, (name, function) in PROVINCE_POINTS.items():
        contact, _ = Contact.objects.update_or_create(
            organisation=province,
            name=name,
            defaults={
                "function": function,
                "email": f"{slug}@provincie.example",
                "phone": "030 000 1" + f"{len(slug):03d}",
                "visibility": Contact.Visibility.SHARED,
            },
        )
        contact.themes.set([themes[slug]])
    Contact.objects.update_or_create(
        organisation=province,
        name="Servicepunt provincie (fictief)",
        defaults={
            "function": "Algemeen contactpunt",
            "email": "servicepunt@provincie.example",
            "phone": "030 000 1000",
            "visibility": Contact.Visibility.SHARED,
            "is_general": True,
        },
    )

    partners = list(
        Organisation.objects.active().exclude(kind=Organisation.Kind.PROVINCIE).order_by("name")
    )
    area_holders, theme_holders = account_holders[:4], account_holders[4:] or account_holders
    for index, organisation in enumerate(partners):
        domain = f"{organisation.cbs_code.lower() or 'org' + str(organisation.pk)}.example"
        for number, (function, theme_slug, topics) in enumerate(PARTNER_FUNCTIONS[: 2 + index % 3]):
            name = _person(rng)
            contact, _ = Contact.objects.get_or_create(
                organisation=organisation,
                function=function,
                defaults={
                    "name": name,
                    "email": _email(name, domain),
                    "phone": f"06 0000 {index:02d}{number:02d}",
                    "topics": topics,
                    # Aldermen are public; officials' details stay internal by default.
                    "visibility": Contact.Visibility.SHARED
                    if function.startswith("Wethouder") or number == 1
                    else Contact.Visibility.INTERNAL,
                },
            )
            if theme_slug:
                contact.themes.set([themes[theme_slug]])

        AccountHolder.objects.get_or_create(
            organisation=organisation,
            scope=AccountHolder.Scope.AREA,
            is_primary=True,
            ends_on=None,
            defaults={
                "user": area_holders[index % len(area_holders)],
                "starts_on": datetime.date(2025, 1, 1),
            },
        )
        if organisation.kind == Organisation.Kind.GEMEENTE:
            for offset, slug in enumerate(["energie-en-klimaat", "wonen"]):
                if (index + offset) % 2 == 0 or organisation.cbs_code == "GM0632":
                    AccountHolder.objects.get_or_create(
                        organisation=organisation,
                        scope=AccountHolder.Scope.THEME,
                        theme=themes[slug],
                        ends_on=None,
                        defaults={
                            "user": theme_holders[(index + offset) % len(theme_holders)],
                            "starts_on": datetime.date(2025, 3, 1),
                        },
                    )

    # One handed-over assignment so the history of assignments shows.
    utrecht = Organisation.objects.get(cbs_code="GM0344")
    AccountHolder.objects.get_or_create(
        organisation=utrecht,
        scope=AccountHolder.Scope.AREA,
        user=account_holders[-1],
        ends_on=datetime.date(2024, 12, 31),
        defaults={"starts_on": datetime.date(2022, 1, 1), "is_primary": True},
    )

    woerden = Organisation.objects.get(cbs_code="GM0632")
    if not Interaction.objects.filter(organisation=woerden).exists():
        moment = Interaction.objects.create(
            organisation=woerden,
            recorded_by=recorder,
            occurred_on=today - datetime.timedelta(days=14),
            summary="Bestuurlijk overleg over de woningbouwopgave en het warmtenet.",
            agreements="Provincie deelt de planning van de regionale energiestrategie.",
        )
        moment.contacts.set(woerden.contacts.all()[:2])
        FollowUp.objects.create(
            interaction=moment,
            description="Planning regionale energiestrategie sturen",
            owner=recorder,
            due_on=today + datetime.timedelta(days=7),
        )
        FollowUp.objects.create(
            interaction=moment,
            description="Verslag delen met de wethouder",
            owner=recorder,
            due_on=today - datetime.timedelta(days=2),
        )
    return {
        "contacts": Contact.objects.count(),
        "assignments": AccountHolder.objects.count(),
        "interactions": Interaction.objects.count(),
    }
