import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.values.factories import make_framework
from values.models import Item

URL = "/ledelsesgrundlag/soeg/"

# Also run on SQLite by make test (the SQLite search path ranks in Python).
pytestmark = pytest.mark.sqlite


@pytest.fixture
def reader(client, org, frameworks):
    client.force_login(org.users["employee"])
    return client


def _hits(client, **params):
    r = client.get(URL, params)
    assert r.status_code == 200
    # The results are rendered in their own template (and cached): no results, no "hits".
    return r.context.get("hits"), r.content.decode()


def _trust(*texts: str) -> bool:
    return any(re.search(r"\btillid", text or "", re.IGNORECASE) for text in texts)


def test_tillid_finds_trust_in_every_document(reader):
    hits, html = _hits(reader, q="tillid")
    found = {hit.item.version.framework.slug for hit in hits}
    # Every framework whose text speaks of trust (tillid, tilliden, tillidsfuldt ...), found
    # here by a word-beginning regex in Python, so the test runs on SQLite too.
    rows = Item.objects.values_list(
        "pk", "title", "body", "after", "version__framework__slug", "version__framework__current_version", "version"
    )
    expected = {slug for _pk, title, body, _after, slug, _current, _version in rows if _trust(title, body)}
    assert len(expected) >= 4
    assert expected <= found
    # And every single item that speaks of trust, not just one per framework.
    items = {
        pk
        for pk, title, body, after, _slug, current, version in rows
        if _trust(title, body, after) and current == version
    }
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


@pytest.mark.postgresql  # the stop words are PostgreSQL's Danish dictionary's
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
    client.get(URL)  # what every page keeps in the shared cache (the menu's LUS answer)
    small = _queries(client)
    make_framework(slug="b", themes=10, principles=8)
    make_framework(slug="c", themes=10, principles=8)
    assert _queries(client) == small


def test_an_unknown_filter_gets_a_clear_message(reader):
    hits, html = _hits(reader, q="tillid", framework="findes-ikke")
    assert hits is None
    assert "Vælg et grundlag fra listen." in html


# --- Ranking (the suite's database is PostgreSQL: these are its tiers) ---------------------


def _titles(client, q, **params) -> list[str]:
    hits, _ = _hits(client, q=q, **params)
    return [h.item.title for h in hits]


def test_tillid_puts_gensidig_tillid_first(reader):
    titles = _titles(reader, "tillid")
    assert titles[0] == "Gensidig tillid"


def test_dristighed_puts_the_value_before_the_introduction(reader):
    hits, _ = _hits(reader, q="dristighed")
    titles = [h.item.title for h in hits]
    values = [i for i, h in enumerate(hits) if h.item.title.rstrip(".") == "Dristighed"]
    assert values and values[0] == 0 and len(values) == 2
    # Every text that only names the word comes after both values and the theme that has it.
    assert titles.index("Udvikling, nytænkning og rum for dristighed") == 2
    intro = next(i for i, h in enumerate(hits) if h.item.title == "Forord.")
    assert intro > max(values)


def test_ledelse_ned_puts_the_theme_first_and_word_beginnings_last(reader):
    hits, _ = _hits(reader, q="ledelse ned")
    assert hits[0].item.title == "Ledelse ned"
    tiers = [h.tier for h in hits]
    assert tiers == sorted(tiers)


def test_hits_link_to_their_place_in_the_framework(reader):
    hits, html = _hits(reader, q="tillid")
    first = hits[0]
    assert first.url == "/ledelsesgrundlag/regionssekretariatet-ledelses-og-vaerdigrundlag/#gensidig-tillid"
    assert f'href="{first.url}"' in html


def test_a_snippet_starts_near_the_word_and_ends_on_a_word(reader):
    hits, _ = _hits(reader, q="tillid")
    snippets = [str(h.snippet) for h in hits if h.snippet]
    assert all("<mark>" in s for s in snippets[:5])
    for s in snippets:
        if s.endswith("…"):
            # The word before the ellipsis is whole: the snippet was cut at a space.
            assert s[-2] == " "


def test_more_than_a_page_of_hits_pages(client, org):
    for n in range(3):
        make_framework(slug=f"f{n}", themes=5, principles=3)
    client.force_login(org.users["employee"])
    r = client.get(URL, {"q": "tillid"})
    html = r.content.decode()
    assert 'class="pagination"' in html and "?q=tillid&amp;page=2" in html
    first = {h.item.pk for h in r.context["hits"]}
    second = client.get(URL, {"q": "tillid", "page": 2}).context["hits"]
    assert second and not first & {h.item.pk for h in second}


def test_an_empty_result_says_which_filter_excluded_everything(reader):
    hits, html = _hits(reader, q="dristighed", framework="rn-ledelsesgrundlaget")
    assert hits == []
    assert "Grundlaget »Ledelsesgrundlaget« har ingen af dem" in html
    assert 'href="?q=dristighed"' in html


# --- The SQLite path's scorer (same tiers, plain word matching) ----------------------------


def _score(title, text, q):
    from values.selectors import search_score, search_terms

    return search_score(title=title, text=text, q=q, terms=search_terms(q))


def test_the_scorer_ranks_titles_then_exact_then_inflected_then_word_beginnings():
    from values.selectors import Tier

    assert _score("Dristighed.", "", "dristighed")[0] == Tier.TITLE_EXACT
    assert _score("Ledelse ned", "Rollen ...", "ledelse ned")[0] == Tier.TITLE_EXACT
    assert _score("Gensidig tillid", "", "tillid")[0] == Tier.TITLE_PHRASE
    assert _score("Tilliden vokser", "", "tillid")[0] == Tier.TITLE_WORDS
    assert _score("Forord", "Vi har tillid til dig.", "tillid")[0] == Tier.TEXT_PHRASE
    assert _score("Forord", "Ned med ledelse.", "ledelse ned")[0] == Tier.TEXT_WORDS
    assert _score("Forord", "Tilliden er stor.", "tillid")[0] == Tier.TEXT_STEMMED
    assert _score("Forord", "Vi uddelegerer tillidsfuldt.", "tillid")[0] == Tier.WORD_BEGINNING
    assert _score("Forord", "Mistillid.", "tillid") is None


def test_the_sqlite_ordering_puts_the_value_before_a_long_introduction():
    from values.selectors import _Candidate, search_score, search_terms, sort_candidates

    intro = "Vi bygger på dialog, dygtighed og dristighed. " + "Lang tekst om mange ting. " * 40
    items = [
        ("Forord", intro, 1),
        ("Ledelse på tværs", "Dristighed i samarbejdet.", 2),
        ("Dristighed", "viser sig i faglig nysgerrighed.", 3),
        ("Udvikling og rum for dristighed", "", 4),
    ]
    terms = search_terms("dristighed")
    candidates = []
    for title, text, position in items:
        tier, rank = search_score(title=title, text=text, q="dristighed", terms=terms)
        candidates.append(_Candidate(position, tier, rank, "f", "F", "r", position))
    order = [items[c.pk - 1][0] for c in sort_candidates(candidates)]
    assert order == ["Dristighed", "Udvikling og rum for dristighed", "Ledelse på tværs", "Forord"]


def test_snippets_are_cut_between_words_around_the_first_mark():
    from values.selectors import snippet_around_mark

    words = [f"ord{i}" for i in range(100)]
    words[50] = "\x02tillid\x03"
    snippet = snippet_around_mark(" ".join(words), words=10, before=3)
    assert snippet == "… ord47 ord48 ord49 \x02tillid\x03 ord51 ord52 ord53 ord54 ord55 ord56 …"
    assert snippet_around_mark("kort \x02tillid\x03") == "kort \x02tillid\x03"
