from django.contrib import admin

from dialogues import services
from dialogues.models import Activity, Plan, PlanEvent, PlanTranslation, Rollout
from ledelse.form_fields import ADMIN_DATE_RANGE


@admin.register(Rollout)
class RolloutAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "scope_unit", "framework_version", "starts_on", "deadline"]
    list_filter = ["region"]
    raw_id_fields = ["scope_unit", "framework_version", "created_by"]
    formfield_overrides = ADMIN_DATE_RANGE


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    fields = ["kind", "title", "responsible", "date", "status"]
    raw_id_fields = ["responsible"]
    formfield_overrides = ADMIN_DATE_RANGE


class PlanEventInline(admin.TabularInline):
    model = PlanEvent
    extra = 0
    readonly_fields = ["actor_name", "at", "from_state", "to_state", "comment"]
    exclude = ["actor"]
    can_delete = False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["unit", "rollout", "owner", "state", "submitted_at"]
    list_filter = ["state", "rollout"]
    raw_id_fields = ["unit", "owner", "based_on", "rollout"]
    filter_horizontal = ["co_owners"]
    exclude = ["focus_principles"]
    readonly_fields = ["state", "submitted_at"]
    inlines = [ActivityInline, PlanEventInline]


@admin.register(PlanTranslation)
class PlanTranslationAdmin(admin.ModelAdmin):
    """A translation edited or removed here raises its plan's version, as the plan's own
    services do (services.plan_changed_outside)."""

    list_display = ["plan", "theme"]
    raw_id_fields = ["plan", "theme"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.plan_changed_outside(plan_ids=[obj.plan_id])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.plan_changed_outside(plan_ids=[obj.plan_id])

    def delete_queryset(self, request, queryset):
        plan_ids = set(queryset.values_list("plan_id", flat=True))
        super().delete_queryset(request, queryset)
        services.plan_changed_outside(plan_ids=plan_ids)
