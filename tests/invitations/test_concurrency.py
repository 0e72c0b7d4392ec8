"""Two requests changing the same thing at once, each in its own thread with its own
PostgreSQL connection: the invitation row's lock and the claim's unique key (UID and
SEQUENCE) let one invitation per change per person out."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from ledelse.invitations.services import Attendee, EventData, invitation_send
from ledelse.notifications.models import Reminder
from tests.notifications.test_concurrency import _in_threads

CPH = ZoneInfo("Europe/Copenhagen")


@pytest.mark.django_db(transaction=True)
def test_the_same_change_sent_twice_at_once_invites_each_person_once(org):
    mail.outbox = []
    people = [org.people["leader2"], org.people["employee"]]
    event = EventData(
        uid="test-1@ledelsesgrundlag",
        summary="Temadag",
        start=datetime(2026, 11, 16, 10, 0, tzinfo=CPH),
        attendees=tuple(Attendee(name=p.name, email=p.email, user_id=p.user_id) for p in people),
    )
    claimed = _in_threads(lambda: invitation_send(event=event))
    assert sorted(claimed) == [0, 2]
    assert sorted(m.to[0] for m in mail.outbox) == ["emil@example.org", "leder2@example.org"]
    assert Reminder.objects.filter(state=Reminder.State.SENT).count() == 2
    # A moved time sent twice at once: one REQUEST per person with SEQUENCE 1.
    moved = EventData(**{**event.__dict__, "start": datetime(2026, 11, 23, 10, 0, tzinfo=CPH)})
    claimed = _in_threads(lambda: invitation_send(event=moved))
    assert sorted(claimed) == [0, 2]
    assert sorted(Reminder.objects.values_list("key", flat=True)) == [
        "0:test-1@ledelsesgrundlag",
        "0:test-1@ledelsesgrundlag",
        "1:test-1@ledelsesgrundlag",
        "1:test-1@ledelsesgrundlag",
    ]
    assert len(mail.outbox) == 4
