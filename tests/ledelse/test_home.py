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
    # Session, user, person, roles, own leader, chain of leaders, unread notifications;
    # Mit overblik (ledelse.status.overview): activities, plans to submit, plans to approve,
    # unread notices. None per unit or person.
    with django_assert_max_num_queries(11):
        client.get("/")
