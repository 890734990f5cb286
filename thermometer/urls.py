from django.urls import URLPattern, URLResolver, include, path

from thermometer.views import (
    actions,
    answers,
    imports,
    invitations,
    results,
    results_export,
    rounds,
    survey,
)

app_name = "thermometer"

round_urls = [
    # Administrators: rounds, their progress and their invitations
    path("", rounds.round_list, name="round_list"),
    path("nieuw/", rounds.round_create, name="round_create"),
    path("<int:pk>/", rounds.round_detail, name="round_detail"),
    path("<int:pk>/bewerken/", rounds.round_edit, name="round_edit"),
    path("<int:pk>/status/", rounds.round_transition, name="round_transition"),
    path("<int:pk>/uitnodigen/", invitations.round_invite, name="round_invite"),
    path("<int:pk>/herinneren/", invitations.round_remind, name="round_remind"),
    path("<int:pk>/meedoen/", invitations.staff_join, name="staff_join"),
]
# The results of one round: computed by Celery, read by staff, published to partners.
round_result_urls = [
    path("", results.results_detail, name="results_detail"),
    path("voortgang/", results.results_progress, name="results_progress"),
    path("berekenen/", results.results_aggregate, name="results_aggregate"),
    path("afdrukken/", results.results_print, name="results_print"),
    path("export/", results_export.results_export, name="results_export"),
    path("open-antwoorden/", answers.results_answers, name="results_answers"),
    path("open-antwoorden/verbergen/", answers.results_answer_hide, name="results_answer_hide"),
    path("open-antwoorden/export/", answers.results_answers_export, name="results_answers_export"),
    path("acties/nieuw/", actions.action_create, name="results_action_create"),
]
result_urls: list[URLPattern | URLResolver] = [
    path("", results.results_list, name="results_list"),
    path("trends/", results.trends, name="trends"),
    path("importeren/", imports.results_import, name="results_import"),
    path("importeren/sjabloon/", imports.results_import_template, name="results_import_template"),
    path("<int:pk>/", include(round_result_urls)),
]
# Filling in (token-free: the session knows the invitation).
survey_urls = [
    path("", survey.survey_start, name="survey_start"),
    path("<int:section>/", survey.survey_section, name="survey_section"),
    path("controle/", survey.survey_review, name="survey_review"),
    path("verzenden/", survey.survey_submit, name="survey_submit"),
]
thermometer_urls: list[URLPattern | URLResolver] = [
    path("rondes/", include(round_urls)),
    path("resultaten/", include(result_urls)),
    path("acties/<int:pk>/", actions.action_detail, name="action_detail"),
    path("acties/<int:pk>/bewerken/", actions.action_edit, name="action_edit"),
    path("invullen/", include(survey_urls)),
    path("bedankt/", survey.survey_done, name="survey_done"),
    path("link-ongeldig/", invitations.link_invalid, name="link_invalid"),
    path("al-ingevuld/", invitations.link_used, name="link_used"),
]

urlpatterns = [
    path("thermometer/", include(thermometer_urls)),
    # The personal link in an invitation e-mail: short, so it survives mail clients.
    path("t/<str:token>/", invitations.invitation_exchange, name="invitation_exchange"),
]
