from django.urls import include, path

from thermometer.views import (
    actions,
    answers,
    exports,
    imports,
    invitations,
    results,
    rounds,
    survey,
)

app_name = "thermometer"

thermometer_urls = [
    # Administrators: rounds and their progress
    path("rondes/", rounds.round_list, name="round_list"),
    path("rondes/nieuw/", rounds.round_create, name="round_create"),
    path("rondes/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rondes/<int:pk>/bewerken/", rounds.round_edit, name="round_edit"),
    path("rondes/<int:pk>/status/", rounds.round_transition, name="round_transition"),
    # Results: computed by Celery, read by staff, published to partners
    path("resultaten/", results.results_list, name="results_list"),
    path("resultaten/trends/", results.trends, name="trends"),
    path("resultaten/importeren/", imports.results_import, name="results_import"),
    path(
        "resultaten/importeren/sjabloon/",
        imports.results_import_template,
        name="results_import_template",
    ),
    path("resultaten/<int:pk>/", results.results_detail, name="results_detail"),
    path(
        "resultaten/<int:pk>/voortgang/",
        results.results_progress,
        name="results_progress",
    ),
    path(
        "resultaten/<int:pk>/berekenen/",
        results.results_aggregate,
        name="results_aggregate",
    ),
    path("resultaten/<int:pk>/afdrukken/", results.results_print, name="results_print"),
    path("resultaten/<int:pk>/export/", exports.results_export, name="results_export"),
    path(
        "resultaten/<int:pk>/open-antwoorden/",
        answers.results_answers,
        name="results_answers",
    ),
    path(
        "resultaten/<int:pk>/open-antwoorden/verbergen/",
        answers.results_answer_hide,
        name="results_answer_hide",
    ),
    path(
        "resultaten/<int:pk>/open-antwoorden/export/",
        answers.results_answers_export,
        name="results_answers_export",
    ),
    path(
        "resultaten/<int:pk>/acties/nieuw/",
        actions.action_create,
        name="results_action_create",
    ),
    path("acties/<int:pk>/", actions.action_detail, name="action_detail"),
    path("acties/<int:pk>/bewerken/", actions.action_edit, name="action_edit"),
    # Invitations
    path("rondes/<int:pk>/uitnodigen/", invitations.round_invite, name="round_invite"),
    path("rondes/<int:pk>/herinneren/", invitations.round_remind, name="round_remind"),
    path("rondes/<int:pk>/meedoen/", invitations.staff_join, name="staff_join"),
    path("link-ongeldig/", invitations.link_invalid, name="link_invalid"),
    path("al-ingevuld/", invitations.link_used, name="link_used"),
    # Filling in (token-free: the session knows the invitation)
    path("invullen/", survey.survey_start, name="survey_start"),
    path("invullen/<int:section>/", survey.survey_section, name="survey_section"),
    path("invullen/controle/", survey.survey_review, name="survey_review"),
    path("invullen/verzenden/", survey.survey_submit, name="survey_submit"),
    path("bedankt/", survey.survey_done, name="survey_done"),
]

urlpatterns = [
    path("thermometer/", include(thermometer_urls)),
    # The personal link in an invitation e-mail: short, so it survives mail clients.
    path("t/<str:token>/", invitations.invitation_exchange, name="invitation_exchange"),
]
