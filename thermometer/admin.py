from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from thermometer.models import (
    Aggregation,
    Answer,
    ImprovementAction,
    Invitation,
    Question,
    Questionnaire,
    Response,
    Result,
    Round,
    Section,
    SubmissionReceipt,
)
from thermometer.services import questionnaires

# The admin is for emergencies. Rounds are changed in the portal, where the services
# guard what may change; here the fields that could break given responses are
# read-only. Drafts are not registered at all: they link answers to a person.


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["section", "position", "code", "kind", "perspective", "property", "text", "required"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title", "variant", "version", "created_at"]
    list_filter = ["variant"]
    inlines = [SectionInline, QuestionInline]
    actions = ["make_new_version"]

    @admin.action(description=_("Make a new, editable version"))
    def make_new_version(self, request: HttpRequest, queryset: Any) -> None:
        for questionnaire in queryset:
            copy = questionnaires.new_version(questionnaire)
            self.message_user(request, _("Created %(copy)s.") % {"copy": copy})

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A version in use is never edited: a later round gets a new version.
        if obj is not None and _in_use(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and _in_use(obj):
            return False
        return super().has_delete_permission(request, obj)


def _in_use(questionnaire: Questionnaire) -> bool:
    return (
        Round.objects.filter(external_questionnaire=questionnaire).exists()
        or Round.objects.filter(internal_questionnaire=questionnaire).exists()
        or questionnaire.responses.exists()
    )


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "opens_at", "closes_at", "include_staff"]
    list_filter = ["status"]
    search_fields = ["name"]
    readonly_fields = [
        "status",
        "external_questionnaire",
        "internal_questionnaire",
        "record_organisation",
        "created_by",
        "created_at",
    ]
    filter_horizontal = ["organisations"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["round", "organisation", "respondent_group", "email", "sent_at", "used_at"]
    list_filter = ["round", "respondent_group"]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["round", "organisation"]
    raw_id_fields = ["contact", "user", "organisation"]
    exclude = ["token_hash"]
    readonly_fields = [
        "round",
        "sent_at",
        "reminder_count",
        "last_reminded_at",
        "started_at",
        "used_at",
        "purged_at",
        "created_at",
    ]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SubmissionReceipt)
class SubmissionReceiptAdmin(ReadOnlyAdmin):
    list_display = ["invitation", "created_at"]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    fields = readonly_fields = ("question", "number", "text", "hidden_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ["round", "respondent_group", "organisation", "submitted_on"]
    list_filter = ["round", "respondent_group"]
    list_select_related = ["round", "organisation"]
    inlines = [AnswerInline]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["question", "number", "hidden_at"]
    list_filter = ["question__questionnaire"]
    list_select_related = ["question"]


# Results are written by the aggregation task or the import; the admin only shows them.
@admin.register(Aggregation)
class AggregationAdmin(ReadOnlyAdmin):
    list_display = ["round", "source", "status", "responses", "finished_at"]
    list_filter = ["status", "source"]
    list_select_related = ["round"]


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ["round", "code", "group", "respondents", "mean", "median"]
    list_filter = ["round", "group"]
    list_select_related = ["round"]


@admin.register(ImprovementAction)
class ImprovementActionAdmin(admin.ModelAdmin):
    # Not SimpleHistoryAdmin: its history page has inline styles our CSP refuses; the
    # audit trail is on the action's page in the portal.
    list_display = ["title", "round", "owner", "status", "due_date"]
    list_filter = ["round", "status"]
    search_fields = ["title", "owner"]
    list_select_related = ["round"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
