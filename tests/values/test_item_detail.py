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
    html = client.get(
        "/ledelsesgrundlag/regionssekretariatet-ledelses-og-vaerdigrundlag/aaben-og-ligevaerdig-dialog/"
    ).content.decode()
    assert "Gensidig tillid" in html
    assert "Refleksionsspørgsmål" in html and "ikke en del af kildeteksten" in html
    assert 'href="/ledelsesgrundlag/rm-god-ledelse-og-styring/dialog/"' in html


def test_relations_show_from_both_ends(client, org, frameworks):
    client.force_login(org.users["employee"])
    html = client.get("/ledelsesgrundlag/rm-god-ledelse-og-styring/dialog/").content.decode()
    assert (
        'href="/ledelsesgrundlag/regionssekretariatet-ledelses-og-vaerdigrundlag/aaben-og-ligevaerdig-dialog/"' in html
    )


def test_an_unknown_item_is_404(client, org, frameworks):
    client.force_login(org.users["employee"])
    assert client.get("/ledelsesgrundlag/rn-ledelsesgrundlaget/findes-ikke/").status_code == 404
    assert client.get("/ledelsesgrundlag/rn-ledelsesgrundlaget/version/9/ledelse-op/").status_code == 404


def test_it_requires_sign_in(client, frameworks):
    r = client.get("/ledelsesgrundlag/rn-ledelsesgrundlaget/ledelse-op/")
    assert r.status_code == 302


def test_links_are_marked_as_the_projects_own_reading(client, org, frameworks):
    client.force_login(org.users["employee"])
    html = client.get("/ledelsesgrundlag/rm-god-ledelse-og-styring/dialog/").content.decode()
    assert "Forbindelserne er intranettets egen læsning og ikke en del af kildeteksterne." in html


def test_a_question_not_marked_as_the_projects_own_is_shown_without_the_mark(client, org, frameworks):
    from values.models import Item, ReflectionQuestion

    item = Item.objects.get(
        version__framework__slug="rn-ledelsesgrundlaget", key="ledelse-op", version__status="udgivet"
    )
    ReflectionQuestion.objects.create(item=item, text="Et spørgsmål fra kilden?", position=0, is_project_text=False)
    client.force_login(org.users["employee"])
    html = client.get("/ledelsesgrundlag/rn-ledelsesgrundlaget/ledelse-op/").content.decode()
    assert "<li>Et spørgsmål fra kilden?</li>" in html
    assert "* Skrevet til dette intranet; ikke en del af kildeteksten." in html
    assert 'class="fw-own-marker"' in html


def test_questions_on_bullet_principles_are_shown(client, org, frameworks):
    from values.models import Item, ReflectionQuestion

    item = Item.objects.get(
        version__framework__slug="regionssekretariatet-ledelses-og-vaerdigrundlag", key="gensidig-tillid"
    )
    ReflectionQuestion.objects.create(item=item, text="Hvad styrker tilliden hos os?", position=1)
    client.force_login(org.users["employee"])
    html = client.get("/ledelsesgrundlag/regionssekretariatet-ledelses-og-vaerdigrundlag/").content.decode()
    assert "Hvad styrker tilliden hos os?" in html
