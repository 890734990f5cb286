from django.contrib import admin

from portal.lib.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["dataset", "format", "requested_by", "status", "created_at"]
    exclude = ["content"]
