"""The plan page's HTML that is made in Python rather than in its template: what each theme
and each activity shows to every reader, kept in the shared cache under the plan's content
stamp, and the parts of each activity that are the reader's own (the edit link, the copy
form), joined once per page rather than by a loop of lookups in the template. The view
(dialogues.views.plan_detail) reads the page (selectors.plan_page) and hands it here."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dialogues import access, selectors
from dialogues.models import Activity
from ledelse.concurrency.forms import ONCE_FIELD, once_key

# What the plan page shows of each theme and each activity to every reader (the theme's
# heading and text; the activity's text, facts and links) is rendered once and kept in the
# shared cache under the plan's content stamp (the same stamp its content is read under:
# every service that changes a text or an activity raises it), the language and the day
# (the overdue mark); the restore buttons, the hearing's comments, the edit links and the
# copy forms, which differ by reader, are rendered on every request.
_CONTENT_HTML_SHAPE = 1  # raised when _plan_theme.html, _plan_activity.html or _activity_html change


def _activity_html(activity: Activity) -> dict[str, SafeString]:
    def titled(message: str) -> SafeString:  # as {% blocktranslate with title=... %}: the title escaped
        return mark_safe(message % {"title": conditional_escape(activity.title)})

    def link(name: str, message: str) -> SafeString:
        return format_html('<a href="{}">{}</a>', activity.links[name], titled(message))

    links = [
        link("guide_pdf", _("Meeting guide for “%(title)s” (PDF)")),
        link("presentation", _("Present the cards for “%(title)s”")),
        link("pptx", _("The cards for “%(title)s” as PowerPoint")),
    ]
    if activity.date:
        links.append(link("ics", _("Add “%(title)s” to your calendar")))
    return {
        "body": mark_safe(render_to_string("dialogues/_plan_activity.html", {"a": activity})),
        "links": mark_safe(" · ".join(links)),
        "edit": titled(_("Edit “%(title)s”")),
        "outcome": titled(_("Write what came out of “%(title)s”")),
        "copy": titled(_("Copy “%(title)s” into your plan")),
    }


def reader_parts_attach(request: HttpRequest, page: selectors.PlanPage, copy_options: SafeString | None) -> None:
    """What of each activity is the reader's own, made in one go rather than per row in the
    template: the link to edit it (those who edit the plan) or to write its outcome (the
    person responsible), while its plan's activities may change (`activity.edit_link`); and,
    with `copy_options` (the reader's plans that take a copy), the form to copy it
    (`activity.copy_form`): the same choices and CSRF token in each, a one-time key of its
    own for each (ledelse.concurrency.once)."""
    editable = page.plan.state in access.ACTIVITIES_EDITABLE_STATES
    csrf = get_token(request) if copy_options is not None else ""
    button = _("Copy")
    for activity in page.activities:
        label = ""
        if editable and page.can_edit:
            label = activity.html["edit"]
        elif editable and page.person_id and activity.responsible_id == page.person_id:
            label = activity.html["outcome"]
        activity.edit_link = format_html(' · <a href="{}">{}</a>', activity.links["edit"], label) if label else ""
        activity.copy_form = (
            format_html(
                '<form method="post" action="{}" class="plan-copy">'
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                '<input type="hidden" name="{}" value="{}">'
                '<label class="form-label" for="copy-activity-{}">{}</label>'
                '<select class="form-select" id="copy-activity-{}" name="target">{}</select>'
                '<button class="button button-secondary" type="submit">{}</button></form>',
                activity.links["copy"],
                csrf,
                ONCE_FIELD,
                once_key(),
                activity.pk,
                activity.html["copy"],
                activity.pk,
                copy_options,
                button,
            )
            if copy_options is not None
            else ""
        )


def activities_list_html(activities: list[Activity]) -> SafeString:
    """The activities as the page lists them: each one's HTML for every reader (from the
    cache) with the reader's own edit link and copy form, joined here rather than by a loop
    of variable lookups in the template."""
    return format_html_join(
        "\n",
        '<div class="plan-activity" id="aktivitet-{}">{}<p class="plan-activity__links">{}{}</p>{}</div>',
        ((a.pk, a.html["body"], a.html["links"], a.edit_link, a.copy_form) for a in activities),
    )


def content_html_attach(page: selectors.PlanPage) -> None:
    """Each theme's and each activity's reader-independent HTML (`row.html`, `activity.html`),
    from the shared cache."""
    today = page.today.isoformat() if page.today else ""
    key = f"dialogues:plan-html:{_CONTENT_HTML_SHAPE}:{page.content_key}:{get_language()}:{today}"
    html = cache.get(key) if page.content_key else None
    themes, activities = {r.theme.pk for r in page.themes}, {a.pk for a in page.activities}
    if html is None or set(html["themes"]) != themes or set(html["activities"]) != activities:
        html = {
            "themes": {
                r.theme.pk: mark_safe(render_to_string("dialogues/_plan_theme.html", {"row": r})) for r in page.themes
            },
            "activities": {a.pk: _activity_html(a) for a in page.activities},
        }
        if page.content_key:
            cache.set(key, html, selectors.PLAN_CONTENT_TIMEOUT)
    for row in page.themes:
        row.html = html["themes"][row.theme.pk]
    for activity in page.activities:
        activity.html = html["activities"][activity.pk]
