"""Header and navigation for every page."""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
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
    (lambda: _("Rollouts"), "dialogues:rollout_list", "/planer/udrulninger/"),
    (lambda: _("LUS"), "lus:overview", "/lus/"),
)
# Shown only to those who ask units for plans (HR, koncernledelse, administrators).
_ROLLOUT_MANAGERS_ONLY = frozenset({"dialogues:rollout_list"})


def _manages_rollouts(roles: access.Roles) -> bool:
    return roles.is_admin or roles.is_hr or roles.is_koncernledelse


@functools.cache
def _shown_to() -> dict[str, Callable[..., bool]]:
    """Menu items an app shows only to some users: the app names the url and a function of
    the user on its AppConfig (`navigation_shown_to`), so the core names no app's rule."""
    rules: dict[str, Callable[..., bool]] = {}
    for config in apps.get_app_configs():
        for url_name, path in getattr(config, "navigation_shown_to", {}).items():
            rules[url_name] = import_string(path)
    return rules


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "current_person_label": "", "current_role_label": ""}
    roles = access.roles_for(user)
    items = []
    for label, url_name, prefix in _NAVIGATION:
        if url_name in _ROLLOUT_MANAGERS_ONLY and not _manages_rollouts(roles):
            continue
        shown_to = _shown_to().get(url_name)
        if shown_to is not None and not shown_to(user):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        active = request.path == url if prefix is None else request.path.startswith(prefix)
        items.append(NavItem(label=label(), url=url, active=active))
    # The longest matching prefix is the one active item (rollouts live under plans).
    active_items = [i for i in items if i.active]
    if len(active_items) > 1:
        keep = max(active_items, key=lambda i: len(i.url))
        items = [NavItem(i.label, i.url, i is keep) if i.active else i for i in items]
    person = roles.person
    return {
        "nav_items": items,
        "current_person_label": person.name if person else (user.get_full_name() or user.get_username()),
        "current_role_label": access.role_label(user),
    }
