"""Header and navigation for every page."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from ledelse import access


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


# (label, url name, url prefix that marks it active). Parts appear as their apps land.
_NAVIGATION = (
    (lambda: _("Front page"), "home", None),
    (lambda: _("Frameworks"), "values:framework_list", "/ledelsesgrundlag/"),
    (lambda: _("Plans"), "dialogues:plan_list", "/planer/"),
    (lambda: _("LUS"), "lus:overview", "/lus/"),
)


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "current_person_label": "", "current_role_label": ""}
    items = []
    for label, url_name, prefix in _NAVIGATION:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        active = request.path == url if prefix is None else request.path.startswith(prefix)
        items.append(NavItem(label=label(), url=url, active=active))
    person = access.roles_for(user).person
    return {
        "nav_items": items,
        "current_person_label": person.name if person else (user.get_full_name() or user.get_username()),
        "current_role_label": access.role_label(user),
    }
