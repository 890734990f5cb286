"""Version 1 of the thermometer questionnaires (the instrument of the 2020 review).

Question texts are content in Dutch, not UI strings. Codes are stable across versions:
a later version copies them, so results compare by code over rounds.
"""

from django.db import migrations

PROPERTIES = [
    ("betrouwbaar", "Betrouwbaar"),
    ("toegankelijk", "Toegankelijk"),
    ("deskundig", "Deskundig"),
    ("flexibel", "Flexibel"),
    ("ruimte-voor-inbreng", "Ruimte voor inbreng van anderen"),
    ("doelgericht", "Doelgericht"),
    ("transparant", "Transparant"),
    ("betrokken", "Betrokken"),
]
SCALE_HELP = "Kies per eigenschap: slecht, matig, voldoende, goed of uitstekend."
OPEN_QUESTIONS = [
    ("open-behouden", "Wat moet de provincie vooral behouden in de samenwerking?"),
    ("open-verbeteren", "Wat moet de provincie verbeteren in de samenwerking?"),
]

EXTERNAL = [
    (
        "Rapportcijfer",
        "Geef een cijfer van 1 (zeer slecht) tot 10 (uitstekend).",
        [
            ("q1a", "mark", "about_province", "",
             "Welk rapportcijfer geeft u de provincie Utrecht als samenwerkingspartner?", "", True),
        ],
    ),
    (
        "Eigenschappen van de provincie",
        SCALE_HELP,
        [
            (f"q1b-{key}", "scale", "about_province", key, label,
             "Hoe beoordeelt u de provincie als samenwerkingspartner op deze eigenschap?", True)
            for key, label in PROPERTIES
        ],
    ),
    (
        "Open vragen",
        "Deze vragen zijn niet verplicht. Noem geen namen: antwoorden worden zonder naam gedeeld.",
        [(code, "open", "", "", text, "", False) for code, text in OPEN_QUESTIONS]
        + [("open-bijdragen", "open", "", "",
            "Hoe kunt u als partner bijdragen aan een betere samenwerking?", "", False)],
    ),
]

INTERNAL = [
    (
        "Rapportcijfers",
        "Geef een cijfer van 1 (zeer slecht) tot 10 (uitstekend).",
        [
            ("q1a", "mark", "about_province", "",
             "Welk rapportcijfer geeft u de provincie Utrecht als samenwerkingspartner?", "", True),
            ("q2", "mark", "self", "",
             "Welk rapportcijfer geeft u uzelf als samenwerkingspartner?", "", True),
            ("q3a", "mark", "expected_partner", "",
             "Welk rapportcijfer verwacht u dat partners de provincie geven?", "", True),
        ],
    ),
    (
        "Eigenschappen van de provincie",
        SCALE_HELP,
        [
            (f"q1b-{key}", "scale", "about_province", key, label,
             "Hoe beoordeelt u de provincie als samenwerkingspartner op deze eigenschap?", True)
            for key, label in PROPERTIES
        ],
    ),
    (
        "Wat verwacht u van partners?",
        SCALE_HELP,
        [
            (f"q3b-{key}", "scale", "expected_partner", key, label,
             "Hoe denkt u dat partners de provincie op deze eigenschap beoordelen?", True)
            for key, label in PROPERTIES
        ],
    ),
    (
        "Open vragen",
        "Deze vragen zijn niet verplicht. Noem geen namen: antwoorden worden zonder naam gedeeld.",
        [(code, "open", "", "", text, "", False) for code, text in OPEN_QUESTIONS]
        + [("open-bijdragen", "open", "", "",
            "Hoe kunnen partners helpen de samenwerking te verbeteren?", "", False)],
    ),
]


def create(apps, schema_editor):
    Questionnaire = apps.get_model("thermometer", "Questionnaire")
    Section = apps.get_model("thermometer", "Section")
    Question = apps.get_model("thermometer", "Question")
    for variant, title, sections in [
        ("external", "Samenwerkingsthermometer – partners", EXTERNAL),
        ("internal", "Samenwerkingsthermometer – medewerkers provincie", INTERNAL),
    ]:
        questionnaire = Questionnaire.objects.create(variant=variant, version=1, title=title)
        for position, (section_title, intro, questions) in enumerate(sections, start=1):
            section = Section.objects.create(
                questionnaire=questionnaire, position=position, title=section_title, intro=intro
            )
            for number, (code, kind, perspective, prop, text, help_text, required) in enumerate(
                questions, start=1
            ):
                Question.objects.create(
                    questionnaire=questionnaire,
                    section=section,
                    position=number,
                    code=code,
                    kind=kind,
                    perspective=perspective,
                    property=prop,
                    text=text,
                    help_text=help_text,
                    required=required,
                )


def remove(apps, schema_editor):
    apps.get_model("thermometer", "Questionnaire").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("thermometer", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
