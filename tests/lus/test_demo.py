"""seed_demo adds a LUS round in progress (leder2 prepares with leder as partner) and last
year's confirmed LUS with agreements and follow-ups; running it again changes nothing."""

import pytest
from django.core.management import call_command

from lus.models import Conversation, FollowUp, Round

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_open_preparation_and_last_years_confirmed_lus(capsys):
    call_command("seed_demo", force=True)
    call_command("seed_demo", force=True)
    assert Round.objects.count() == 2
    current, last = Round.objects.order_by("-period_start")
    mine = Conversation.objects.get(round=current, leader__user__username="leder2")
    assert mine.partner.user.username == "leder" and mine.state == Conversation.State.NOT_STARTED
    before = Conversation.objects.get(round=last, leader__user__username="leder2")
    assert before.state == Conversation.State.CONFIRMED and before.is_locked
    assert before.agreements.count() == 2
    assert FollowUp.objects.filter(agreement__conversation=before).exclude(status="").count() == 2
    assert Conversation.objects.filter(round=last).count() == 1
    assert Conversation.objects.filter(round=current).count() > 10  # every leader in the region
    # The afsnitsleder leads people without heading a unit: a LUS with their unit's leader.
    section = Conversation.objects.get(round=current, leader__user__username="afsnitsleder")
    assert section.partner.user.username == "leder2"
