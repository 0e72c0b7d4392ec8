"""How the frameworks read on the page: headings, lead-in sentences, links and units, the
project's own additions noted once, pages that lead on, and no technical detail."""

import re

URL = "/ledelsesgrundlag/"


def _html(client, org, path):
    client.force_login(org.users["employee"])
    r = client.get(URL + path)
    assert r.status_code == 200
    return r.content.decode()


def test_headings_drop_the_sources_lead_in_punctuation(client, org, frameworks):
    html = _html(client, org, "rm-god-ledelse-og-styring/")
    assert re.search(r'id="maalopfyldelse-title"[^>]*>Målopfyldelse <a', html)
    assert "Målopfyldelse:" not in re.sub(r"<p>.*?</p>", "", html, flags=re.S)


def test_a_heading_that_starts_the_sentence_is_repeated_so_it_reads_whole(client, org, frameworks):
    html = _html(client, org, "rm-god-ledelse-og-styring/")
    assert '<p><strong class="fw-lead-in">Dialog</strong> betyder, at vi lytter' in html


def test_web_addresses_are_links_and_units_are_set_right(client, org, frameworks):
    html = _html(client, org, "rm-god-ledelse-og-styring/")
    assert '<a href="https://www.godledelse.intra.rm.dk">www.godledelse.intra.rm.dk</a>' in html
    assert "13.005 km²" in html and "km2" not in html


def test_the_projects_own_additions_are_noted_once_per_page(client, org, frameworks):
    html = _html(client, org, "rm-god-ledelse-og-styring/")
    assert html.count("Forbindelserne er intranettets egen læsning") == 1
    assert html.count("Spørgsmålene er skrevet til dette intranet") == 1


def test_a_themes_questions_are_labelled_as_the_themes(client, org, frameworks):
    html = _html(client, org, "rn-ledelsesgrundlaget/")
    assert "Refleksionsspørgsmål til temaet »Ledelse op«" in html


def test_the_page_shows_no_loader_note_editor_note_or_missing_dates(client, org, frameworks):
    html = _html(client, org, "rm-personalepolitik/")
    assert "Indlæst fra datafil" not in html
    assert "Teksten har ingen titellinje" not in html
    assert "Ingen datoer i kilden" not in html
    assert "Version 1</strong> (gældende)" in html
    assert "Region Midtjylland: Personalepolitik (PDF)" in html
    assert "Ingen datoer i kilden" not in _html(client, org, "")


def test_a_bullet_point_shows_the_text_it_belongs_to(client, org, frameworks):
    html = _html(client, org, "regionssekretariatet-ledelses-og-vaerdigrundlag/gensidig-tillid/")
    assert "I temaet »Åben og ligeværdig dialog«" in html
    assert "Vi tilstræber en ligeværdig dialog" in html
    assert '<strong aria-current="page">Gensidig tillid</strong>' in html
    assert "Ingen forbindelser" not in html


def test_an_item_without_links_shows_no_empty_links_box(client, org, frameworks):
    html = _html(client, org, "regionssekretariatet-ledelses-og-vaerdigrundlag/respektfuld-feedback/")
    assert 'id="related-title"' not in html


def test_theme_and_principle_pages_lead_to_the_previous_and_next(client, org, frameworks):
    html = _html(client, org, "rn-ledelsesgrundlaget/ledelse-ned/")
    assert 'href="/ledelsesgrundlag/rn-ledelsesgrundlaget/ledelse-op/" rel="prev"' in html
    assert 'href="/ledelsesgrundlag/rn-ledelsesgrundlaget/ledelse-paa-tvaers/" rel="next"' in html
    first = _html(client, org, "rn-ledelsesgrundlaget/vi-praktiserer-det-dobbelte-lederskab/")
    assert 'rel="prev"' not in first and 'rel="next"' in first


def test_the_site_and_the_menu_have_names_of_their_own(client, org, frameworks):
    html = _html(client, org, "rn-ledelsesgrundlaget/")
    assert "<title>Ledelsesgrundlaget – Ledelsesportalen</title>" in html
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)
    assert "Grundlag" in crumbs and "Ledelsesgrundlag<" not in crumbs
    assert "<span>Grundlag</span>" in html  # the menu item
