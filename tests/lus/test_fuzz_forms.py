"""Any text into the LUS forms (a round, the preparation, the booking, the record with its
agreements, a follow-up, sharing) is saved as sent (stripped, see tests/fuzz_text.py) or
refused with a Danish message (a refused LUS form answers 400): never a 500."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from lus import services
from lus.models import Agreement, Conversation, Preparation, Round
from tests.fuzz_text import as_saved, assert_refused, bad_text, fuzz_settings, rolled_back, verdict
from tests.lus.conftest import held
from tests.values.factories import make_framework

pytestmark = pytest.mark.django_db

AGREEMENT_FIELDS = {"what": 2000, "how": 2000, "support": 1000}


def _lines(text: str) -> list[str]:
    """The round form's one-a-line fields: str.splitlines (which also splits at U+2028,
    U+0085 and the like), each line stripped, empty lines left out."""
    return [line.strip() for line in text.strip().splitlines() if line.strip()]


@pytest.fixture
def version(org):
    return make_framework(themes=2, principles=1).current_version


@fuzz_settings
@given(name=bad_text, questions=bad_text, categories=bad_text)
def test_a_round_saves_any_text_as_written_or_says_why_not(org, client, version, name, questions, categories):
    errors = [
        m
        for m in (
            verdict(name, max_length=200, required="Dette felt er påkrævet."),
            verdict(questions, max_length=5000, required="Dette felt er påkrævet."),
            verdict(categories, max_length=5000),
        )
        if m
    ]
    if not errors and not _lines(questions):
        errors = ["Skriv mindst ét spørgsmål."]
    with rolled_back():
        client.force_login(org.users["hr"])
        response = client.post(
            reverse("lus:round_create"),
            {
                "name": name,
                "scope": org.units["A"].pk,
                "framework_version": version.pk,
                "period_start": "2026-08-01",
                "period_end": "2026-12-31",
                "preparation_opens": "2026-08-15",
                "held_by": "2026-11-30",
                "confirmed_by": "2026-12-15",
                "questions": questions,
                "time_categories": categories,
            },
        )
        if errors:
            assert_refused(response, errors, statuses=(400,))
            assert not Round.objects.exists()
        else:
            assert response.status_code == 302, response.content.decode()[:2000]
            lus_round = Round.objects.get()
            assert lus_round.name == as_saved(name)
            assert lus_round.questions == _lines(questions)
            themes = list(version.items.filter(kind="theme").order_by("position").values_list("title", flat=True))
            assert lus_round.time_categories == (_lines(categories) or themes)
            assert client.get(reverse("lus:round_detail", args=[lus_round.pk])).status_code == 200


@fuzz_settings
@given(data=st.data())
def test_the_preparation_saves_any_text_as_written_or_says_why_not(org, client, lus, data):
    items = list(lus.round.common_items.order_by("position"))
    notes = {item.pk: data.draw(bad_text, label=f"note {item.title}") for item in items}
    answers = [data.draw(bad_text, label=f"answer {n}") for n in range(len(lus.round.questions))]
    errors = [m for m in (verdict(v, max_length=5000) for v in [*notes.values(), *answers]) if m]
    post = {f"score_{pk}": "3" for pk in notes} | {f"note_{pk}": v for pk, v in notes.items()}
    post |= {f"answer_{n}": v for n, v in enumerate(answers)}
    with rolled_back():
        client.force_login(org.users["leader2"])
        url = reverse("lus:preparation_edit", args=[lus.conversation.pk])
        response = client.post(url, post)
        preparation = Preparation.objects.filter(conversation=lus.conversation, role="leader").first()
        if errors:
            assert_refused(response, errors, statuses=(400,))
            assert preparation is None or not preparation.ratings.exists()
        else:
            assert response.status_code == 302, response.content.decode()[:2000]
            assert dict(preparation.ratings.values_list("item_id", "note")) == {
                pk: as_saved(v) for pk, v in notes.items()
            }
            assert preparation.answers == [as_saved(v) for v in answers]
            assert client.get(url).status_code == 200
            services.preparation_share(preparation=preparation)
            assert client.get(reverse("lus:conversation_detail", args=[lus.conversation.pk])).status_code == 200


@fuzz_settings
@given(location=bad_text)
def test_the_booking_saves_any_place_as_written_or_says_why_not(org, client, lus, location):
    error = verdict(location, max_length=200, required="Dette felt er påkrævet.")
    with rolled_back():
        client.force_login(org.users["leader"])
        response = client.post(
            reverse("lus:booking", args=[lus.conversation.pk]),
            {"date": "2026-09-10", "time": "10:00", "location": location},
        )
        conversation = Conversation.objects.get(pk=lus.conversation.pk)
        if error:
            assert_refused(response, [error], statuses=(400,))
            assert conversation.starts_at is None
        else:
            assert response.status_code == 302, response.content.decode()[:2000]
            assert conversation.location == as_saved(location)
            ics = client.get(reverse("lus:booking_ics", args=[lus.conversation.pk]))
            assert ics.status_code == 200


@fuzz_settings
@given(notes=bad_text, agreement=st.fixed_dictionaries({name: bad_text for name in AGREEMENT_FIELDS}))
def test_the_record_saves_any_text_as_written_or_says_why_not(org, client, lus, notes, agreement):
    errors = [verdict(notes, max_length=20_000)] + [
        verdict(agreement[name], max_length=limit) for name, limit in AGREEMENT_FIELDS.items()
    ]
    errors = [m for m in errors if m]
    with rolled_back():
        client.force_login(org.users["leader"])
        url = reverse("lus:record_edit", args=[lus.conversation.pk])
        response = client.post(
            url,
            {
                "notes": notes,
                "agreements-TOTAL_FORMS": "1",
                "agreements-INITIAL_FORMS": "0",
                "agreements-MIN_NUM_FORMS": "0",
                "agreements-MAX_NUM_FORMS": "20",
                "agreements-0-due_on": "2026-12-01",
                **{f"agreements-0-{name}": value for name, value in agreement.items()},
            },
        )
        conversation = Conversation.objects.get(pk=lus.conversation.pk)
        if errors:
            assert_refused(response, errors, statuses=(400,))
            assert conversation.notes == "" and not Agreement.objects.exists()
        else:
            assert response.status_code == 302, response.content.decode()[:2000]
            assert conversation.notes == as_saved(notes)
            saved = list(Agreement.objects.values("what", "how", "support"))
            if agreement["what"].strip():
                assert saved == [{name: as_saved(value) for name, value in agreement.items()}]
            else:  # an agreement without a "what" is an empty row of the form, left out
                assert saved == []
            assert client.get(url).status_code == 200
            assert client.get(reverse("lus:conversation_detail", args=[lus.conversation.pk])).status_code == 200


@pytest.fixture
def followup(lus):
    held(lus.conversation, lus.principles, agreements=1)
    return services.followup_add(agreement=lus.conversation.agreements.get(), date=date(2026, 11, 1))


@fuzz_settings
@given(note=bad_text)
def test_a_follow_up_saves_any_note_as_written_or_says_why_not(org, client, lus, followup, note):
    error = verdict(note, max_length=300)
    with rolled_back():
        client.force_login(org.users["leader"])
        response = client.post(
            reverse("lus:followup_edit", args=[lus.conversation.pk, followup.pk]),
            {"date": "2026-11-01", "status": "", "note": note},
        )
        followup.refresh_from_db()
        if error:
            assert_refused(response, [error], statuses=(400,))
            assert followup.note == ""
        else:
            assert response.status_code == 302, response.content.decode()[:2000]
            assert followup.note == as_saved(note)


@fuzz_settings
@given(who=bad_text)
def test_sharing_with_any_text_finds_no_one_and_says_so(org, client, lus, who):
    with rolled_back():
        client.force_login(org.users["leader2"])
        response = client.post(reverse("lus:share_add", args=[lus.conversation.pk]), {"who": who}, follow=True)
        assert response.status_code == 200
        body = response.content.decode()
        assert (
            "Ingen i organisationen har det navn, brugernavn eller den e-mail." in body
            or "Skriv et navn, et brugernavn eller en e-mail." in body
        )
        assert not lus.conversation.shares.exists()
