"""The menu shows LUS only to those the LUS pages have something for (lus.access.uses_lus,
named on LusConfig.navigation_shown_to and read by ledelse.context_processors)."""

import pytest
from django.urls import reverse

from lus import services

LUS_LINK = f'href="{reverse("lus:overview")}"'


@pytest.mark.parametrize("who", ["leader", "leader2", "hr", "koncern", "admin"])
def test_leaders_hr_koncernledelse_and_administrators_find_lus_in_the_menu(org, client, who):
    client.force_login(org.users[who])
    assert LUS_LINK in client.get(reverse("home")).content.decode()


def test_an_employee_without_a_lus_has_no_lus_in_the_menu(org, client):
    client.force_login(org.users["employee"])
    html = client.get(reverse("home")).content.decode()
    assert LUS_LINK not in html
    assert f'href="{reverse("dialogues:plan_list")}"' in html  # the rest of the menu is there


def test_one_who_leads_people_without_heading_the_unit_finds_lus_in_the_menu(org, client):
    person = org.people["employee"]
    person.leads_people = True
    person.save(update_fields=["leads_people"])
    client.force_login(org.users["employee"])
    assert LUS_LINK in client.get(reverse("home")).content.decode()


def test_an_employee_a_lus_is_shared_with_finds_lus_in_the_menu(org, client, lus):
    services.share_add(conversation=lus.conversation, who="employee")
    client.force_login(org.users["employee"])
    assert LUS_LINK in client.get(reverse("home")).content.decode()


def test_sharing_and_revoking_a_lus_show_and_hide_it_in_the_menu_at_once(
    org, client, lus, django_capture_on_commit_callbacks
):
    client.force_login(org.users["employee"])
    assert LUS_LINK not in client.get(reverse("home")).content.decode()  # the answer is now cached
    with django_capture_on_commit_callbacks(execute=True):
        share = services.share_add(conversation=lus.conversation, who="employee")
    assert LUS_LINK in client.get(reverse("home")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.share_revoke(share=share)
    assert LUS_LINK not in client.get(reverse("home")).content.decode()


def test_the_menu_asks_the_database_once_for_an_employee_then_the_cache(org, client, django_assert_num_queries):
    from lus.access import uses_lus

    user = org.users["employee"]
    client.force_login(user)
    client.get(reverse("home"))
    user = user.__class__.objects.get(pk=user.pk)
    with django_assert_num_queries(2):  # the person and their roles; the answer is cached
        assert uses_lus(user) is False
