from thermometer.models import Answer, Question, Questionnaire
from thermometer.services.questionnaires import new_version


def test_version_1_holds_the_instrument_of_the_review(db: None) -> None:
    external = Questionnaire.objects.get(variant="external", version=1)
    internal = Questionnaire.objects.get(variant="internal", version=1)
    codes = set(external.questions.values_list("code", flat=True))
    assert "q1a" in codes and len([c for c in codes if c.startswith("q1b-")]) == 8
    internal_codes = set(internal.questions.values_list("code", flat=True))
    assert {"q1a", "q2", "q3a"} <= internal_codes
    assert len([c for c in internal_codes if c.startswith("q3b-")]) == 8
    assert set(Question.objects.filter(kind="open").values_list("required", flat=True)) == {False}


def test_a_new_version_copies_the_questions_with_their_codes(db: None) -> None:
    original = Questionnaire.objects.get(variant="external", version=1)
    copy = new_version(original)
    assert copy.version == 2 and copy.variant == "external"
    assert list(copy.questions.values_list("code", "kind", "section__position")) == list(
        original.questions.values_list("code", "kind", "section__position")
    )
    # The copy can change without touching the version answers point at.
    copy.questions.filter(code="q1a").update(text="Nieuwe formulering")
    assert original.questions.get(code="q1a").text != "Nieuwe formulering"
    assert not Answer.objects.exists()
