"""The invitation mechanism without a worker: what is claimed for each change, exactly once,
and the e-mail it makes (read back with `email` and `icalendar`)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from dialogues import services
from dialogues.calendar import activity_event, activity_uid
from dialogues.models import Plan
from ledelse.invitations.models import Invitation
from ledelse.invitations.services import invitation_cancel, invitation_ics, invitation_send
from ledelse.notifications.models import NotificationSettings, Reminder
from ledelse.notifications.selectors import notifications_for_user
from ledelse.notifications.services import notification_settings_set, reminder_send
from tests.dialogues.conftest import activity_data
from tests.invitations.conftest import parse

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")


def _meeting(org, plan, **kwargs):
    values = {
        "date": date(2026, 11, 16),
        "start_time": time(10, 0),
        "end_time": time(11, 0),
        "participants": (org.people["employee"],),
    }
    values.update(kwargs)
    return services.activity_create(plan=plan, data=activity_data(org, **values))


def _claims(method=None):
    rows = Reminder.objects.filter(kind__startswith="invitation-").order_by("id")
    if method:
        rows = rows.filter(context__calendar_method=method)
    return [(r.recipient.username, r.context["calendar_method"], r.key.split(":")[0]) for r in rows]


def test_a_dated_activity_invites_the_responsible_and_the_participants_once(org, plan):
    activity = _meeting(org, plan)
    assert sorted(_claims()) == [("employee", "REQUEST", "0"), ("leader2", "REQUEST", "0")]
    # The key holds the UID and the SEQUENCE.
    assert {r.key for r in Reminder.objects.all()} == {f"0:{activity_uid(activity)}"}
    # Saving it unchanged, or asking again, sends nothing more.
    services.activity_update(activity=activity, data=activity_data(org, **_same(org)))
    assert invitation_send(event=activity_event(activity)) == 0
    assert len(_claims()) == 2


def _same(org):
    return {
        "date": date(2026, 11, 16),
        "start_time": time(10, 0),
        "end_time": time(11, 0),
        "participants": (org.people["employee"],),
    }


def test_an_undated_activity_invites_nobody_and_being_dated_later_does(org, plan):
    activity = services.activity_create(plan=plan, data=activity_data(org))
    assert _claims() == [] and not Invitation.objects.exists()
    services.activity_update(activity=activity, data=activity_data(org, **_same(org)))
    assert len(_claims("REQUEST")) == 2


def test_cancelling_or_undating_an_activity_cancels_the_invitation(org, plan):
    activity = _meeting(org, plan)
    services.activity_update(activity=activity, data=activity_data(org, **_same(org), status="aflyst"))
    assert sorted(_claims("CANCEL")) == [("employee", "CANCEL", "1"), ("leader2", "CANCEL", "1")]
    # Cancelled twice is one cancellation; dated again, a new REQUEST with a higher SEQUENCE.
    assert invitation_cancel(uid=activity_uid(activity)) == 0
    services.activity_update(activity=activity, data=activity_data(org, **_same(org)))
    assert sorted(c for c in _claims("REQUEST") if c[2] == "2") == [
        ("employee", "REQUEST", "2"),
        ("leader2", "REQUEST", "2"),
    ]


def test_the_invitation_is_neither_a_notice_nor_kept_for_the_weekly_digest(
    org, plan, django_capture_on_commit_callbacks
):
    notification_settings_set(user=org.users["employee"], delivery=NotificationSettings.Delivery.WEEKLY)
    with django_capture_on_commit_callbacks(execute=True):
        _meeting(org, plan)
    assert notifications_for_user(user=org.users["employee"]).count() == 0
    assert set(Reminder.objects.values_list("state", flat=True)) == {Reminder.State.SENT}
    received = [parse(m.message().as_bytes(), m.to[0]) for m in mail.outbox]
    assert sorted(r.to for r in received) == ["emil@example.org", "leder2@example.org"]
    assert all(r.method == "REQUEST" for r in received)


def test_a_second_send_of_the_same_claim_sends_nothing(org, plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        _meeting(org, plan)
    reminder = Reminder.objects.filter(recipient=org.users["employee"]).get()
    assert reminder_send(reminder_id=reminder.pk) == Reminder.State.SENT
    assert reminder_send(reminder_id=reminder.pk) == Reminder.State.SENT  # a redelivered task
    assert len(mail.outbox) == 1


def test_the_download_has_the_same_uid_and_sequence_as_the_last_e_mail(org, plan):
    activity = _meeting(org, plan)
    activity = services.activity_update(
        activity=activity, data=activity_data(org, **{**_same(org), "date": date(2026, 11, 23)})
    )
    from icalendar import Calendar

    (event,) = Calendar.from_ical(invitation_ics(event=activity_event(activity))).walk("VEVENT")
    assert str(event["UID"]) == activity_uid(activity)
    assert int(event["SEQUENCE"]) == Invitation.objects.get(uid=activity_uid(activity)).sequence == 1
    assert event.decoded("DTSTART") == datetime(2026, 11, 23, 10, 0, tzinfo=CPH)
    assert str(event["ORGANIZER"]).lower() == "mailto:leder2@example.org"


def test_a_configured_organizer_wins(org, plan, settings):
    settings.INVITATION_ORGANIZER = "Ledelsesgrundlag <kalender@example.org>"
    activity = _meeting(org, plan)
    from icalendar import Calendar

    (event,) = Calendar.from_ical(invitation_ics(event=activity_event(activity))).walk("VEVENT")
    assert str(event["ORGANIZER"]).lower() == "mailto:kalender@example.org"
    assert event["ORGANIZER"].params["CN"] == "Ledelsesgrundlag"


def test_the_links_follow_site_url(org, plan, settings):
    settings.SITE_URL = "http://127.0.0.1:8105"
    activity = _meeting(org, plan)
    reminder = Reminder.objects.filter(recipient=org.users["employee"]).get()
    assert f"URL:http://127.0.0.1:8105/planer/{plan.pk}/#aktivitet-{activity.pk}" in reminder.context["calendar"]


def test_invitations_of_events_long_past_are_removed_with_their_e_mail_rows(org, plan, settings):
    from ledelse.invitations.services import invitations_remove_expired

    settings.INVITATIONS_KEEP_DAYS = 30
    old = _meeting(org, plan, date=date(2026, 9, 1))
    new = _meeting(org, plan, date=date(2026, 11, 16), title="Senere")
    assert Invitation.objects.get(uid=activity_uid(old)).last_day == date(2026, 9, 1)
    assert invitations_remove_expired(today=date(2026, 10, 1)) == 0
    assert invitations_remove_expired(today=date(2026, 10, 2)) == 1
    assert list(Invitation.objects.values_list("uid", flat=True)) == [activity_uid(new)]
    assert Reminder.objects.count() == 2  # only the later activity's two invitations


def test_deleting_a_plan_cancels_its_activities_invitations(org, plan):
    activity = _meeting(org, plan)
    Plan.objects.filter(pk=plan.pk).delete()  # as the admin would, activities by cascade
    assert sorted(_claims("CANCEL")) == [("employee", "CANCEL", "1"), ("leader2", "CANCEL", "1")]
    assert Invitation.objects.get(uid=activity_uid(activity)).cancelled


def test_a_follow_up_talk_is_cancelled_with_its_agreement(org):
    from lus import services as lus_services
    from lus.models import Agreement
    from tests.lus.conftest import make_lus

    lus = make_lus(org)
    conversation = lus.conversation
    agreement = Agreement.objects.create(conversation=conversation, what="Aftale", due_on=date(2026, 12, 1))
    followup = lus_services.followup_add(agreement=agreement, date=date(2027, 1, 12))
    assert sorted(_claims("REQUEST")) == [("leader", "REQUEST", "0"), ("leader2", "REQUEST", "0")]
    lus_services.record_save(conversation=conversation, notes="", agreements=[])  # the agreement is removed
    assert sorted(_claims("CANCEL")) == [("leader", "CANCEL", "1"), ("leader2", "CANCEL", "1")]
    assert Invitation.objects.get(uid=f"lus-followup-{followup.pk}@ledelsesgrundlag").cancelled
