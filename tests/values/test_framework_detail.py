import pytest

from tests.values.factories import add_questions_and_links, framework_data, make_framework
from values.services import framework_load


def test_it_shows_the_structure_with_contents_and_anchors(client, org, frameworks):
    client.force_login(org.users["employee"])
    r = client.get("/ledelsesgrundlag/rn-ledelsesgrundlaget/")
    html = r.content.decode()
    assert r.status_code == 200
    assert '<a href="#ledelse-op">Ledelse op</a>' in html
    assert 'id="ledelse-op"' in html
    assert 'href="/ledelsesgrundlag/rn-ledelsesgrundlaget/vi-praktiserer-det-dobbelte-lederskab/"' in html
    assert "Vi bidrager aktivt til det fælles bedste." in html
    # The order of the directions is the source's.
    positions = [
        html.index(f'id="{key}"') for key in ("ledelse-op", "ledelse-ned", "ledelse-paa-tvaers", "ledelse-ind")
    ]
    assert positions == sorted(positions)


def test_it_shows_related_items_from_other_frameworks(client, org, frameworks):
    client.force_login(org.users["employee"])
    html = client.get("/ledelsesgrundlag/regionssekretariatet-ledelses-og-vaerdigrundlag/").content.decode()
    assert "Hænger sammen med" in html
    assert 'href="/ledelsesgrundlag/rm-god-ledelse-og-styring/dialog/"' in html


def test_it_marks_the_reflection_questions_as_the_projects_own(client, org, frameworks):
    client.force_login(org.users["employee"])
    html = client.get("/ledelsesgrundlag/rn-ledelsesgrundlaget/").content.decode()
    assert "Refleksionsspørgsmål" in html
    assert "ikke en del af kildeteksten" in html


def test_it_shows_the_parent_framework(client, org, frameworks):
    client.force_login(org.users["employee"])
    html = client.get("/ledelsesgrundlag/regionssekretariatet-ledelses-og-vaerdigrundlag/").content.decode()
    assert "Står under" in html and 'href="/ledelsesgrundlag/rm-god-ledelse-og-styring/"' in html


def test_an_unknown_framework_is_404(client, org):
    client.force_login(org.users["employee"])
    assert client.get("/ledelsesgrundlag/findes-ikke/").status_code == 404
    assert client.get("/ledelsesgrundlag/findes-ikke/version/1/").status_code == 404


def test_a_draft_is_404_for_readers_and_visible_to_editors(client, org):
    make_framework(slug="kladde", status="kladde", owner_unit="Hospital A")
    client.force_login(org.users["employee"])
    assert client.get("/ledelsesgrundlag/kladde/").status_code == 404
    assert client.get("/ledelsesgrundlag/kladde/tema-1/").status_code == 404
    client.force_login(org.users["hr"])
    assert client.get("/ledelsesgrundlag/kladde/").status_code == 200


def test_earlier_versions_stay_readable(client, org):
    make_framework(slug="g", text="Gammel")
    framework_load(data=framework_data(slug="g", text="Ny"), frameworks={})
    client.force_login(org.users["employee"])
    current = client.get("/ledelsesgrundlag/g/").content.decode()
    assert "Ny om tema 1." in current and "Gammel om tema 1." not in current
    assert 'href="/ledelsesgrundlag/g/version/1/"' in current
    old = client.get("/ledelsesgrundlag/g/version/1/").content.decode()
    assert "Gammel om tema 1." in old
    assert "som ikke er den gældende" in old
    assert 'href="/ledelsesgrundlag/g/version/1/tema-1/"' in old
    assert client.get("/ledelsesgrundlag/g/version/3/").status_code == 404


def test_it_offers_a_print_stylesheet(client, org, frameworks):
    client.force_login(org.users["employee"])
    html = client.get("/ledelsesgrundlag/rm-personalepolitik/").content.decode()
    assert 'media="print"' in html


@pytest.mark.parametrize("url", ["/ledelsesgrundlag/g/", "/ledelsesgrundlag/g/tema-1/"])
def test_a_large_framework_runs_a_fixed_number_of_queries(client, org, url, django_assert_max_num_queries):
    client.force_login(org.users["employee"])
    partner = make_framework(slug="p", title="Partner")
    large = make_framework(slug="g", themes=12, principles=9)
    add_questions_and_links(large, partner)
    # Uncached (the first request): the version's text, questions and links in a fixed
    # number of queries, however many items (117 here), questions and links there are
    # (+1 for the plans panel, dialogues.panels through ITEM_PAGE_PANELS).
    with django_assert_max_num_queries(13):
        html = client.get(url).content.decode()
    assert "Spørgsmål om princip-1-9?" in html and 'href="/ledelsesgrundlag/p/tema-1/"' in html
