"""Editing the frameworks (HR and administrators). Published versions are read-only: a
change starts as a draft copied from the current version and becomes the current version
when published, so what was made against the old version still points at it. Django's
admin history ("Historik") records every change.

No rule lives here: every save and delete goes through a values.services function, and
each form runs that service's checks while it validates, so what the service refuses shows
on the form in Danish. What HR sees follows values.access and values.selectors.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ledelse.concurrency.forms import VersionedFormMixin
from ledelse.concurrency.versions import SEEN_FIELD, VersionConflict
from ledelse.form_fields import DateField
from ledelse.view_helpers import form_add_errors
from values import access, services
from values.models import Framework, FrameworkVersion, Item, ItemLink, ReflectionQuestion
from values.selectors import frameworks_editable_by, links_editable_by


class ServiceCheckedForm(forms.ModelForm):
    """A model form that asks the service its admin saves through whether the changes
    would be accepted (`service_check`), while it validates. `user` is set by the admin."""

    user = None

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.cleaned_data}

    def service_check(self) -> None:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data is None:
            data = self.cleaned_data
        if not self.errors:
            try:
                self.service_check()
            except ValidationError as exc:
                form_add_errors(self, exc)
        return data


FRAMEWORK_DATE_MIN = date(1900, 1, 1)


class ServiceCheckedAdmin(admin.ModelAdmin):
    # A framework's dates (approved, adjusted, launched) lie from 1900 to 2099: documents
    # older than the plans and LUS, but never a typing error such as the year 9999.
    formfield_overrides = {models.DateField: {"form_class": DateField, "min_value": FRAMEWORK_DATE_MIN}}

    def get_form(
        self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user  # modelform_factory made this class for this request
        return form


class EditableFrameworksOnly:
    """HR sees and edits only the frameworks its scope covers (values.access); the path
    from the admin's model to its framework is `framework_path`."""

    framework_path = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        lookup = f"{self.framework_path}__in" if self.framework_path else "pk__in"
        return qs.filter(**{lookup: frameworks_editable_by(user=request.user)})

    def _framework_of(self, obj: Model) -> Framework:
        for part in filter(None, self.framework_path.split("__")):
            obj = getattr(obj, part)
        return obj

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or access.can_edit_framework(request.user, self._framework_of(obj)))

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or access.can_edit_framework(request.user, self._framework_of(obj)))


# --- Frameworks -----------------------------------------------------------------------------------


class VersionInline(admin.TabularInline):
    model = FrameworkVersion
    fields = ["number", "status", "approved_on", "adjusted_on", "launched_on", "published_at", "change_note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class FrameworkForm(ServiceCheckedForm):
    def service_check(self) -> None:
        services.framework_update_check(user=self.user, framework=self.instance, changes=self.changes())


@admin.register(Framework)
class FrameworkAdmin(EditableFrameworksOnly, ServiceCheckedAdmin):
    form = FrameworkForm
    list_display = ["title", "kind", "region", "owner_unit", "current_version"]
    list_filter = ["region", "kind"]
    search_fields = ["title", "slug"]
    readonly_fields = ["slug", "current_version"]
    autocomplete_fields = ["owner_unit", "parent"]
    inlines = [VersionInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Framework | None = None) -> list[str]:
        # The slug is the framework's address and the data file's key.
        if access.can_move_framework(request.user):
            return list(self.readonly_fields)
        return [*self.readonly_fields, *services.FRAMEWORK_PLACE_FIELDS]

    def save_model(self, request: HttpRequest, obj: Framework, form: FrameworkForm, change: bool) -> None:
        if change:
            services.framework_update(user=request.user, framework=obj, changes=form.changes())
        else:
            super().save_model(request, obj, form, change)


# --- Versions and their items ------------------------------------------------------------------------


class ItemInlineFormSet(forms.BaseInlineFormSet):
    user = None

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        items = [f.instance for f in self.forms if f.has_changed() and not self._should_delete_form(f)]
        try:
            services.version_items_check(user=self.user, version=self.instance, items=items)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc


class ItemInline(admin.TabularInline):
    model = Item
    formset = ItemInlineFormSet
    fields = ["position", "kind", "key", "title", "parent", "depth"]
    # Depth follows the nesting; saving renumbers positions and depths.
    readonly_fields = ["depth"]
    raw_id_fields = ["parent"]
    extra = 0
    show_change_link = True
    ordering = ["position"]

    def get_formset(
        self, request: HttpRequest, obj: FrameworkVersion | None = None, **kwargs: Any
    ) -> type[forms.BaseInlineFormSet]:
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user
        return formset

    def get_queryset(self, request: HttpRequest) -> QuerySet[Item]:
        return super().get_queryset(request).select_related("parent")

    def has_change_permission(self, request: HttpRequest, obj: FrameworkVersion | None = None) -> bool:
        return access.version_text_editable(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: FrameworkVersion | None = None) -> bool:
        return access.version_text_editable(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: FrameworkVersion | None = None) -> bool:
        return access.version_text_editable(obj) and super().has_delete_permission(request, obj)


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(EditableFrameworksOnly, ServiceCheckedAdmin):
    framework_path = "framework"
    list_display = ["framework", "number", "status", "published_at", "created_at"]
    list_filter = ["status", "framework"]
    readonly_fields = ["framework", "number", "status", "content_hash", "created_at", "published_at"]
    inlines = [ItemInline]
    actions = ["make_draft", "publish"]

    def has_change_permission(self, request: HttpRequest, obj: FrameworkVersion | None = None) -> bool:
        if obj is not None and not access.version_text_editable(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: FrameworkVersion | None = None) -> bool:
        # Published and archived versions are kept: plans and LUS point at them.
        if obj is not None and not access.version_text_editable(obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: FrameworkVersion) -> None:
        services.version_delete(user=request.user, version=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[FrameworkVersion]) -> None:
        for version in queryset.select_related("framework"):
            services.version_delete(user=request.user, version=version)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A new version starts as a draft copied from an existing one (the action below);
        # a new framework arrives as a data file (load_frameworks).
        return False

    def save_model(self, request: HttpRequest, obj: FrameworkVersion, form: forms.ModelForm, change: bool) -> None:
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        if changes:
            services.version_update(user=request.user, version=obj, changes=changes)

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool) -> None:
        if formset.model is not Item:
            return super().save_formset(request, form, formset, change)
        items = formset.save(commit=False)
        services.version_items_save(
            user=request.user, version=form.instance, items=items, deleted=formset.deleted_objects
        )
        return None

    @admin.action(description=_("Create a draft of a new version from the selected ones"), permissions=["change"])
    def make_draft(self, request: HttpRequest, queryset: QuerySet[FrameworkVersion]) -> None:
        for version in queryset.select_related("framework"):
            draft = services.version_draft_create(version=version)
            self.message_user(request, _("Draft created: %(draft)s") % {"draft": draft}, messages.SUCCESS)

    @admin.action(description=_("Publish the selected drafts as the current version"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[FrameworkVersion]) -> None:
        drafts = [v for v in queryset.select_related("framework", "based_on") if access.version_text_editable(v)]
        done = 0
        for version in drafts:
            try:
                services.version_publish(version=version)
                done += 1
            except services.PublishError as exc:
                self.message_user(request, f"{version}: {exc}", messages.ERROR)
        skipped = queryset.count() - len(drafts)
        published = ngettext("%d version published.", "%d versions published.", done) % done
        self.message_user(request, published)
        if skipped:
            self.message_user(
                request, _("Only drafts can be published; %(n)d were skipped.") % {"n": skipped}, messages.WARNING
            )


class QuestionInline(admin.TabularInline):
    model = ReflectionQuestion
    fields = ["position", "text", "is_project_text"]
    extra = 1


class ItemForm(VersionedFormMixin, ServiceCheckedForm):
    """Carries the item's version (ledelse.concurrency): an older form does not revert a
    newer change; it says per field what the other saved, and saving again keeps yours."""

    seen_version = forms.CharField(widget=forms.HiddenInput, required=False)  # so the admin renders it

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.set_seen(services.item_seen_token(item=self.instance))

    def changes(self) -> dict[str, Any]:
        return {name: value for name, value in super().changes().items() if name != SEEN_FIELD}

    def service_check(self) -> None:
        changes = self.changes()
        if not changes:
            return
        try:
            services.item_update_check(user=self.user, item=self.instance, changes=changes, seen=self.seen())
        except VersionConflict as conflict:
            self.show_conflict(conflict)
            for change in conflict.changes:
                self.add_error(
                    change.name if change.name in self.fields else None,
                    _("Saved by someone else meanwhile: “%(theirs)s”. Yours: “%(yours)s”. Save again to keep yours.")
                    % {"theirs": change.theirs_text, "yours": change.yours_text},
                )


@admin.register(Item)
class ItemAdmin(EditableFrameworksOnly, ServiceCheckedAdmin):
    form = ItemForm
    framework_path = "version__framework"
    list_display = ["title", "key", "kind", "version", "position"]
    list_filter = ["kind", "version__framework"]
    search_fields = ["title", "key", "body"]
    raw_id_fields = ["parent"]
    readonly_fields = ["version"]
    inlines = [QuestionInline]
    ordering = ["version", "position"]

    # Questions may be edited on any version (they are the project's own text); the item
    # text itself only on drafts.
    def get_readonly_fields(self, request: HttpRequest, obj: Item | None = None) -> list[str]:
        if obj is not None and not access.version_text_editable(obj.version):
            return ["version", "parent", "kind", "key", "position", "depth", "title", "subtitle", "body", "after"]
        return [*self.readonly_fields, "depth"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Items are added to a draft on its version page, where their place is clear.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Item | None = None) -> bool:
        if obj is not None and not access.version_text_editable(obj.version):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Item, form: ItemForm, change: bool) -> None:
        changes = form.changes()
        if changes:
            services.item_update(user=request.user, item=obj, changes=changes, seen=form.seen())

    def delete_model(self, request: HttpRequest, obj: Item) -> None:
        services.item_delete(user=request.user, item=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Item]) -> None:
        for item in queryset.select_related("version"):
            services.item_delete(user=request.user, item=item)

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool) -> None:
        questions = formset.save(commit=False)
        for question in formset.deleted_objects:
            services.question_delete(user=request.user, question=question)
        for question in questions:
            services.question_save(user=request.user, question=question)


# --- Links between frameworks ----------------------------------------------------------------------


class ItemLinkForm(ServiceCheckedForm):
    def service_check(self) -> None:
        source, target = self.cleaned_data.get("source"), self.cleaned_data.get("target")
        if source is not None and target is not None:
            link = self.instance if self.instance.pk else None
            services.item_link_check(user=self.user, source=source, target=target, link=link)


@admin.register(ItemLink)
class ItemLinkAdmin(ServiceCheckedAdmin):
    form = ItemLinkForm
    list_display = ["source", "target", "note"]
    raw_id_fields = ["source", "target"]
    search_fields = ["source__title", "target__title", "note"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ItemLink]:
        return links_editable_by(user=request.user)

    def has_change_permission(self, request: HttpRequest, obj: ItemLink | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or access.can_edit_link(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: ItemLink | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or access.can_edit_link(request.user, obj))

    def save_model(self, request: HttpRequest, obj: ItemLink, form: ItemLinkForm, change: bool) -> None:
        data = form.cleaned_data
        if change:
            saved = services.item_link_update(
                user=request.user, link=obj, source=data["source"], target=data["target"], note=data["note"]
            )
        else:
            saved = services.item_link_create(
                user=request.user, source=data["source"], target=data["target"], note=data["note"]
            )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: ItemLink) -> None:
        services.item_link_delete(user=request.user, link=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ItemLink]) -> None:
        for link in queryset:
            services.item_link_delete(user=request.user, link=link)
