from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from ledelse.models import Person, Region, RoleAssignment, Unit, User
from ledelse.services import people_sync_admin_access, user_revoke_admin_access

admin.site.site_header = _("Leadership frameworks – administration")
admin.site.site_title = _("Leadership frameworks")
admin.site.index_title = _("Administration")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    pass


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Unit)
class UnitAdmin(TreeAdmin):
    form = movenodeform_factory(Unit)
    list_display = ["name", "code", "kind", "region"]
    search_fields = ["name", "code"]
    list_filter = ["region", "kind"]


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "employee_id", "unit", "is_leader", "user"]
    list_filter = ["is_leader", "unit__region"]
    search_fields = ["name", "employee_id", "email"]
    autocomplete_fields = ["unit", "own_leader", "user"]
    inlines = [RoleInline]

    def save_model(self, request, obj, form, change):
        previous = Person.objects.filter(pk=obj.pk).values_list("user_id", flat=True).first() if change else None
        super().save_model(request, obj, form, change)
        if previous and previous != obj.user_id:
            user_revoke_admin_access(user=User.objects.get(pk=previous))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Roles decide admin access (HR edits the frameworks): keep the account in step.
        people_sync_admin_access(people=[form.instance])

    def delete_queryset(self, request, queryset):
        users = list(User.objects.filter(person__in=queryset))
        super().delete_queryset(request, queryset)
        for user in users:
            user_revoke_admin_access(user=user)

    def delete_model(self, request, obj):
        user = obj.user
        super().delete_model(request, obj)
        if user is not None:
            user_revoke_admin_access(user=user)
