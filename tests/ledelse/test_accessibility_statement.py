"""The accessibility statement: public, in Danish, linked from every page's footer."""


def test_it_is_public_and_in_danish(client, db):
    r = client.get("/tilgaengelighed/")
    assert r.status_code == 200
    text = r.content.decode()
    assert "<h1>Tilgængelighedserklæring</h1>" in text
    assert "WCAG 2.1 niveau AA" in text and "axe-core" in text
    assert "udfyldes af regionerne" in text  # the contact is a marked placeholder, not invented


def test_the_footer_links_it_signed_out_and_signed_in(client, org):
    assert 'href="/tilgaengelighed/"' in client.get("/accounts/login/").content.decode()
    client.force_login(org.users["employee"])
    assert 'href="/tilgaengelighed/"' in client.get("/").content.decode()
