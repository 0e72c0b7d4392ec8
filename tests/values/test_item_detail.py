def test_a_principle_page_shows_its_text_and_where_it_belongs(client, org, frameworks):
    client.force_login(org.users["employee"])
    r = client.get("/ledelsesgrundlag/rn-ledelsesgrundlaget/vi-praktiserer-det-dobbelte-lederskab/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "<h1>Vi praktiserer det dobbelte lederskab</h1>" in html
    assert "Vi bidrager aktivt til det fælles bedste." in html
    assert 'href="/ledelsesgrundlag/rn-ledelsesgrundlaget/ledelse-op/"' in html  # parent


def test_a_theme_page_shows_its_principles_questions_and_relations(client, org, frameworks):
    client.force_login(org.users["employee"])
    html = client.get("/ledelsesgrundlag/regionssekretariatet-ledelses-og-vaerdigrundlag/aaben-og-ligevaerdig-dialog/").content.decode()
    assert "Gensidig tillid" in html
    assert "Refleksionsspørgsmål" in html and "ikke en del af kildeteksten" in html
    assert 'href="/ledelsesgrundlag/rm-god-ledelse-og-styring/dialog/"' in html


def test_relations_show_from_both_ends(client, org, frameworks):
    client.force_login(org.users["employee"])
    html = client.get("/ledelsesgrundlag/rm-god-ledelse-og-styring/dialog/").content.decode()
    assert 'href="/ledelsesgrundlag/regionssekretariatet-ledelses-og-vaerdigrundlag/aaben-og-ligevaerdig-dialog/"' in html


def test_an_unknown_item_is_404(client, org, frameworks):
    client.force_login(org.users["employee"])
    assert client.get("/ledelsesgrundlag/rn-ledelsesgrundlaget/findes-ikke/").status_code == 404
    assert client.get("/ledelsesgrundlag/rn-ledelsesgrundlaget/version/9/ledelse-op/").status_code == 404


def test_it_requires_sign_in(client, frameworks):
    r = client.get("/ledelsesgrundlag/rn-ledelsesgrundlaget/ledelse-op/")
    assert r.status_code == 302
