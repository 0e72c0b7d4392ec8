"""The reading pages keep what depends only on a version in the cache (values.views), under
the version's changed stamp: an edit shows at once, the cached page runs fewer queries,
and nothing of a draft or of one user reaches another."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.values.factories import add_questions_and_links, make_framework
from values import services
from values.models import Item, ReflectionQuestion

PAGES = [
    "/ledelsesgrundlag/g/",
    "/ledelsesgrundlag/g/tema-1/",
    "/ledelsesgrundlag/sammenlign/?a=g&b=p",
    "/ledelsesgrundlag/soeg/?q=tillid",
]


@pytest.fixture
def framework(org):
    partner = make_framework(slug="p", title="Partner", owner_unit="Afdeling A1")
    framework = make_framework(slug="g", themes=3, principles=3, owner_unit="Hospital A")
    add_questions_and_links(framework, partner)
    return framework


def _get(client, url: str) -> tuple[str, int]:
    """The page without its per-request CSRF token, and how many queries it ran."""
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", r.content.decode()), len(ctx.captured_queries)


@pytest.mark.parametrize("url", PAGES)
def test_a_cached_page_runs_fewer_queries_and_reads_the_same(client, org, framework, url):
    client.force_login(org.users["employee"])
    first, uncached = _get(client, url)
    again, cached = _get(client, url)
    assert again == first
    assert cached < uncached
    # Session, user, roles (2), unread notifications, the framework(s) and their versions;
    # an item page also asks the panels other apps add (the plans that work with the item).
    panels = 1 if url == "/ledelsesgrundlag/g/tema-1/" else 0
    assert cached <= 7 + panels


def _question(framework) -> ReflectionQuestion:
    item = Item.objects.get(version=framework.current_version, key="tema-1")
    return item.questions.get()


def test_a_question_edited_in_the_admin_shows_at_once(client, org, framework):
    client.force_login(org.users["employee"])
    for url in PAGES[:2]:
        assert "Spørgsmål om tema-1?" in client.get(url).content.decode()
    question = _question(framework)
    client.force_login(org.users["hr"])
    r = client.post(
        f"/admin/values/item/{question.item_id}/change/",
        {
            "questions-TOTAL_FORMS": 1,
            "questions-INITIAL_FORMS": 1,
            "questions-0-id": question.pk,
            "questions-0-item": question.item_id,
            "questions-0-position": 1,
            "questions-0-text": "Hvad betyder tillid her?",
            "questions-0-is_project_text": "on",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    client.force_login(org.users["employee"])
    for url in PAGES[:2]:
        html = client.get(url).content.decode()
        assert "Hvad betyder tillid her?" in html and "Spørgsmål om tema-1?" not in html


def test_a_published_draft_shows_at_once(client, org, framework):
    client.force_login(org.users["employee"])
    client.get("/ledelsesgrundlag/g/")
    assert "Tema 1" in client.get("/ledelsesgrundlag/p/").content.decode()  # linked from g
    draft = services.version_draft_create(version=framework.current_version)
    item = Item.objects.get(version=draft, key="tema-1")
    services.item_update(user=org.users["hr"], item=item, changes={"title": "Tema om samskabelse"})
    assert "Tema om samskabelse" not in client.get("/ledelsesgrundlag/p/").content.decode()  # a draft's
    services.version_publish(version=draft)
    assert "Tema om samskabelse" in client.get("/ledelsesgrundlag/g/").content.decode()
    # The partner's page now shows the links from g's new version.
    assert "Tema om samskabelse" in client.get("/ledelsesgrundlag/p/").content.decode()
    # The archived version's page is its own (links to its own items), not the current one's.
    old = client.get("/ledelsesgrundlag/g/version/1/").content.decode()
    assert "Tema om samskabelse" not in old and 'href="/ledelsesgrundlag/g/version/1/tema-1/"' in old


def test_a_linked_framework_renamed_shows_on_the_pages_linking_to_it(client, org, framework):
    client.force_login(org.users["employee"])
    assert "(Partner)" in client.get("/ledelsesgrundlag/g/").content.decode()
    partner = framework.__class__.objects.get(slug="p")
    services.framework_update(user=org.users["hr"], framework=partner, changes={"title": "Partnerskab"})
    html = client.get("/ledelsesgrundlag/g/").content.decode()
    assert "(Partnerskab)" in html and "(Partner)" not in html


def test_a_new_link_shows_at_once_on_both_ends(client, org, framework):
    second = make_framework(slug="a1", title="Afdelingens grundlag", owner_unit="Afdeling A1")
    client.force_login(org.users["employee"])
    client.get("/ledelsesgrundlag/g/")
    client.get("/ledelsesgrundlag/a1/")
    services.item_link_create(
        user=org.users["hr"],
        source=Item.objects.get(version=framework.current_version, key="tema-2"),
        target=Item.objects.get(version=second.current_version, key="tema-1"),
        note="En ny forbindelse",
    )
    assert "En ny forbindelse" in client.get("/ledelsesgrundlag/g/").content.decode()
    assert "En ny forbindelse" in client.get("/ledelsesgrundlag/a1/").content.decode()


def test_an_editors_draft_page_is_not_served_to_readers(client, org):
    make_framework(slug="kladde", title="Et kladdegrundlag", status="kladde", owner_unit="Hospital A")
    client.force_login(org.users["hr"])
    assert client.get("/ledelsesgrundlag/kladde/").status_code == 200
    assert client.get("/ledelsesgrundlag/kladde/tema-1/").status_code == 200
    client.force_login(org.users["employee"])
    assert client.get("/ledelsesgrundlag/kladde/").status_code == 404
    assert client.get("/ledelsesgrundlag/kladde/tema-1/").status_code == 404


def test_an_editors_search_with_drafts_is_not_served_to_readers(client, org):
    make_framework(slug="kladde", text="Hemmelighedsfuld", status="kladde", owner_unit="Hospital A")
    client.force_login(org.users["hr"])
    assert "Hemmelighedsfuld" in client.get("/ledelsesgrundlag/soeg/?q=hemmelighedsfuld").content.decode()
    client.force_login(org.users["employee"])
    assert "Hemmelighedsfuld" not in client.get("/ledelsesgrundlag/soeg/?q=hemmelighedsfuld").content.decode()


def test_the_person_in_the_header_is_never_cached(client, org, framework):
    client.force_login(org.users["hr"])
    assert "Hanne HR" in client.get("/ledelsesgrundlag/g/").content.decode()
    client.force_login(org.users["employee"])
    html = client.get("/ledelsesgrundlag/g/").content.decode()
    assert "Emil Medarbejder" in html and "Hanne HR" not in html


def test_the_front_pages_reflection_questions_come_from_the_cache_and_an_edit_shows_at_once(client, org, framework):
    """The day's reflection questions on the front page are kept in the shared cache under
    the frameworks' changed stamps (values.selectors.reading_questions)."""
    client.force_login(org.users["leader2"])  # leads Afdeling A1, under Hospital A
    first = client.get("/")
    shown = first.context["questions"]
    assert shown and shown[0].text in first.content.decode()
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    assert not any("values_reflectionquestion" in q["sql"] for q in ctx.captured_queries)
    item = Item.objects.get(version=framework.current_version, key=shown[0].key)
    question = item.questions.get()
    client.force_login(org.users["hr"])
    r = client.post(
        f"/admin/values/item/{item.pk}/change/",
        {
            "questions-TOTAL_FORMS": 1,
            "questions-INITIAL_FORMS": 1,
            "questions-0-id": question.pk,
            "questions-0-item": item.pk,
            "questions-0-position": 1,
            "questions-0-text": "Hvad betyder tillid her?",
            "questions-0-is_project_text": "on",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    client.force_login(org.users["leader2"])
    html = client.get("/").content.decode()
    assert "Hvad betyder tillid her?" in html and shown[0].text not in html
