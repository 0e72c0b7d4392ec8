"""Failed reminders where an administrator sees them, and sending them again."""

from datetime import date

import pytest

from ledelse.notifications.models import Reminder
from ledelse.notifications.services import reminders_claim
from tests.conftest import client_for
from tests.notifications.conftest import due_for

URL = "/admin/notifications/reminder/"


@pytest.fixture
def failed(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        reminders_claim(
            dues=[
                due_for(org.users["leader"], org.units["A1"], due_on=date(2026, 9, 1), title="Fejlet påmindelse"),
                due_for(org.users["leader2"], org.units["A1"], due_on=date(2026, 9, 1), title="Sendt påmindelse"),
            ]
        )
    Reminder.objects.filter(title="Fejlet påmindelse").update(
        state="failed", attempts=6, last_error="SMTPDataError: 451"
    )
    Reminder.objects.filter(title="Sendt påmindelse").update(state="sent")
    return Reminder.objects.get(state="failed")


def test_the_admin_lists_failed_reminders_by_state(client, org, failed):
    response = client_for(client, org.users["admin"]).get(URL, {"state__exact": "failed"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fejlet" in html and "leader" in html
    assert "leader2" not in html
    assert client.get(f"{URL}{failed.pk}/change/").status_code == 200


def test_a_failed_reminder_can_be_sent_again(client, org, failed, mailoutbox, django_capture_on_commit_callbacks):
    client_for(client, org.users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"action": "send_again", "_selected_action": [failed.pk]})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.state == Reminder.State.SENT
    assert len(mailoutbox) == 1


def test_sending_again_leaves_sent_ones_alone(client, org, failed, mailoutbox, django_capture_on_commit_callbacks):
    sent = Reminder.objects.get(state="sent")
    client_for(client, org.users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"action": "send_again", "_selected_action": [sent.pk]})
    assert mailoutbox == []


def test_people_without_admin_access_do_not_see_reminders(client, org, failed):
    assert client_for(client, org.users["leader"]).get(URL).status_code in (302, 403)
