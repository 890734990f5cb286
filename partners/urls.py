from django.urls import path

from partners.views import (
    assignments,
    contacts,
    exchange,
    interactions,
    organisations,
    search,
    whom,
)

app_name = "partners"

urlpatterns = [
    # Organisations
    path("organisaties/", organisations.organisation_list, name="organisation_list"),
    path("organisaties/nieuw/", organisations.organisation_create, name="organisation_create"),
    path("organisaties/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path(
        "organisaties/<int:pk>/bewerken/",
        organisations.organisation_edit,
        name="organisation_edit",
    ),
    # Contacts
    path("contacten/", contacts.contact_list, name="contact_list"),
    path("contacten/nieuw/", contacts.contact_create, name="contact_create"),
    path("contacten/<int:pk>/", contacts.contact_detail, name="contact_detail"),
    path("contacten/<int:pk>/bewerken/", contacts.contact_edit, name="contact_edit"),
    # Account-holders and "whom do I call?"
    path("accounthouders/nieuw/", assignments.assignment_create, name="assignment_create"),
    path("accounthouders/<int:pk>/bewerken/", assignments.assignment_edit, name="assignment_edit"),
    path("wie-bel-ik/", whom.whom_to_call, name="whom_to_call"),
    path("mijn-partners/", whom.my_partners, name="my_partners"),
    # Search
    path("zoeken/", search.search, name="search"),
    # Contact moments
    path("contactmomenten/", interactions.interaction_list, name="interaction_list"),
    path("contactmomenten/nieuw/", interactions.interaction_create, name="interaction_create"),
    path("contactmomenten/<int:pk>/", interactions.interaction_detail, name="interaction_detail"),
    path(
        "contactmomenten/<int:pk>/bewerken/",
        interactions.interaction_edit,
        name="interaction_edit",
    ),
    path("vervolgacties/<int:pk>/afgerond/", interactions.follow_up_done, name="follow_up_done"),
    # Exports, imports and personal data
    path("exports/", exchange.export_create, name="export_create"),
    path("exports/<int:pk>/", exchange.export_status, name="export_status"),
    path("exports/<int:pk>/download/", exchange.export_download, name="export_download"),
    path("contacten/importeren/", exchange.contact_import, name="contact_import"),
    path(
        "contacten/<int:pk>/persoonsgegevens/",
        exchange.contact_personal_data,
        name="contact_personal_data",
    ),
    path(
        "contacten/<int:pk>/persoonsgegevens/download/",
        exchange.contact_subject_export,
        name="contact_subject_export",
    ),
    path("contacten/<int:pk>/anonimiseren/", exchange.contact_erase, name="contact_erase"),
    path("persoonsgegevens/logboek/", exchange.personal_data_log, name="personal_data_log"),
]
