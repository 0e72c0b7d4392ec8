"""Demo plans for `seed_demo` (make run): a rollout in each region with plans in every
state, among them leder2's plan waiting for leder's approval, activities dated in the past
and the future (relative to the day it runs), and the reminders they lead to.

The plans' texts are made-up demo content of the units, not framework text: the
frameworks' own texts are only referred to by their themes and principles."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from dialogues import activity_questions, hearings, services
from dialogues.models import Activity, Hearing, HearingComment, Plan, PlanEvent, Rollout
from ledelse.models import Person, Unit, User
from values.models import Framework, Item, ReflectionQuestion

LEDERTRAEF = date(2026, 6, 4)

TRANSLATIONS = [
    "Hos os betyder det, at vi tager dialogen i hverdagen – på tavlemøder, i MED og når vi planlægger vagter.",
    "Vi spørger hinanden, før vi beslutter, og vi fortæller, hvorfor vi beslutter, som vi gør.",
    "Vi giver plads til at prøve nyt i det små og deler, hvad vi lærer – også når det ikke lykkes.",
    "Vi holder fast i det faglige og i patienternes perspektiv, når vi prioriterer.",
]

ACTIVITIES = [
    (Activity.Kind.DIALOG_LEDERGRUPPE, "Dialog i ledergruppen om ledelsesgrundlaget", "Vi bruger dialogkort."),
    (Activity.Kind.DIALOG_MED, "Punkt på dagsordenen i MED-udvalget", "Hvordan bringer vi grundlaget ud?"),
    (Activity.Kind.PERSONALEMOEDE, "Personalemøde: hvad betyder det hos os?", "Cases fra vores egen hverdag."),
    (Activity.Kind.TEMADAG, "Temadag for afsnitsledere", "En dag om dialog og dristighed."),
    (Activity.Kind.LUS, "Ledelsesgrundlaget som afsæt i LUS", "Hver leder tager et princip med til sin LUS."),
]


def _advance(plan: Plan, to_state: str, by: Person | None, comment: str = "", days_ago: int = 0) -> None:
    """Move a demo plan on without the access checks (most demo people have no account)."""
    at = timezone.now() - timedelta(days=days_ago)
    PlanEvent.objects.create(
        plan=plan,
        actor=by.user if by else None,
        actor_name=by.name if by else "",
        at=at,
        from_state=plan.state,
        to_state=to_state,
        comment=comment,
    )
    plan.state = to_state
    if to_state == Plan.State.INDSENDT:
        plan.submitted_at = at
    plan.save(update_fields=["state", "submitted_at", "updated_at"])


def _leader(code: str) -> Person:
    return Person.objects.select_related("unit", "user").get(unit__code=code, is_leader=True)


def _fill(plan: Plan, *, today: date, past: int, future: int, done: bool = False) -> None:
    themes = list(Item.objects.filter(version_id=plan.rollout.framework_version_id, kind="theme").order_by("position"))
    # Every theme and principle can be chosen (issue 19): the first theme (Region
    # Midtjylland's value Dialog, Region Nordjylland's Ledelse op) and the principles.
    principles = themes[:1] + list(
        Item.objects.filter(version_id=plan.rollout.framework_version_id, kind="principle").order_by("position")
    )
    services.plan_translation_save(
        plan=plan,
        texts={t.pk: TRANSLATIONS[i % len(TRANSLATIONS)] for i, t in enumerate(themes[:4])},
        focus_principles=principles[:2],
    )
    members = list(Person.objects.filter(unit=plan.unit).order_by("name"))
    for i, (kind, title, description) in enumerate(ACTIVITIES[: past + future]):
        in_past = i < past
        day = today - timedelta(days=20 - 5 * i) if in_past else today + timedelta(days=5 + 10 * (i - past))
        services.activity_create(
            plan=plan,
            data=services.ActivityData(
                kind=kind,
                title=title,
                description=description,
                responsible=members[i % len(members)] if i % 2 else plan.owner,
                principles=tuple(principles[i % max(len(principles), 1) : i % max(len(principles), 1) + 1]),
                participants=tuple(members[:3]),
                date=max(day, plan.rollout.starts_on),
                start_time=time(9, 0) if kind != Activity.Kind.LUS else None,
                end_time=time(11, 0) if kind != Activity.Kind.LUS else None,
                location="Mødelokale 1" if kind != Activity.Kind.LUS else "",
                status=Activity.Status.GENNEMFOERT if in_past and done else Activity.Status.PLANLAGT,
                outcome="Gode drøftelser; vi tager tråden op på næste møde." if in_past and done else "",
                follow_up_on=today if in_past and done else None,
            ),
        )


def _rollout(
    *, title: str, scope_code: str, framework_slug: str, deadline: date, by: str, starts_on: date = LEDERTRAEF
) -> Rollout | None:
    framework = Framework.objects.select_related("current_version").filter(slug=framework_slug).first()
    scope = Unit.objects.filter(code=scope_code).first()
    if framework is None or framework.current_version is None or scope is None:
        return None
    existing = Rollout.objects.filter(title=title, region_id=scope.region_id).first()
    if existing is not None:
        return existing
    return services.rollout_create(
        user=User.objects.filter(username=by).first(),
        data=services.RolloutData(
            title=title,
            scope_unit=scope,
            framework_version=framework.current_version,
            starts_on=starts_on,
            deadline=max(deadline, starts_on),
        ),
    )


def _plan(rollout: Rollout, code: str, *, carry_on: bool = False) -> Plan | None:
    unit = Unit.objects.get(code=code)
    if Plan.objects.filter(rollout=rollout, unit=unit).exists():
        return None  # made on an earlier run: leave it as it is now
    plan = services.plan_create(user=None, rollout=rollout, unit=unit, carry_on=carry_on)
    # Most demo leaders have no account: the history names the owner who started it.
    plan.events.update(actor=plan.owner.user, actor_name=plan.owner.name)
    return plan


@transaction.atomic
def plans_seed(*, today: date | None = None) -> int:
    """Make the demo rollouts and plans (once; a second run adds nothing). Returns the
    number of plans made."""
    if not Framework.objects.exists():
        call_command("load_frameworks", verbosity=0)
    today = today or timezone.localdate()
    return _rm_plans_seed(today=today) + _hearing_seed(today=today) + _rn_plans_seed(today=today)


def _rm_plans_seed(*, today: date) -> int:
    """Region Midtjylland's rollout and its plans, in every state. Returns the number made."""
    rm = _rollout(
        title="Lokal oversættelse og aktivering 2026",
        scope_code="RM",
        framework_slug="rm-god-ledelse-og-styring",
        deadline=today + timedelta(days=10),
        by="koncern",
    )
    if rm is None:
        return 0
    made = 0
    koncern, leder, leder2 = _leader("RM"), _leader("RM-AUH"), _leader("RM-AUH-HJ")
    if plan := _plan(rm, "RM-AUH"):
        _fill(plan, today=today, past=2, future=2, done=True)
        _advance(plan, Plan.State.INDSENDT, leder, days_ago=40)
        _advance(plan, Plan.State.GODKENDT, koncern, "Fin plan – god idé med LUS.", days_ago=35)
        _advance(plan, Plan.State.I_GANG, leder, days_ago=30)
        made += 1
    if plan := _plan(rm, "RM-AUH-HJ", carry_on=True):
        # leder2's plan waits for leder's approval (submitted ten days ago).
        _fill(plan, today=today, past=1, future=2, done=False)
        _advance(plan, Plan.State.INDSENDT, leder2, days_ago=10)
        made += 1
    if plan := _plan(rm, "RM-AUH-AK", carry_on=True):
        _fill(plan, today=today, past=0, future=2)
        made += 1
    if plan := _plan(rm, "RM-AUH-KI"):
        _fill(plan, today=today, past=2, future=1, done=True)
        _advance(plan, Plan.State.INDSENDT, _leader("RM-AUH-KI"), days_ago=50)
        _advance(plan, Plan.State.KLADDE, leder, "Skriv mere om, hvordan MED-udvalget er med.", days_ago=48)
        _advance(plan, Plan.State.INDSENDT, _leader("RM-AUH-KI"), days_ago=45)
        _advance(plan, Plan.State.GODKENDT, leder, days_ago=44)
        made += 1
    if plan := _plan(rm, "RM-HEM"):
        _fill(plan, today=today, past=3, future=0, done=True)
        _advance(plan, Plan.State.INDSENDT, _leader("RM-HEM"), days_ago=90)
        _advance(plan, Plan.State.GODKENDT, koncern, days_ago=88)
        _advance(plan, Plan.State.I_GANG, _leader("RM-HEM"), days_ago=80)
        _advance(plan, Plan.State.AFSLUTTET, _leader("RM-HEM"), days_ago=2)
        made += 1
    return made


def _rn_plans_seed(*, today: date) -> int:
    """Region Nordjylland's rollout and its plans. Returns the number made."""
    rn = _rollout(
        title="Ledelsesgrundlaget i hverdagen",
        scope_code="RN",
        framework_slug="rn-ledelsesgrundlaget",
        deadline=today + timedelta(days=30),
        by="",
    )
    if rn is None:
        return 0
    made = 0
    if plan := _plan(rn, "RN-AAUH"):
        _fill(plan, today=today, past=1, future=2, done=True)
        _advance(plan, Plan.State.INDSENDT, _leader("RN-AAUH"), days_ago=20)
        _advance(plan, Plan.State.GODKENDT, _leader("RN"), days_ago=15)
        made += 1
    if plan := _plan(rn, "RN-AAUH-AK", carry_on=True):
        _fill(plan, today=today, past=0, future=2)
        _advance(plan, Plan.State.INDSENDT, _leader("RN-AAUH-AK"), days_ago=3)
        made += 1
    if plan := _plan(rn, "RN-RHN"):
        _fill(plan, today=today, past=0, future=1)
        made += 1
    return made


def _hearing_seed(*, today: date) -> int:
    """Koncern HR's rollout of the personalepolitik at Aarhus Universitetshospital, where
    Hjertesygdomme's draft (leder2's) is out for comments (a høring) for the unit's
    employees and its MED committee, closing in five days, with one comment already from a
    colleague: so `medarbejder` has something to take part in. The comment is made-up demo
    content. Returns the plans made."""
    rollout = _rollout(
        title="Personalepolitikken i praksis",
        scope_code="RM-AUH",
        framework_slug="rm-personalepolitik",
        deadline=today + timedelta(days=40),
        by="hr",
        starts_on=date(2026, 5, 1),
    )
    if rollout is None:
        return 0
    plan = _plan(rollout, "RM-AUH-HJ")
    if plan is None:
        return 0
    _fill(plan, today=today, past=0, future=1)
    # The plan was started before its hearing opened (two days ago): its history in order.
    plan.events.update(at=timezone.now() - timedelta(days=3))
    owner = plan.owner
    if owner.user is None:
        return 1
    _questions_seed(plan=plan)
    people = hearings.hearing_audience_people(plan=plan)
    audience = Hearing.Audience.BOTH if people.committee is not None else Hearing.Audience.EMPLOYEES
    hearing = hearings.hearing_open(plan=plan, closes_on=today + timedelta(days=5), audience=audience, by=owner.user)
    Hearing.objects.filter(pk=hearing.pk).update(opened_at=timezone.now() - timedelta(days=2))
    colleague = (
        hearings.hearing_invitees(hearing=hearing)
        .filter(user__isnull=True)
        .exclude(pk=owner.pk)
        .order_by("name")
        .first()
    )
    theme = Item.objects.filter(version_id=rollout.framework_version_id, kind="theme").order_by("position").first()
    if colleague is not None and theme is not None:
        HearingComment.objects.create(
            hearing=hearing,
            theme=theme,
            author=colleague,
            author_name=colleague.name,
            text="Godt at se det skrevet ned. Kan vi tage det med på næste personalemøde, så nattevagterne også er med?",
            created_at=timezone.now() - timedelta(days=1),
        )
    return 1


def _questions_seed(*, plan: Plan) -> None:
    """The plan's coming meeting has one of the framework's reflection questions asked ahead
    of it, answered by two of those taking part: `medarbejder`'s answer is the third, after
    which the answers show (without names) on the activity's page and in the meeting guide.
    The answers are made-up demo content."""
    activity = plan.activities.filter(start_time__isnull=False, date__isnull=False).order_by("date").first()
    if activity is None or activity.responsible is None or activity.questions.exists():
        return
    question = (
        ReflectionQuestion.objects.filter(item__version_id=plan.rollout.framework_version_id).order_by("pk").first()
    )
    if question is None:
        return
    try:
        asked = activity_questions.activity_questions_ask(
            activity=activity, questions=[question], by=activity.responsible
        )
    except ValidationError:
        return  # fewer than three taking part: nothing to ask
    answers = (
        "Vi kunne blive bedre til at sige det højt, når noget virker.",
        "At vi tager os tid til at spørge nattevagterne.",
    )
    answering = activity.participants.exclude(user__username="medarbejder").order_by("name")
    for person, text in zip(answering, answers, strict=False):
        activity_questions.activity_answer_save(question=asked[0], person=person, text=text)
