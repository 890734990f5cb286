from django.urls import path

from portal.lib.exports import views

app_name = "exports"

urlpatterns = [
    path("", views.export_create, name="create"),
    path("<int:pk>/", views.export_status, name="status"),
    path("<int:pk>/download/", views.export_download, name="download"),
]
