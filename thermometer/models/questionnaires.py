"""Questionnaires: versioned sets of questions, in sections, with stable codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Questionnaire(models.Model):
    """A versioned set of questions. A version used by a round is never edited."""

    class Variant(models.TextChoices):
        EXTERNAL = "external", _("Partners (external)")
        INTERNAL = "internal", _("Province staff (internal)")

    variant = models.CharField(_("variant"), max_length=10, choices=Variant.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["variant", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "version"], name="questionnaire_variant_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Section(models.Model):
    """One page of the questionnaire."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "position"], name="section_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A question of one questionnaire version; `code` is stable across versions."""

    class Kind(models.TextChoices):
        MARK = "mark", _("Report mark 1–10")
        SCALE = "scale", _("Five-point scale")
        OPEN = "open", _("Open answer")

    class Perspective(models.TextChoices):
        """Whose view the answer gives: the result picture puts these side by side."""

        ABOUT_PROVINCE = "about_province", _("About the province")
        SELF = "self", _("About oneself")
        EXPECTED_PARTNER = "expected_partner", _("Expected from partners")
        NONE = "", _("Not applicable")

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_("Stable identifier across rounds, e.g. q1b-betrouwbaar."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    perspective = models.CharField(
        _("perspective"), max_length=20, choices=Perspective.choices, blank=True
    )
    property = models.SlugField(
        _("property"), max_length=40, blank=True, help_text=_("E.g. betrouwbaar.")
    )
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("explanation"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "section__position", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "code"], name="question_code_unique_per_version"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["mark", "scale", "open"]),
                name="question_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"


# The highest answer of the kinds that are counted (a report mark, a five-point scale).
SCALE_MAX: dict[str, int] = {Question.Kind.MARK: 10, Question.Kind.SCALE: 5}

SCALE_LABELS = {
    1: _("poor"),
    2: _("mediocre"),
    3: _("sufficient"),
    4: _("good"),
    5: _("excellent"),
}
