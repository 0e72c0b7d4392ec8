"""The weekly digest: one e-mail per person listing what waited, once."""

from datetime import date

import pytest

from ledelse.notifications.models import NotificationSettings, Reminder
from ledelse.notifications.services import digest_send, digests_enqueue, reminders_claim
from ledelse.notifications.tasks import send_weekly_digests
from tests.notifications.conftest import due_for

DAY = date(2026, 9, 1)


@pytest.fixture
def weekly(org, django_capture_on_commit_callbacks, mailoutbox):
    """leader reads weekly and has three notices waiting; leader2 reads at once."""
    leader = org.users["leader"]
    NotificationSettings.objects.create(user=leader, delivery=NotificationSettings.Delivery.WEEKLY)
    dues = [
        due_for(leader, org.units["A1"], due_on=DAY, title="Plan for Afdeling A1 venter"),
        due_for(leader, org.units["A"], due_on=DAY, title="Temadag om dialog"),
        due_for(leader, org.units["B"], due_on=DAY, title="Personalemøde i morgen"),
        due_for(org.users["leader2"], org.units["A1"], due_on=DAY, title="Til leder2"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        reminders_claim(dues=dues)
    assert [m.to for m in mailoutbox] == [["leder2@example.org"]]
    mailoutbox.clear()
    return leader


def test_a_weekly_reader_gets_one_e_mail_listing_the_waiting_notifications(weekly, mailoutbox):
    assert Reminder.objects.filter(recipient=weekly, state=Reminder.State.DIGEST).count() == 3
    assert digest_send(user_id=weekly.pk) == 3
    (message,) = mailoutbox
    assert message.to == ["leder@example.org"]
    assert message.subject == "Din uge: 3 nye notifikationer"
    for title in ("Plan for Afdeling A1 venter", "Temadag om dialog", "Personalemøde i morgen"):
        assert title in message.body and title in message.alternatives[0][0]
    assert "https://ledelse.example.org/test/" in message.body
    assert set(Reminder.objects.filter(recipient=weekly).values_list("state", flat=True)) == {Reminder.State.SENT}


def test_the_digest_is_sent_once(weekly, mailoutbox):
    digest_send(user_id=weekly.pk)
    assert digest_send(user_id=weekly.pk) == 0
    assert len(mailoutbox) == 1


def test_the_weekly_task_sends_each_waiting_person_one_digest(weekly, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert send_weekly_digests.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_weekly_digests.delay().get() == 0
    assert [m.to for m in mailoutbox] == [["leder@example.org"]]


def test_enqueueing_takes_one_query_per_batch_of_people(
    weekly, django_assert_num_queries, org, django_capture_on_commit_callbacks
):
    NotificationSettings.objects.create(user=org.users["leader3"], delivery=NotificationSettings.Delivery.WEEKLY)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_claim(dues=[due_for(org.users["leader3"], org.units["B"], due_on=DAY)])
    with django_capture_on_commit_callbacks(execute=False), django_assert_num_queries(3):
        # two batches of one person, and the empty read that ends the loop
        assert digests_enqueue(batch_size=1) == 2


def test_a_singular_digest_reads_well(org, mailoutbox, django_capture_on_commit_callbacks):
    user = org.users["leader3"]
    NotificationSettings.objects.create(user=user, delivery=NotificationSettings.Delivery.WEEKLY)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_claim(dues=[due_for(user, org.units["B"], due_on=DAY)])
    digest_send(user_id=user.pk)
    assert mailoutbox[0].subject == "Din uge: 1 ny notifikation"


def test_a_notice_cleared_while_it_waits_is_not_in_the_digest(org, weekly, mailoutbox):
    """Its task was done meanwhile (notifications_clear): the digest lists the others only."""
    from ledelse.notifications.services import notifications_clear

    notifications_clear(target=org.units["A1"], recipient=weekly)
    assert digest_send(user_id=weekly.pk) == 2
    (message,) = mailoutbox
    assert "Plan for Afdeling A1 venter" not in message.body
    assert "Temadag om dialog" in message.body
