"""Editing the frameworks (HR and administrators). Published versions are read-only: a
change starts as a draft copied from the current version and becomes the current version
when published, so what was made against the old version still points at it. Django's
admin history ("Historik") records every change."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from values import access
from values.models import Framework, FrameworkVersion, Item, ItemLink, ReflectionQuestion
from values.selectors import frameworks_editable_by
from values.services import PublishError, item_search_refresh, version_draft_create, version_publish, version_renumber


def _is_draft(version: FrameworkVersion | None) -> bool:
    return version is not None and version.status == FrameworkVersion.Status.KLADDE


class EditableFrameworksOnly:
    """HR sees and edits only the frameworks its scope covers (values.access); the path
    from the admin's model to its framework is `framework_path`."""

    framework_path = ""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        lookup = f"{self.framework_path}__in" if self.framework_path else "pk__in"
        return qs.filter(**{lookup: frameworks_editable_by(user=request.user)})

    def _framework_of(self, obj) -> Framework:
        for part in filter(None, self.framework_path.split("__")):
            obj = getattr(obj, part)
        return obj

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or access.can_edit_framework(request.user, self._framework_of(obj)))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or access.can_edit_framework(request.user, self._framework_of(obj)))


class VersionInline(admin.TabularInline):
    model = FrameworkVersion
    fields = ["number", "status", "approved_on", "adjusted_on", "launched_on", "published_at", "change_note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Framework)
class FrameworkAdmin(EditableFrameworksOnly, admin.ModelAdmin):
    list_display = ["title", "kind", "region", "owner_unit", "current_version"]
    list_filter = ["region", "kind"]
    search_fields = ["title", "slug"]
    readonly_fields = ["slug", "current_version"]
    autocomplete_fields = ["owner_unit", "parent"]
    inlines = [VersionInline]

    def get_readonly_fields(self, request, obj=None):
        # The slug is the framework's address and the data file's key. Where a framework
        # belongs (region, owner, parent) decides who may edit it: administrators only.
        if access.is_admin(request.user):
            return self.readonly_fields
        return [*self.readonly_fields, "region", "owner_unit", "parent"]


class ItemInline(admin.TabularInline):
    model = Item
    fields = ["position", "kind", "key", "title", "parent", "depth"]
    # Depth follows the nesting; saving renumbers positions and depths.
    readonly_fields = ["depth"]
    raw_id_fields = ["parent"]
    extra = 0
    show_change_link = True
    ordering = ["position"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")

    def has_change_permission(self, request, obj=None) -> bool:
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return _is_draft(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return _is_draft(obj) and super().has_delete_permission(request, obj)


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(EditableFrameworksOnly, admin.ModelAdmin):
    framework_path = "framework"
    list_display = ["framework", "number", "status", "published_at", "created_at"]
    list_filter = ["status", "framework"]
    readonly_fields = ["framework", "number", "status", "content_hash", "created_at", "published_at"]
    inlines = [ItemInline]
    actions = ["make_draft", "publish"]

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and not _is_draft(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Published and archived versions are kept: plans and LUS point at them.
        if obj is not None and not _is_draft(obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Item:
            version_renumber(version=form.instance)
            item_search_refresh(items=Item.objects.filter(version=form.instance))

    def has_add_permission(self, request) -> bool:
        # A new version starts as a draft copied from an existing one (the action below);
        # a new framework arrives as a data file (load_frameworks).
        return False

    @admin.action(description=_("Create a draft of a new version from the selected ones"), permissions=["change"])
    def make_draft(self, request, queryset):
        for version in queryset.select_related("framework"):
            draft = version_draft_create(version=version)
            self.message_user(request, _("Draft created: %(draft)s") % {"draft": draft}, messages.SUCCESS)

    @admin.action(description=_("Publish the selected drafts as the current version"), permissions=["change"])
    def publish(self, request, queryset):
        drafts = [v for v in queryset.select_related("framework", "based_on") if _is_draft(v)]
        done = 0
        for version in drafts:
            try:
                version_publish(version=version)
                done += 1
            except PublishError as exc:
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


@admin.register(Item)
class ItemAdmin(EditableFrameworksOnly, admin.ModelAdmin):
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
    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not _is_draft(obj.version):
            return ["version", "parent", "kind", "key", "position", "depth", "title", "subtitle", "body", "after"]
        return [*self.readonly_fields, "depth"]

    def has_add_permission(self, request) -> bool:
        # Items are added to a draft on its version page, where their place is clear.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and not _is_draft(obj.version):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        version_renumber(version=obj.version)
        item_search_refresh(items=[obj])


@admin.register(ItemLink)
class ItemLinkAdmin(EditableFrameworksOnly, admin.ModelAdmin):
    framework_path = "source__version__framework"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        class LinkForm(form):
            def clean(self):
                data = super().clean()
                source = data.get("source")
                if source is not None and not access.can_edit_framework(user, source.version.framework):
                    raise ValidationError(_("You can only add links from frameworks you edit."))
                return data

        return LinkForm

    list_display = ["source", "target", "note"]
    raw_id_fields = ["source", "target"]
    search_fields = ["source__title", "target__title", "note"]
