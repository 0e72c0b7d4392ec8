"""/notifikationer/: the user's own notices, marking read, and the e-mail choice."""

from datetime import date

import pytest
from django.urls import reverse

from ledelse.notifications.models import Reminder
from ledelse.notifications.services import reminders_claim
from tests.conftest import client_for
from tests.notifications.conftest import due_for

DAY = date(2026, 9, 1)
LIST = "/notifikationer/"


@pytest.fixture
def notices(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        reminders_claim(
            dues=[
                due_for(org.users["leader"], org.units["A1"], due_on=DAY, title="Plan for Afdeling A1 venter"),
                due_for(org.users["leader"], org.units["A"], due_on=DAY, title="Temadag om dialog"),
                due_for(org.users["leader2"], org.units["A1"], due_on=DAY, title="Kun til leder2"),
            ]
        )
    return {r.title: r for r in Reminder.objects.all()}


def test_the_url_is_danish():
    assert reverse("notifications:list") == LIST


def test_it_lists_only_the_users_own_notices_with_links(client, org, notices):
    response = client_for(client, org.users["leader"]).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Notifikationer" in html
    assert "Plan for Afdeling A1 venter" in html and "Temadag om dialog" in html
    assert "Kun til leder2" not in html
    # The link opens the notice (marking it read) and leads on to its thing.
    notice = notices["Plan for Afdeling A1 venter"]
    assert f'href="/notifikationer/{notice.pk}/"' in html
    assert html.count("Markér som læst") == 2


def test_it_needs_sign_in(client, notices):
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_header_shows_the_unread_count(client, org, notices):
    html = client_for(client, org.users["leader"]).get("/").content.decode()
    assert 'href="/notifikationer/"' in html
    assert '<span class="badge badge-info">2<span class="sr-only"> ulæste</span></span>' in html


def test_the_unread_count_is_one_query(rf, org, notices, django_assert_num_queries):
    from ledelse.notifications.context_processors import notifications

    request = rf.get("/")
    request.user = org.users["leader"]
    context = notifications(request)
    with django_assert_num_queries(1):
        assert str(context["unread_notifications"]) == "2"
        assert context["unread_notifications"] == 2


def test_the_list_takes_the_same_queries_for_few_and_many(client, org, notices, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client_for(client, org.users["leader"])
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    with django_capture_on_commit_callbacks(execute=False):
        reminders_claim(dues=[due_for(org.users["leader"], org.units["B"], due_on=DAY, key=str(i)) for i in range(10)])
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_owner_marks_a_notice_read(client, org, notices):
    notice = notices["Temadag om dialog"]
    response = client_for(client, org.users["leader"]).post(reverse("notifications:read", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == LIST
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert client.get(LIST).content.decode().count("Markér som læst") == 1


def test_another_users_notice_cannot_be_marked_read(client, org, notices):
    notice = notices["Kun til leder2"]
    response = client_for(client, org.users["leader"]).post(reverse("notifications:read", args=[notice.pk]))
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_marking_read_needs_sign_in(client, notices):
    notice = notices["Kun til leder2"]
    response = client.post(reverse("notifications:read", args=[notice.pk]))
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is None


def test_marking_read_is_a_post(client, org, notices):
    notice = notices["Temadag om dialog"]
    assert (
        client_for(client, org.users["leader"]).get(reverse("notifications:read", args=[notice.pk])).status_code == 405
    )


def test_mark_all_read_touches_only_the_users_own(client, org, notices):
    response = client_for(client, org.users["leader"]).post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert not Reminder.objects.filter(recipient=org.users["leader"], read_at__isnull=True).exists()
    assert Reminder.objects.get(title="Kun til leder2").read_at is None


def test_mark_all_read_needs_sign_in(client, notices):
    assert client.post(reverse("notifications:read_all")).status_code == 302
    assert not Reminder.objects.filter(read_at__isnull=False).exists()


def test_a_user_without_notices_is_told_so(client, org):
    html = client_for(client, org.users["employee"]).get(LIST).content.decode()
    assert "Du har ingen notifikationer." in html


def test_opening_a_notice_marks_it_read_and_leads_to_its_thing(client, org, notices):
    notice = notices["Temadag om dialog"]
    response = client_for(client, org.users["leader"]).get(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == f"/test/{org.units['A'].pk}/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    html = client.get(LIST).content.decode()
    assert html.count("Markér som læst") == 1
    assert '<span class="badge badge-info">1<span class="sr-only"> ulæste</span></span>' in html


def test_another_users_notice_cannot_be_opened(client, org, notices):
    notice = notices["Kun til leder2"]
    response = client_for(client, org.users["leader"]).get(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_opening_needs_sign_in(client, notices):
    notice = notices["Kun til leder2"]
    response = client.get(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    notice.refresh_from_db()
    assert notice.read_at is None


def test_a_notice_never_leads_off_the_site(client, org, notices):
    notice = notices["Temadag om dialog"]
    Reminder.objects.filter(pk=notice.pk).update(url="//evil.example.org/")
    response = client_for(client, org.users["leader"]).get(reverse("notifications:open", args=[notice.pk]))
    assert response["Location"] == LIST


def test_each_notice_shows_its_own_date_in_the_one_format(client, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        reminders_claim(
            dues=[
                due_for(org.users["leader"], org.units["A"], due_on=date(2026, 11, 16), title="Den ene"),
                due_for(org.users["leader"], org.units["B"], due_on=date(2027, 1, 12), title="Den anden"),
            ]
        )
    html = client_for(client, org.users["leader"]).get(LIST).content.decode()
    assert "16. november 2026" in html and "12. januar 2027" in html


def test_a_cleared_notice_leaves_the_list_and_the_count(client, org, notices):
    from ledelse.notifications.services import notifications_clear

    assert notifications_clear(target=org.units["A"], kinds=["notice"]) == 1
    html = client_for(client, org.users["leader"]).get(LIST).content.decode()
    assert "Temadag om dialog" not in html and "Plan for Afdeling A1 venter" in html
    assert '<span class="badge badge-info">1<span class="sr-only"> ulæste</span></span>' in html
