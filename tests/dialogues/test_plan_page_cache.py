"""The plan page keeps the plan's own content in the shared cache under the plan's change
stamp (dialogues.selectors.plan_page): a second read asks less, and a change made through
a service shows on the next read."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dialogues import selectors, services
from dialogues.models import PlanTranslationRevision
from ledelse.concurrency.forms import ONCE_FIELD
from ledelse.models import Person
from tests.dialogues.conftest import activity_data, person_in, submitted
from values.models import Item

pytestmark = pytest.mark.django_db

# The plan page read from the cache: the sign-in's and the layout's queries (session, user,
# person and roles, the unread count) and the page's three.
PAGE_QUERIES = 8


@pytest.fixture
def themes(framework):
    return list(Item.objects.filter(version=framework.current_version, kind="theme").order_by("position"))


def _read(client, plan) -> str:
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def _without_tokens(html: str) -> str:
    """The page without its per-request tokens (CSRF, the one-time keys of the forms)."""
    return re.sub(r'value="[A-Za-z0-9_\-:.]{20,}"', 'value=""', html)


@pytest.fixture
def client_for_admin(org):
    admin_client = Client()
    admin_client.force_login(org.users["admin"])
    return admin_client


@pytest.fixture
def reader(org, client):
    client.force_login(org.users["employee"])
    return client


def test_a_second_read_takes_the_plans_content_from_the_cache(org, plan, reader, make_activity, themes):
    make_activity(plan, participants=(org.people["employee"],))
    services.plan_translation_save(plan=plan, texts={themes[0].pk: "Vores ord"}, focus_principles=[])
    with CaptureQueriesContext(connection) as cold:
        first = _read(reader, plan)
    with CaptureQueriesContext(connection) as warm:
        second = _read(reader, plan)
    assert _without_tokens(second) == _without_tokens(first)
    assert len(warm.captured_queries) <= len(cold.captured_queries) - 7


def test_a_saved_translation_shows_on_the_next_read(plan, reader, themes):
    _read(reader, plan)
    services.plan_translation_save(plan=plan, texts={themes[0].pk: "Vores egne ord"}, focus_principles=[])
    assert "Vores egne ord" in _read(reader, plan)
    services.plan_translation_save(plan=plan, texts={themes[0].pk: "Nye ord"}, focus_principles=[])
    body = _read(reader, plan)
    assert "Nye ord" in body and "Tidligere tekst (1)" in body


def test_a_restored_text_shows_on_the_next_read(plan, reader, themes):
    services.plan_translation_save(plan=plan, texts={themes[0].pk: "Først"}, focus_principles=[])
    services.plan_translation_save(plan=plan, texts={themes[0].pk: "Siden"}, focus_principles=[])
    _read(reader, plan)
    revision = PlanTranslationRevision.objects.get(plan=plan, text="Først")
    services.plan_translation_restore(plan=plan, revision=revision)
    assert '<p class="plan-text">Først</p>' in _read(reader, plan)


def test_activities_made_changed_and_removed_show_on_the_next_read(org, plan, reader, make_activity):
    activity = make_activity(plan, title="Temadag om tillid")
    assert "Temadag om tillid" in _read(reader, plan)
    services.activity_update(activity=activity, data=activity_data(org, title="Temadag om mod"))
    assert "Temadag om mod" in _read(reader, plan)
    services.activity_outcome_save(activity=activity, outcome="Vi aftalte tre ting")
    assert "Vi aftalte tre ting" in _read(reader, plan)
    services.activity_delete(activity=activity)  # raises only the plan's lock_version
    assert "Temadag om mod" not in _read(reader, plan)


def test_co_owners_and_the_history_show_on_the_next_read(org, plan, reader, make_activity):
    make_activity(plan)
    _read(reader, plan)
    services.plan_co_owners_set(plan=plan, co_owners=[org.people["employee"]], user=org.users["leader2"])
    assert org.people["employee"].name in _read(reader, plan).split("Medejere", 1)[1].split("</dd>", 1)[0]
    submitted(org, plan)
    assert "Indsendt" in _read(reader, plan).split('id="history-title"', 1)[1]


def test_the_content_is_read_again_when_the_plan_changes(org, plan, make_activity):
    """The key names the plan's lock_version and updated_at and the version's stamp."""
    before = selectors._plan_content_key(plan)
    make_activity(plan)
    plan.refresh_from_db()
    assert selectors._plan_content_key(plan) != before


def test_a_translation_edited_in_the_admin_shows_on_the_next_read(org, plan, reader, themes, client_for_admin):
    services.plan_translation_save(plan=plan, texts={themes[0].pk: "Vores ord"}, focus_principles=[])
    assert "Vores ord" in _read(reader, plan)
    translation = plan.translations.get(theme=themes[0])
    url = reverse("admin:dialogues_plantranslation_change", args=[translation.pk])
    response = client_for_admin.post(url, {"plan": plan.pk, "theme": themes[0].pk, "text": "Rettet af administratoren"})
    assert response.status_code == 302
    assert "Rettet af administratoren" in _read(reader, plan)
    delete = reverse("admin:dialogues_plantranslation_delete", args=[translation.pk])
    assert client_for_admin.post(delete, {"post": "yes"}).status_code == 302
    assert "Rettet af administratoren" not in _read(reader, plan)


@pytest.mark.parametrize("who", ["leader", "employee", None])
def test_only_the_administrator_edits_a_translation_in_the_admin(org, plan, themes, client, who):
    services.plan_translation_save(plan=plan, texts={themes[0].pk: "Vores ord"}, focus_principles=[])
    translation = plan.translations.get(theme=themes[0])
    if who:
        client.force_login(org.users[who])
    url = reverse("admin:dialogues_plantranslation_change", args=[translation.pk])
    response = client.post(url, {"plan": plan.pk, "theme": themes[0].pk, "text": "Ikke deres"})
    # Sent to sign in (the site's, or the admin's for those signed in without staff access).
    assert response.status_code == 302
    assert response["Location"].startswith(("/accounts/login/", "/admin/login/"))
    translation.refresh_from_db()
    assert translation.text == "Vores ord"


# Each theme's and activity's HTML for every reader is kept in the cache too (dialogues.plan_page.content_html_attach),
# under the content's stamp, the language and the day; what differs by reader is not.


def test_an_activity_that_passes_its_day_is_marked_overdue_the_next_day(org, plan, reader, make_activity, monkeypatch):
    today = timezone.localdate()
    make_activity(plan, title="Temadag i dag", date=today)
    assert "forsinket</span>" not in _read(reader, plan)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + timedelta(days=1))
    assert "forsinket</span>" in _read(reader, plan)


def test_the_cached_activities_carry_nothing_of_the_reader_who_read_them_first(org, plan, make_activity):
    """The editor's edit links and copy forms, and the responsible's outcome link, are the
    reader's own: another reader after them gets none of them, and they get theirs back."""
    make_activity(plan, title="Temadag om tillid", responsible=org.people["employee"])
    services.plan_create(user=org.users["leader"], rollout=plan.rollout, unit=org.units["A"])
    clients = {}
    for name in ("leader2", "employee", "leader3"):
        clients[name] = Client()
        clients[name].force_login(org.users[name])
    edit, outcome, copy = (
        "Redigér “Temadag om tillid”",
        "Skriv, hvad der kom ud af “Temadag om tillid”",
        "Kopiér “Temadag",
    )
    for _round in range(2):
        owner, responsible, other = (_read(clients[n], plan) for n in ("leader2", "employee", "leader3"))
        assert edit in owner and outcome not in owner
        assert outcome in responsible and edit not in responsible and copy not in responsible
        assert edit not in other and outcome not in other
    leader = Client()
    leader.force_login(org.users["leader"])
    assert copy in _read(leader, plan)  # a leader above, with a plan of their own to copy into
    assert copy not in _read(clients["employee"], plan)


@pytest.mark.parametrize("who", ["leader2", "leader", "employee"])
def test_the_page_asks_the_same_few_queries_at_two_sizes(org, rollout, plan, who):
    """The owner, a leader above and an employee: from the cache, the sign-in's and the
    layout's queries and the page's three (the plan with its hearing and MED rights, the
    plans below, the reader's plans to copy into); a hearing adds its own."""
    from tests.dialogues.test_plan_pages import _count, _grow

    client = Client()
    client.force_login(org.users[who])
    url = plan.get_absolute_url()
    _grow(org, rollout, plan, 2)
    _count(client, url)
    small = _count(client, url)
    _grow(org, rollout, plan, 6)
    _count(client, url)
    assert _count(client, url) == small == PAGE_QUERIES


def test_each_copy_form_has_a_one_time_key_of_its_own_and_copies(org, plan, make_activity):
    """The copy forms are made once per request with the same choices, each with its own key:
    copying one activity and then another from the same page copies both."""
    first, second = make_activity(plan, title="Første"), make_activity(plan, title="Anden")
    target = services.plan_create(user=org.users["leader"], rollout=plan.rollout, unit=org.units["A"])
    client = Client()
    client.force_login(org.users["leader"])
    html = _read(client, plan)
    keys = re.findall(rf'name="{ONCE_FIELD}" value="([0-9a-f]+)"', html)
    assert len(keys) == len(set(keys)) == 2
    for activity, key in zip((first, second), keys, strict=True):
        url = reverse("dialogues:activity_copy", args=[plan.pk, activity.pk])
        assert f'action="{url}"' in html
        response = client.post(url, {"target": target.pk, ONCE_FIELD: key})
        assert response.status_code == 302
    assert sorted(target.activities.values_list("title", flat=True)) == ["Anden", "Første"]


def test_the_chain_lists_the_plans_below_read_on_every_request(org, plan, reader):
    """The plans below are not part of the cached content: a plan started below shows at once."""
    assert "Ingen enhed under har endnu en plan" in _read(reader, plan).split('id="chain-title"', 1)[1]
    section = person_in(org, "A1a", "Signe Sektionsleder", "signe")
    Person.objects.filter(pk=section.pk).update(is_leader=True)
    below = services.plan_create(user=section.user, rollout=plan.rollout, unit=org.units["A1a"], carry_on=True)
    chain = _read(reader, plan).split('id="chain-title"', 1)[1].split("</section>", 1)[0]
    assert f'<a href="{below.get_absolute_url()}">Afsnit A1a</a> – Kladde (startet ud fra denne plan)' in chain
