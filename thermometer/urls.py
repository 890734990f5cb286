from django.urls import path

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

urlpatterns = [
    # Administrators: rounds and their progress
    path("thermometer/rondes/", rounds.round_list, name="round_list"),
    path("thermometer/rondes/nieuw/", rounds.round_create, name="round_create"),
    path("thermometer/rondes/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("thermometer/rondes/<int:pk>/bewerken/", rounds.round_edit, name="round_edit"),
    path("thermometer/rondes/<int:pk>/status/", rounds.round_transition, name="round_transition"),
    # Results: computed by Celery, read by staff, published to partners
    path("thermometer/resultaten/", results.results_list, name="results_list"),
    path("thermometer/resultaten/trends/", results.trends, name="trends"),
    path("thermometer/resultaten/importeren/", imports.results_import, name="results_import"),
    path(
        "thermometer/resultaten/importeren/sjabloon/",
        imports.results_import_template,
        name="results_import_template",
    ),
    path("thermometer/resultaten/<int:pk>/", results.results_detail, name="results_detail"),
    path(
        "thermometer/resultaten/<int:pk>/voortgang/",
        results.results_progress,
        name="results_progress",
    ),
    path(
        "thermometer/resultaten/<int:pk>/berekenen/",
        results.results_aggregate,
        name="results_aggregate",
    ),
    path("thermometer/resultaten/<int:pk>/afdrukken/", results.results_print, name="results_print"),
    path("thermometer/resultaten/<int:pk>/export/", exports.results_export, name="results_export"),
    path(
        "thermometer/resultaten/<int:pk>/open-antwoorden/",
        answers.results_answers,
        name="results_answers",
    ),
    path(
        "thermometer/resultaten/<int:pk>/open-antwoorden/verbergen/",
        answers.results_answer_hide,
        name="results_answer_hide",
    ),
    path(
        "thermometer/resultaten/<int:pk>/open-antwoorden/export/",
        answers.results_answers_export,
        name="results_answers_export",
    ),
    path(
        "thermometer/resultaten/<int:pk>/acties/nieuw/",
        actions.action_create,
        name="results_action_create",
    ),
    path("thermometer/acties/<int:pk>/", actions.action_detail, name="action_detail"),
    path("thermometer/acties/<int:pk>/bewerken/", actions.action_edit, name="action_edit"),
    # Invitations
    path("thermometer/rondes/<int:pk>/uitnodigen/", invitations.round_invite, name="round_invite"),
    path("thermometer/rondes/<int:pk>/herinneren/", invitations.round_remind, name="round_remind"),
    path("thermometer/rondes/<int:pk>/meedoen/", invitations.staff_join, name="staff_join"),
    path("t/<str:token>/", invitations.invitation_exchange, name="invitation_exchange"),
    path("thermometer/link-ongeldig/", invitations.link_invalid, name="link_invalid"),
    path("thermometer/al-ingevuld/", invitations.link_used, name="link_used"),
    # Filling in (token-free: the session knows the invitation)
    path("thermometer/invullen/", survey.survey_start, name="survey_start"),
    path("thermometer/invullen/<int:section>/", survey.survey_section, name="survey_section"),
    path("thermometer/invullen/controle/", survey.survey_review, name="survey_review"),
    path("thermometer/invullen/verzenden/", survey.survey_submit, name="survey_submit"),
    path("thermometer/bedankt/", survey.survey_done, name="survey_done"),
]
