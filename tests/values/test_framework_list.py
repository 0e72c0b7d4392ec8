from tests.values.factories import make_framework


def test_it_lists_every_framework_by_region(client, org, frameworks):
    client.force_login(org.users["employee"])
    r = client.get("/ledelsesgrundlag/")
    html = r.content.decode()
    assert r.status_code == 200
    assert html.index("Region Midtjylland") < html.index("Region Nordjylland")
    for title in ("God ledelse og styring", "Personalepolitik", "Ledelsesgrundlaget", "Regionssekretariatet"):
        assert title in html
    assert "Styringsgrundlag" in html and "Vidensmateriale" in html  # kinds
    assert "Godkendt 27. juni 2018, justeret 29. april 2020" in html  # dates


def test_it_hides_drafts_from_readers_but_shows_them_to_editors(client, org):
    make_framework(slug="kladde-grundlag", title="Et kladdegrundlag", status="kladde", owner_unit="Hospital A")
    client.force_login(org.users["employee"])
    assert "Et kladdegrundlag" not in client.get("/ledelsesgrundlag/").content.decode()
    client.force_login(org.users["hr"])
    assert "Et kladdegrundlag" in client.get("/ledelsesgrundlag/").content.decode()


def test_it_requires_sign_in(client, db):
    r = client.get("/ledelsesgrundlag/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_it_runs_a_fixed_number_of_queries(client, org, django_assert_max_num_queries):
    for n in range(3):
        make_framework(slug=f"g-{n}", title=f"Grundlag {n}")
    client.force_login(org.users["employee"])
    with django_assert_max_num_queries(8):
        client.get("/ledelsesgrundlag/")
