def test_it_shows_the_person_their_unit_and_own_leader(client, org):
    client.force_login(org.users["leader2"])
    r = client.get("/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "Lars Leder To" in html and "Afdeling A1" in html
    assert "Lene Leder" in html  # own leader
    # The role in the header, in its own element: the user's name contains "Leder" too.
    assert '<span class="user-role">Leder</span>' in html


def test_it_needs_sign_in(client, db):
    assert client.get("/").status_code == 302


def test_it_says_so_when_the_account_has_no_person(client, db):
    from ledelse.models import User

    client.force_login(User.objects.create_user("løs"))
    assert "ikke knyttet til en person" in client.get("/").content.decode()


def test_it_runs_a_fixed_number_of_queries(client, org, django_assert_max_num_queries):
    client.force_login(org.users["employee"])
    # Session, user, person, roles, own leader, chain of leaders, unread notifications, the
    # frameworks that apply (none here, so no questions are read); Mit overblik
    # (ledelse.status.overview): activities, plans to submit, plans to approve, LUS waiting,
    # LUS agreements, unread notices; for an employee what they take part in
    # (ledelse.status.taking_part): the unit's plan, the activities, the MED seats, the open
    # hearings that invited them; whether
    # the menu shows LUS (lus.access.uses_lus: then kept in the cache). None per unit or person.
    with django_assert_max_num_queries(18):
        client.get("/")


def test_with_frameworks_it_reads_them_and_their_questions_in_two_queries(client, org, django_assert_max_num_queries):
    from tests.values.factories import add_questions_and_links, make_framework

    client.force_login(org.users["leader2"])
    partner = make_framework(slug="p", title="Partner", region="Region Test")
    mine = make_framework(slug="g", title="Vores grundlag", region="Region Test", themes=6, principles=6)
    add_questions_and_links(mine, partner)
    # 9 for the page and the frameworks with their questions; Mit overblik for a leader
    # adds its reads (what waits, the own unit's plan): a fixed number, none per item.
    with django_assert_max_num_queries(18):
        html = client.get("/").content.decode()
    assert "Vores grundlag" in html and "Til refleksion" in html


def test_it_shows_the_frameworks_that_apply_to_the_person(client, org):
    from tests.values.factories import make_framework

    make_framework(slug="region", title="Regionens grundlag", region="Region Test")
    make_framework(slug="lokal", title="Hospitalets grundlag", region="Region Test", owner_unit="Hospital A")
    make_framework(slug="andet", title="Et andet hospitals grundlag", region="Region Test", owner_unit="Hospital B")
    make_framework(slug="fremmed", title="En anden regions grundlag", region="Region Anden")
    client.force_login(org.users["leader2"])  # leads A1, under Hospital A
    html = client.get("/").content.decode()
    mine = html[html.index('id="mine-title"') : html.index('id="search-title"')]
    assert "Regionens grundlag" in mine and "Hospitalets grundlag" in mine
    assert "Et andet hospitals grundlag" not in mine and "En anden regions grundlag" not in mine
    assert 'action="/ledelsesgrundlag/soeg/"' in html


def test_the_admin_is_offered_to_those_who_use_it(client, org):
    client.force_login(org.users["hr"])
    assert 'href="/admin/"' in client.get("/").content.decode()
    client.force_login(org.users["employee"])
    assert 'href="/admin/"' not in client.get("/").content.decode()
