import pytest
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext

from tests.values.factories import make_framework
from values.models import Item

URL = "/ledelsesgrundlag/soeg/"


@pytest.fixture
def reader(client, org, frameworks):
    client.force_login(org.users["employee"])
    return client


def _hits(client, **params):
    r = client.get(URL, params)
    assert r.status_code == 200
    # The results are rendered in their own template (and cached): no results, no "hits".
    return r.context.get("hits"), r.content.decode()


def test_tillid_finds_trust_in_every_document(reader):
    hits, html = _hits(reader, q="tillid")
    found = {hit.item.version.framework.slug for hit in hits}
    # Every framework whose text speaks of trust (tillid, tilliden, tillidsfuldt ...).
    expected = set(
        Item.objects.filter(Q(body__iregex=r"\mtillid") | Q(title__iregex=r"\mtillid")).values_list(
            "version__framework__slug", flat=True
        )
    )
    assert len(expected) >= 4
    assert expected <= found
    # And every single item that speaks of trust, not just one per framework.
    items = set(
        Item.objects.filter(Q(body__iregex=r"\mtillid") | Q(title__iregex=r"\mtillid") | Q(after__iregex=r"\mtillid"))
        .filter(version__framework__current_version=F("version"))
        .values_list("pk", flat=True)
    )
    assert items and items <= {hit.item.pk for hit in hits}
    assert "<mark>" in html
    assert any(hit.item.title == "Gensidig tillid" for hit in hits)


def test_inflected_forms_find_each_other(reader):
    hits, _ = _hits(reader, q="samarbejdspartner")
    assert any("samarbejdspartnere" in (hit.item.body + hit.item.title).lower() for hit in hits)
    hits_plural, _ = _hits(reader, q="samarbejdspartnere")
    assert {h.item.pk for h in hits} == {h.item.pk for h in hits_plural}


def test_a_title_match_ranks_above_a_match_in_the_text(client, org):
    make_framework(slug="a", title="A", text="Her nævnes ordet samskabelse i teksten")
    make_framework(slug="b", title="B", text="Andet")
    from values.models import Item

    # A write past the services: the database keeps the search vector current itself.
    Item.objects.filter(version__framework__slug="b", key="tema-1").update(title="Samskabelse")
    client.force_login(org.users["employee"])
    hits, _ = _hits(client, q="samskabelse")
    assert len(hits) > 1
    assert hits[0].item.title == "Samskabelse"


def test_it_filters_by_framework_and_region(reader):
    hits, _ = _hits(reader, q="tillid", framework="rn-ledelsesgrundlaget")
    assert hits and {h.item.version.framework.slug for h in hits} == {"rn-ledelsesgrundlaget"}
    hits, _ = _hits(reader, q="tillid", region="region-midtjylland")
    assert hits and {h.item.version.framework.region.name for h in hits} == {"Region Midtjylland"}


def test_an_empty_search_gets_a_clear_message(reader):
    hits, html = _hits(reader, q="   ")
    assert hits is None
    assert "Skriv et eller flere søgeord." in html


def test_a_1000_character_search_gets_a_clear_message(reader):
    hits, html = _hits(reader, q="a" * 1000)
    assert hits is None
    assert "Søgningen er for lang: højst 200 tegn, du skrev 1000." in html


def test_punctuation_only_gets_a_clear_message(reader):
    _, html = _hits(reader, q="!!! ???")
    assert "mindst ét ord" in html


def test_query_syntax_is_not_interpreted(reader):
    hits, _ = _hits(reader, q="tillid & | ! :* ('")
    assert hits  # the operators are dropped, the word is searched


def test_only_common_words_get_a_clear_message(reader):
    hits, html = _hits(reader, q="og at")
    assert hits is None
    assert "kun af meget almindelige ord" in html


def test_no_hits_says_so(reader):
    hits, html = _hits(reader, q="rumfærgeprogram")
    assert hits == []
    assert "Ingen tekst i grundlagene matcher søgningen" in html


def test_snippets_are_escaped(client, org):
    make_framework(slug="x", text="<script>alert(1)</script> tillid")
    client.force_login(org.users["employee"])
    hits, html = _hits(client, q="tillid")
    assert hits
    assert "<script>alert(1)</script>" not in html


def test_only_the_highlight_becomes_markup():
    from values.selectors import _marked_snippet

    assert _marked_snippet("a <b>\x02tillid\x03</b>") == "a &lt;b&gt;<mark>tillid</mark>&lt;/b&gt;"


def test_drafts_are_not_searched_by_readers(client, org):
    make_framework(slug="kladde", text="Hemmelighedsfuld", status="kladde")
    client.force_login(org.users["employee"])
    hits, _ = _hits(client, q="hemmelighedsfuld")
    assert hits == []


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        client.get(URL, {"q": "tillid"})
    return len(ctx.captured_queries)


def test_it_runs_a_fixed_number_of_queries_whatever_the_size(client, org):
    client.force_login(org.users["employee"])
    make_framework(slug="a", themes=1, principles=1)
    small = _queries(client)
    make_framework(slug="b", themes=10, principles=8)
    make_framework(slug="c", themes=10, principles=8)
    assert _queries(client) == small


def test_an_unknown_filter_gets_a_clear_message(reader):
    hits, html = _hits(reader, q="tillid", framework="findes-ikke")
    assert hits is None
    assert "Vælg et grundlag fra listen." in html
