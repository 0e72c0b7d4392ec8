"""The LUS part of the region-scale data (`manage.py seed_scale`, settings.SCALE_GENERATORS):
two yearly rounds that HR made for the region's top unit on Region Midtjylland's framework,
one LUS per leader a round between the leader and their own leader (2,500 leaders: 5,000
LUS), in every state, with what the services would have stored for that state: the two
preparations (topics, ratings of the round's items, answers, the leader's time split),
bookings, records with agreements on the framework's items, follow-ups, confirmations, a
few revisions and shares. Last year's round is mostly done; this year's is under way.

Bulk inserts only; deterministic from the generator's random source and `today`. The
rules the services check hold for every row: ratings 1-5 on items of the round's version,
2-3 topics outside the common items, time splits of 100 %, bookings inside the round,
agreements before a confirmation, both confirmations only on a confirmed LUS, at most two
follow-ups an agreement. The texts are made up."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ledelse.models import Person, Region, RoleAssignment, Unit
from ledelse.scale.generator import Made, Sizes, bulk, start_of
from lus.forms import DEFAULT_QUESTIONS
from lus.models import Agreement, Conversation, FollowUp, Preparation, Rating, RecordRevision, Round, Share
from lus.selectors import leaders_with_partners
from lus.services import MAX_FOLLOWUPS, MAX_TOPICS, MIN_TOPICS, agreement_snapshot
from values.models import Framework, Item

FRAMEWORK_SLUG = "rm-god-ledelse-og-styring"
TIME_CATEGORIES = ["Ledelse op", "Ledelse ned", "Ledelse på tværs", "Ledelse ind"]
COMMON_THEMES = 3  # HR keeps the three values in common, as the demo round does
State = Conversation.State
# How far each round has come: last year's is over (a few never held or never confirmed),
# this year's is in the middle of its period.
STATE_WEIGHTS = {
    "last": {State.NOT_STARTED: 3, State.PREPARED: 4, State.HELD: 8, State.CONFIRMED: 85},
    "current": {State.NOT_STARTED: 25, State.PREPARED: 30, State.HELD: 20, State.CONFIRMED: 25},
}
FOLLOWUP_STATUSES = [FollowUp.Status.NONE, FollowUp.Status.ON_TRACK, FollowUp.Status.REACHED, FollowUp.Status.DROPPED]


@dataclass
class _Lus:
    """One LUS being made, with what goes under it."""

    conversation: Conversation
    leader_topics: list[Item]
    partner_topics: list[Item]


def lus_generate(
    *,
    rng: random.Random,
    sizes: Sizes,
    region: Region,
    root: Unit,
    units: list[Unit],
    by_unit: dict[int, list[Person]],
    today: date,
    made: Made,
) -> None:
    framework = Framework.objects.select_related("current_version").get(slug=FRAMEWORK_SLUG)
    version = framework.current_version
    items = list(
        Item.objects.filter(version=version, kind__in=[Item.Kind.THEME, Item.Kind.PRINCIPLE]).order_by("position")
    )
    common = [i for i in items if i.kind == Item.Kind.THEME][:COMMON_THEMES]
    choices = [i for i in items if i not in common]
    hr = RoleAssignment.objects.filter(role="hr", unit=root).order_by("pk").values_list("person__user_id", flat=True)
    pairs = _pairs(root)
    rounds = _rounds(region, root, version, common, hr.first(), today, made)
    lus: list[_Lus] = []
    for when, lus_round in rounds:
        weights = STATE_WEIGHTS[when]
        for leader, partner in pairs:
            state = rng.choices(list(weights), weights=list(weights.values()))[0]
            lus.append(_conversation(rng, lus_round, leader, partner, state, choices, today))
    conversations = bulk(Conversation, [x.conversation for x in lus], made, "LUS")
    for x, saved in zip(lus, conversations, strict=True):
        x.conversation = saved
    _preparations(rng, lus, common, today, made)
    _records(rng, lus, items, today, made)
    _shares(rng, lus, [leader for leader, _p in pairs], today, made)


def _pairs(root: Unit) -> list[tuple[Person, Person]]:
    """Every leader under the region's top unit with their own leader, as the app's round
    pairs them (lus.selectors.leaders_with_partners): the unit leaders and the section
    leaders who lead people without heading a unit (Person.leads_people, with their unit's
    leader as partner). The region's director has no own leader and so no LUS here."""
    return [(leader, partner) for leader, partner in leaders_with_partners(scope=root) if partner is not None]


def _rounds(
    region: Region,
    root: Unit,
    version,
    common: list[Item],
    hr_user_id: int | None,
    today: date,
    made: Made,
) -> list[tuple[str, Round]]:
    """Last year's and this year's round as HR makes them (lus.services.round_create, the
    dates of lus.demo): preparation opens at the start, held within 120 days, confirmed
    within 150."""
    current_start = today - timedelta(days=75)
    rounds = []
    for when, start in (("last", current_start - timedelta(days=365)), ("current", current_start)):
        rounds.append(
            (
                when,
                Round(
                    name=f"LUS {start.year} (skala)",
                    region=region,
                    scope=root,
                    framework_version=version,
                    period_start=start,
                    period_end=start + timedelta(days=330),
                    preparation_opens=start,
                    held_by=start + timedelta(days=120),
                    confirmed_by=start + timedelta(days=150),
                    questions=[str(q) for q in DEFAULT_QUESTIONS],
                    time_categories=TIME_CATEGORIES,
                    created_by_id=hr_user_id,
                ),
            )
        )
    saved = bulk(Round, [r for _w, r in rounds], made, "LUS-runder")
    Common = Round.common_items.through
    bulk(Common, [Common(round_id=r.pk, item_id=i.pk) for r in saved for i in common], made, "LUS fælles temaer")
    return [(when, r) for (when, _r), r in zip(rounds, saved, strict=True)]


def _at(day: date, hour: int) -> datetime:
    return start_of(day) + timedelta(hours=hour)


def _conversation(
    rng: random.Random,
    lus_round: Round,
    leader: Person,
    partner: Person,
    state: str,
    choices: list[Item],
    today: date,
) -> _Lus:
    conversation = Conversation(round=lus_round, leader=leader, partner=partner, state=state)
    last_day = min(lus_round.period_end, today - timedelta(days=1))
    if state in (State.HELD, State.CONFIRMED):
        # Held on the booked day, before today, mostly before the round's deadline.
        day = lus_round.period_start + timedelta(
            days=rng.randint(20, max(20, min(140, (last_day - lus_round.period_start).days)))
        )
        conversation.starts_at = _at(day, rng.choice([9, 10, 13, 14]))
        conversation.held_on = day
        conversation.location = rng.choice(["Mødelokale 1", "Mødelokale 2", "Lederens kontor", "Teams"])
        conversation.notes = "Vi talte om året, om dialogen i ledergruppen og om næste skridt."
    elif state == State.PREPARED and rng.random() < 0.6:
        # Booked ahead: within the round, from tomorrow on.
        first = max(today + timedelta(days=1), lus_round.period_start)
        if first <= lus_round.period_end:
            day = first + timedelta(days=rng.randint(0, min(40, (lus_round.period_end - first).days)))
            conversation.starts_at = _at(day, rng.choice([9, 10, 13, 14]))
            conversation.location = rng.choice(["Mødelokale 1", "Mødelokale 2", "Lederens kontor", "Teams"])
    # Topics: the leader chooses 2-3 (when they have started), the partner sometimes some.
    leader_topics = rng.sample(choices, rng.randint(MIN_TOPICS, MAX_TOPICS))
    partner_topics = (
        rng.sample([i for i in choices if i not in leader_topics], MIN_TOPICS) if rng.random() < 0.3 else []
    )
    return _Lus(conversation=conversation, leader_topics=leader_topics, partner_topics=partner_topics)


def _split(rng: random.Random) -> dict[str, int]:
    """A leadership time split in steps of 5 that adds up to 100 %."""
    cuts = sorted(rng.sample(range(1, 20), len(TIME_CATEGORIES) - 1))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, 20], strict=True)]
    return {c: 5 * p for c, p in zip(TIME_CATEGORIES, parts, strict=True)}


def _preparations(rng: random.Random, lus: list[_Lus], common: list[Item], today: date, made: Made) -> None:
    """Each party's preparation as preparation_save leaves it: ratings of the common items
    and the party's own topics (the partner also rates the leader's), prepared when every
    required item has a score; shared with the other party or not."""
    rows: list[tuple[Preparation, list[Item], list[Item]]] = []
    for x in lus:
        c = x.conversation
        lus_round = c.round
        held = c.state in (State.HELD, State.CONFIRMED)
        opened = _at(lus_round.preparation_opens, 8)
        until = c.starts_at if c.starts_at and held else _at(min(today, lus_round.period_end), 8)
        for role, topics, chance in (
            (Preparation.Role.LEADER, x.leader_topics, 1.0 if c.state != State.NOT_STARTED else 0.4),
            (Preparation.Role.PARTNER, x.partner_topics, 0.95 if held else 0.5),
        ):
            if rng.random() >= chance:
                continue
            required = common + topics
            shown = required + ([i for i in x.leader_topics if i not in topics] if role == "partner" else [])
            # The leader's complete preparation is what moves a LUS to "prepared" (preparation_save).
            if role == Preparation.Role.LEADER:
                complete = c.state != State.NOT_STARTED
            else:
                complete = held or rng.random() < 0.5
            rated = shown if complete else rng.sample(required, rng.randint(0, len(required) - 1))
            at = opened + (until - opened) * rng.uniform(0.1, 0.9)
            answers = [
                "Året har budt på mange gode samtaler.",
                "At finde tid til alle.",
                "Min sparring med afsnitslederne.",
            ]
            prep = Preparation(
                conversation=c,
                role=role,
                answers=answers if complete else [answers[0], "", ""],
                time_now=_split(rng) if role == Preparation.Role.LEADER and complete else {},
                time_wanted=_split(rng) if role == Preparation.Role.LEADER and complete else {},
                prepared_at=at if complete else None,
                shared_at=at + timedelta(hours=1) if complete and rng.random() < (0.9 if held else 0.5) else None,
            )
            rows.append((prep, topics, rated))
    saved = bulk(Preparation, [p for p, _t, _r in rows], made, "LUS-forberedelser")
    Topic = Preparation.topics.through
    topics = [Topic(preparation_id=p.pk, item_id=i.pk) for p, (_p, t, _r) in zip(saved, rows, strict=True) for i in t]
    bulk(Topic, topics, made, "LUS-emner")
    notes = ["Et eksempel fra hverdagen.", "", "Det lykkes i ledergruppen.", "Her vil jeg gerne blive bedre."]
    ratings = [
        Rating(preparation_id=p.pk, item_id=i.pk, score=rng.randint(1, 5), note=rng.choice(notes))
        for p, (_p, _t, rated) in zip(saved, rows, strict=True)
        for i in rated
    ]
    bulk(Rating, ratings, made, "LUS-vurderinger")


def _agreements_for(rng: random.Random, c: Conversation, items: list[Item]) -> list[Agreement]:
    return [
        Agreement(
            conversation=c,
            position=position,
            what=rng.choice(["Faste dialogmøder med afsnitslederne", "Ny mødeform i MED-udvalget", "Sparring"]),
            how=rng.choice(["Hver anden uge", "", "Med HR"]),
            due_on=c.held_on + timedelta(days=rng.randint(60, 270)),
            support=rng.choice(["", "Sparring med HR", "Kursus"]),
            principle=rng.choice(items) if rng.random() < 0.8 else None,
        )
        for position in range(rng.randint(1, 3))
    ]


def _confirm(rng: random.Random, c: Conversation) -> bool:
    """Both confirm a confirmed LUS (True); on a held one, one party at most."""
    held_at = c.starts_at + timedelta(days=rng.randint(1, 10))
    if c.state == State.CONFIRMED:
        c.leader_confirmed_at = held_at
        c.partner_confirmed_at = held_at + timedelta(hours=rng.randint(1, 72))
        return True
    if rng.random() < 0.4:
        if rng.random() < 0.7:
            c.leader_confirmed_at = held_at
        else:
            c.partner_confirmed_at = held_at
    return False


def _followups_for(rng: random.Random, agreement: Agreement, today: date) -> list[FollowUp]:
    c = agreement.conversation
    followups = []
    for n in range(rng.randint(0, MAX_FOLLOWUPS)):
        day = c.held_on + timedelta(days=rng.randint(30, 120) * (n + 1))
        status = rng.choice(FOLLOWUP_STATUSES) if day <= today else FollowUp.Status.NONE
        followups.append(FollowUp(agreement=agreement, date=day, status=status, note="Godt på vej." if status else ""))
    return followups


def _records(rng: random.Random, lus: list[_Lus], items: list[Item], today: date, made: Made) -> None:
    """Held and confirmed LUS: agreements (record_save), confirmations (record_confirm: one
    party on a held LUS at most, both on a confirmed one), follow-ups on confirmed LUS
    (followup_add and followup_update) and a few revisions (record_revise)."""
    agreements: list[Agreement] = []
    confirmed: list[Conversation] = []
    for x in lus:
        c = x.conversation
        if c.state not in (State.HELD, State.CONFIRMED):
            continue
        agreements.extend(_agreements_for(rng, c, items))
        if _confirm(rng, c):
            confirmed.append(c)
    agreements = bulk(Agreement, agreements, made, "LUS-aftaler")
    changed = [x.conversation for x in lus if x.conversation.leader_confirmed_at or x.conversation.partner_confirmed_at]
    Conversation.objects.bulk_update(changed, ["leader_confirmed_at", "partner_confirmed_at"], batch_size=2000)

    followups = []
    for agreement in agreements:
        if agreement.conversation.state == State.CONFIRMED:
            followups.extend(_followups_for(rng, agreement, today))
    bulk(FollowUp, followups, made, "LUS-opfølgninger")

    # A few confirmed records were changed after the confirmation and confirmed again: the
    # first text is kept as revision 1, in the shape lus.services.record_snapshot stores.
    by_conversation: dict[int, list[Agreement]] = {}
    for agreement in agreements:
        by_conversation.setdefault(agreement.conversation_id, []).append(agreement)
    revised = [c for c in confirmed if rng.random() < 0.03]
    revisions = []
    for c in revised:
        snapshot = {
            "revision": 1,
            "notes": "Første udgave af referatet.",
            "leader_confirmed_at": c.leader_confirmed_at.isoformat(),
            "partner_confirmed_at": c.partner_confirmed_at.isoformat(),
            "agreements": [agreement_snapshot(agreement=a) for a in by_conversation[c.pk]],
        }
        revisions.append(RecordRevision(conversation=c, number=1, snapshot=snapshot, created_by_id=c.leader.user_id))
        c.revision = 2
    bulk(RecordRevision, revisions, made, "LUS-revisioner")
    Conversation.objects.bulk_update(revised, ["revision"], batch_size=2000)


def _shares(rng: random.Random, lus: list[_Lus], leaders: list[Person], today: date, made: Made) -> None:
    """Some leaders let a colleague read their LUS (share_add); a third of those revoked
    (share_revoke) since."""
    now = start_of(today)
    rows = []
    for x in lus:
        c = x.conversation
        if rng.random() >= 0.03:
            continue
        person = rng.choice(leaders)
        if person.pk in (c.leader_id, c.partner_id):
            continue
        shared = now - timedelta(days=rng.randint(31, 60))
        revoked = shared + timedelta(days=rng.randint(1, 30)) if rng.random() < 0.33 else None
        rows.append((Share(conversation=c, person=person, revoked_at=revoked), shared))
    saved = bulk(Share, [s for s, _at in rows], made, "LUS-delinger")
    # created_at is auto_now_add: the day of sharing is set after the insert.
    for share, (_s, shared) in zip(saved, rows, strict=True):
        share.created_at = shared
    Share.objects.bulk_update(saved, ["created_at"], batch_size=2000)
