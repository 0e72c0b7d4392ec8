import re

from values import selectors
from values.models import Framework

URL = "/ledelsesgrundlag/sammenlign/"


def test_it_lines_up_linked_items_with_their_text_under_the_themes(client, org, frameworks):
    client.force_login(org.users["employee"])
    r = client.get(URL, {"a": "regionssekretariatet-ledelses-og-vaerdigrundlag", "b": "rm-god-ledelse-og-styring"})
    html = r.content.decode()
    assert r.status_code == 200
    # The first row under the theme: the theme beside the value it is linked with, on one row.
    row = re.search(r'<div class="fw-compare__row">(.*?)</div>\s*</div>\s*</div>', html, re.S).group(1)
    assert "Åben og ligeværdig dialog" in row and 'href="/ledelsesgrundlag/rm-god-ledelse-og-styring/dialog/"' in row
    assert "betyder, at vi lytter" in row  # the linked value's text
    assert "<details>" in html  # long texts fold out
    assert html.index("Det, der hænger sammen") < html.index("Uden forbindelse til det andet")


def test_the_linked_rows_follow_the_first_frameworks_order_and_themes(client, org, frameworks):
    a = Framework.objects.get(slug="rn-ledelsesgrundlaget")
    b = Framework.objects.get(slug="rm-god-ledelse-og-styring")
    comparison = selectors.frameworks_compare(first=a, second=b)
    positions = [p.left.item.position for g in comparison.linked for p in g.pairs]
    assert positions and positions == sorted(positions)
    assert all(g.heading is None or g.heading.kind == "theme" for g in comparison.linked)
    linked = {p.left.item.pk for g in comparison.linked for p in g.pairs}
    assert not linked & {i.pk for g in comparison.only_first for i in g.items}
    assert all(e.item.version.framework_id == b.pk for g in comparison.linked for p in g.pairs for e in p.right)


def test_the_form_starts_on_the_persons_region_and_another(client, org, frameworks):
    from ledelse.models import Region

    client.force_login(org.users["employee"])
    html = client.get(URL).content.decode()
    assert "fw-compare__row" not in html and "Der er problemer" not in html
    selected = re.findall(r'<input type="radio"[^>]*value="([^"]+)"[^>]*checked', html)
    assert len(selected) == 2 and selected[0] != selected[1]
    region = org.people["employee"].unit.region
    first = Framework.objects.get(slug=selected[0])
    if Framework.objects.filter(region=region).exists():
        assert first.region == region
    assert Region.objects.count() >= 1


def test_the_defaults_pick_the_regions_main_framework_and_another_regions(frameworks):
    frameworks_ = list(Framework.objects.select_related("region"))
    rm = next(f for f in frameworks_ if f.slug == "rm-god-ledelse-og-styring")
    assert selectors.compare_defaults(frameworks=frameworks_, region_id=rm.region_id) == (
        "rm-god-ledelse-og-styring",
        "rn-ledelsesgrundlaget",
    )
    rn = next(f for f in frameworks_ if f.slug == "rn-ledelsesgrundlaget")
    assert selectors.compare_defaults(frameworks=frameworks_, region_id=rn.region_id) == (
        "rn-ledelsesgrundlaget",
        "rm-god-ledelse-og-styring",
    )


def test_it_asks_for_two_different_frameworks(client, org, frameworks):
    client.force_login(org.users["employee"])
    html = client.get(URL, {"a": "rn-ledelsesgrundlaget", "b": "rn-ledelsesgrundlaget"}).content.decode()
    assert "Vælg to forskellige grundlag." in html


def test_an_unknown_framework_is_a_form_error(client, org, frameworks):
    client.force_login(org.users["employee"])
    r = client.get(URL, {"a": "findes-ikke", "b": "rn-ledelsesgrundlaget"})
    assert r.status_code == 200
    assert "Vælg et grundlag fra listen." in r.content.decode()
