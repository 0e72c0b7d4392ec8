URL = "/ledelsesgrundlag/sammenlign/"


def test_it_shows_two_frameworks_side_by_side_with_their_links(client, org, frameworks):
    client.force_login(org.users["employee"])
    r = client.get(URL, {"a": "rn-ledelsesgrundlaget", "b": "rm-god-ledelse-og-styring"})
    html = r.content.decode()
    assert r.status_code == 200
    assert html.index("Ledelse op") < html.index("Ledelse ind")
    assert "Dialog" in html and "Dygtighed" in html and "Dristighed" in html
    assert "↔" in html  # at least one link between them


def test_it_asks_for_two_different_frameworks(client, org, frameworks):
    client.force_login(org.users["employee"])
    html = client.get(URL, {"a": "rn-ledelsesgrundlaget", "b": "rn-ledelsesgrundlaget"}).content.decode()
    assert "Vælg to forskellige grundlag." in html


def test_an_unknown_framework_is_a_form_error(client, org, frameworks):
    client.force_login(org.users["employee"])
    r = client.get(URL, {"a": "findes-ikke", "b": "rn-ledelsesgrundlaget"})
    assert r.status_code == 200
    assert "Vælg et grundlag fra listen." in r.content.decode()


def test_the_empty_form_shows_no_columns(client, org, frameworks):
    client.force_login(org.users["employee"])
    html = client.get(URL).content.decode()
    assert "fw-compare__column" not in html and "Der er problemer" not in html
