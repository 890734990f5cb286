from django.urls import path

from partners import views

app_name = "partners"

urlpatterns = [
    path("organisaties/", views.organisation_list, name="organisation_list"),
    path("organisaties/nieuw/", views.organisation_create, name="organisation_create"),
    path("organisaties/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisaties/<int:pk>/bewerken/", views.organisation_edit, name="organisation_edit"),
]
