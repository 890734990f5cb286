from django.urls import include, path

from partners.views import (
    assignments,
    contacts,
    imports,
    interactions,
    organisations,
    personal_data,
    search,
    whom,
)

app_name = "partners"

organisation_urls = [
    path("", organisations.organisation_list, name="organisation_list"),
    path("nieuw/", organisations.organisation_create, name="organisation_create"),
    path("<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("<int:pk>/bewerken/", organisations.organisation_edit, name="organisation_edit"),
]
contact_urls = [
    path("", contacts.contact_list, name="contact_list"),
    path("nieuw/", contacts.contact_create, name="contact_create"),
    path("importeren/", imports.contact_import_page, name="contact_import"),
    path("<int:pk>/", contacts.contact_detail, name="contact_detail"),
    path("<int:pk>/bewerken/", contacts.contact_edit, name="contact_edit"),
    # One person's data (AVG)
    path(
        "<int:pk>/persoonsgegevens/",
        personal_data.contact_personal_data,
        name="contact_personal_data",
    ),
    path(
        "<int:pk>/persoonsgegevens/download/",
        personal_data.contact_subject_export,
        name="contact_subject_export",
    ),
    path("<int:pk>/anonimiseren/", personal_data.contact_erase, name="contact_erase"),
]
assignment_urls = [
    path("nieuw/", assignments.assignment_create, name="assignment_create"),
    path("<int:pk>/bewerken/", assignments.assignment_edit, name="assignment_edit"),
]
interaction_urls = [
    path("", interactions.interaction_list, name="interaction_list"),
    path("nieuw/", interactions.interaction_create, name="interaction_create"),
    path("<int:pk>/", interactions.interaction_detail, name="interaction_detail"),
    path("<int:pk>/bewerken/", interactions.interaction_edit, name="interaction_edit"),
]

urlpatterns = [
    path("organisaties/", include(organisation_urls)),
    path("contacten/", include(contact_urls)),
    path("accounthouders/", include(assignment_urls)),
    path("contactmomenten/", include(interaction_urls)),
    path("vervolgacties/<int:pk>/afgerond/", interactions.follow_up_done, name="follow_up_done"),
    # "Whom do I call?" and search
    path("wie-bel-ik/", whom.whom_to_call, name="whom_to_call"),
    path("mijn-partners/", whom.my_partners, name="my_partners"),
    path("zoeken/", search.search, name="search"),
    path("persoonsgegevens/logboek/", personal_data.personal_data_log, name="personal_data_log"),
]
