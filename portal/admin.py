"""The emergency admin of users: the kernel's user with the partners app's account link."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from partners.models import PartnerAccount
from portal.lib.models import User


class PartnerAccountInline(admin.StackedInline):
    model = PartnerAccount
    autocomplete_fields = ("organisation",)
    max_num = 1


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = (PartnerAccountInline,)
    list_display = ("username", "first_name", "last_name", "email", "is_active")
    list_filter = ("groups", "is_active")
