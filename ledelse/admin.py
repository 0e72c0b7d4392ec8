from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.formsets import BaseFormSet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from ledelse.models import MedCommittee, MedMembership, Person, Region, RoleAssignment, Unit, User
from ledelse.services import (
    med_committee_remove,
    med_committee_set,
    med_memberships_set,
    med_seats_validate,
    people_delete,
    person_roles_set,
    person_save,
    user_save,
)

admin.site.site_header = _("Leadership frameworks – administration")
admin.site.site_title = _("Leadership frameworks")
admin.site.index_title = _("Administration")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    def save_model(self, request: HttpRequest, obj: User, form: forms.ModelForm, change: bool) -> None:
        user_save(user=obj)  # deactivating an account ends its sessions


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

    # The rules (admin access follows the roles and leaves with the account or the person)
    # live in ledelse.services; the admin only calls them.

    def save_model(self, request: HttpRequest, obj: Person, form: forms.ModelForm, change: bool) -> None:
        person_save(person=obj)

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset: BaseFormSet, change: bool) -> None:
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)  # only records what changed, for the change history
        kept = [f.cleaned_data for f in formset.forms if f.cleaned_data and f not in formset.deleted_forms]
        person_roles_set(
            person=form.instance, roles=[(data["role"], data["unit"]) for data in kept], actor=request.user
        )

    def delete_model(self, request: HttpRequest, obj: Person) -> None:
        people_delete(people=Person.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        people_delete(people=queryset)


class MedMembershipFormSet(BaseInlineFormSet):
    def _kept(self) -> list[dict]:
        return [f.cleaned_data for f in self.forms if f.cleaned_data and f not in self.deleted_forms]

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        # The rule (one formand, one næstformand, one seat each) is the service's.
        try:
            med_seats_validate(seats=[(data["person"].pk, data["role"]) for data in self._kept()])
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc


class MedMembershipInline(admin.TabularInline):
    model = MedMembership
    formset = MedMembershipFormSet
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(MedCommittee)
class MedCommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "unit"]
    list_filter = ["kind", "unit__region"]
    search_fields = ["name", "unit__name", "unit__code"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    inlines = [MedMembershipInline]

    def get_readonly_fields(self, request: HttpRequest, obj: MedCommittee | None = None) -> list[str]:
        return ["unit"] if obj is not None else []  # one committee per unit: it does not move

    # The rules live in ledelse.services (the organisation import calls the same ones).

    def save_model(self, request: HttpRequest, obj: MedCommittee, form: forms.ModelForm, change: bool) -> None:
        saved = med_committee_set(unit=obj.unit, kind=obj.kind, name=obj.name)
        obj.pk = saved.pk  # the inline's seats are saved against it

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset: BaseFormSet, change: bool) -> None:
        assert isinstance(formset, MedMembershipFormSet)
        formset.save(commit=False)  # only records what changed, for the change history
        med_memberships_set(
            committee=form.instance,
            seats=[(data["person"], data["role"]) for data in formset._kept()],
            actor=_actor(request),
        )

    def delete_model(self, request: HttpRequest, obj: MedCommittee) -> None:
        med_committee_remove(unit=obj.unit, actor=_actor(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[MedCommittee]) -> None:
        for committee in queryset.select_related("unit"):
            med_committee_remove(unit=committee.unit, actor=_actor(request))


def _actor(request: HttpRequest) -> User | None:
    """The account making a change in the admin (for the audit log)."""
    return request.user if isinstance(request.user, User) else None
