from django.urls import path

from thermometer.views import invitations, rounds, survey

app_name = "thermometer"

urlpatterns = [
    # Administrators: rounds and their progress
    path("thermometer/rondes/", rounds.round_list, name="round_list"),
    path("thermometer/rondes/nieuw/", rounds.round_create, name="round_create"),
    path("thermometer/rondes/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("thermometer/rondes/<int:pk>/bewerken/", rounds.round_edit, name="round_edit"),
    path("thermometer/rondes/<int:pk>/status/", rounds.round_transition, name="round_transition"),
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
