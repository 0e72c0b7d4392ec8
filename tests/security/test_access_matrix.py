"""Every URL that takes an object id, for GET and POST, with every account of the cast.

The URLs come from the URL configuration itself (`get_resolver()`, walked recursively); a
meta-test fails when a URL with an `<int:>` or `<slug:>` part is added without a row in
`EXPECTED`. Each row names the objects of the small data set below that fill the URL and the
answer each account gets. The admin's URLs (`<path:object_id>`) are left to the admin's own
tests (tests/ledelse/test_admin_access.py); signed-out visitors are checked for every URL in
tests/ledelse/test_login_required.py and again here.

The data set (tests/conftest.py has the cast):
    framework "test-grundlag" (Region Test), rollout over Region Test, the draft plan of A1
    (owner leader2) with one activity (leader2 responsible; employee, leader2 and two more
    taking part; one question asked before the meeting); the MED committee of A1 with employee
    as næstformand;
    LUS round of HR (scope Hospital A): leader2's LUS with leader as partner, held, with an
    agreement, a follow-up and a read-only share with koncern; leader's LUS with koncern;
    a notification and a document job of leader2;
    an open hearing of the plan for the unit's employees (employee is invited, leader2 owns
    it, leader approves the plan) with one comment by employee.

Each POST is rolled back, so one account's change (a submitted plan) does not change the
next account's answer.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from dialogues import hearings
from dialogues import services as plan_services
from dialogues.models import ActivityQuestion
from ledelse.documents.models import DocumentJob
from ledelse.models import MedCommittee, MedMembership, Person
from ledelse.notifications.models import Reminder
from lus import services as lus_services
from lus.models import Preparation
from tests.dialogues.conftest import activity_data
from tests.lus.conftest import held, make_lus, prepare
from tests.values.factories import make_framework

USERS = ("koncern", "leader", "leader2", "leader3", "employee", "hr", "outsider", "admin")
METHODS = ("GET", "POST")
ID_CONVERTER = re.compile(r"<(?:int|slug):\w+>")


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}{p.name}" if p.name else None


def urls_with_ids() -> dict[str, str]:
    """URL name -> route, for every route outside the admin with an int or slug part."""
    return {
        name: route
        for route, name in _walk(get_resolver().url_patterns)
        if ID_CONVERTER.search(route) and not route.startswith("admin/")
    }


@pytest.fixture
def data(org):
    """The known data set; values are what the URLs' parameters take."""
    framework = make_framework(region="Region Test")
    version = framework.current_version
    item = version.items.filter(kind="principle").order_by("position").first()
    rollout = plan_services.rollout_create(
        user=org.users["koncern"],
        data=plan_services.RolloutData(
            title="Udrulning 2026",
            scope_unit=org.units["RT"],
            framework_version=version,
            starts_on=date(2026, 6, 4),
            deadline=date(2026, 12, 31),
        ),
    )
    plan = plan_services.plan_create(user=org.users["leader2"], rollout=rollout, unit=org.units["A1"])
    activity = plan_services.activity_create(plan=plan, data=activity_data(org, date=date(2026, 10, 1)))
    committee = MedCommittee.objects.create(unit=org.units["A1"], name="LokalMED Afdeling A1")
    MedMembership.objects.create(committee=committee, person=org.people["employee"], role="naestformand")
    # Questions before the meeting: employee and leader2 take part (with two more), leader2 asked.
    others = [Person.objects.create(employee_id=f"M{n}", name=f"Deltager {n}", unit=org.units["A1"]) for n in (1, 2)]
    activity.participants.add(org.people["employee"], org.people["leader2"], *others)
    question = ActivityQuestion.objects.create(
        activity=activity, position=1, item_key=item.key, text="Hvad gør vi?", asked_at=timezone.now()
    )
    theme = version.items.filter(kind="theme").order_by("position").first()
    for text in ("Første tekst", "Anden tekst"):  # the first is kept in the theme's history
        plan_services.plan_translation_save(plan=plan, texts={theme.pk: text}, focus_principles=[])
    hearing = hearings.hearing_open(
        plan=plan, closes_on=timezone.localdate() + timedelta(days=7), audience="employees", by=org.users["leader2"]
    )
    hearing_comment = hearings.hearing_comment_add(hearing=hearing, theme=theme, text="Godt", by=org.users["employee"])
    lus = make_lus(org)
    prepare(lus.conversation, Preparation.Role.LEADER, [3, 4, 5])  # leader2's, shared with the partner
    conversation = held(lus.conversation, lus.principles, agreements=1)
    agreement = conversation.agreements.get()
    followup = lus_services.followup_add(agreement=agreement, date=date(2026, 11, 1))
    share = lus_services.share_add(conversation=conversation, who="koncern")
    notification = Reminder.objects.create(
        recipient=org.users["leader2"],
        kind="notice",
        target_type=ContentType.objects.get_for_model(plan),
        target_id=plan.pk,
        due_on=date(2026, 12, 1),
        title="Planen skal indsendes",
        url=f"/planer/{plan.pk}/",
    )
    job = DocumentJob.objects.create(
        requested_by=org.users["leader2"], kind="dialogues.all_cards", request_key="x", title="Alle dialogkort"
    )
    return {
        "framework": framework.slug,
        "version": version.number,
        "item": item.key,
        "rollout": rollout.pk,
        "plan": plan.pk,
        "activity": activity.pk,
        "question": question.pk,
        "revision": plan.revisions.get().pk,
        "unit": org.units["A"].pk,  # Hospital A has no plan yet: leader may start one
        "material": lus.framework.slug,
        "notification": notification.pk,
        "job": job.pk,
        "round": lus.round.pk,
        "conversation": conversation.pk,
        "agreement": agreement.pk,
        "followup": followup.pk,
        "share": share.pk,
        "leader_role": Preparation.Role.LEADER,
        "hearing": hearing.pk,
        "theme": theme.pk,
        "hearing_comment": hearing_comment.pk,
    }


def answer(client: Client, method: str, url: str) -> int:
    """The status code, a view's exception counted as the 500 it would be. POSTs are undone."""
    try:
        with transaction.atomic():
            response = client.get(url) if method == "GET" else client.post(url, {})
            transaction.set_rollback(True)
    except Exception:  # noqa: BLE001 - any exception from a view is a server error
        return 500
    return response.status_code


def _url(name: str, kwargs: dict[str, str], data: dict) -> str:
    return reverse(name, kwargs={arg: data[obj] for arg, obj in kwargs.items()})


# --- The expected answers -----------------------------------------------------------------------
# "200 a b | 404 *": a and b get 200, every other account 404. Signed out: always the login page.
# Who sees what (docs/ and /work/shared/domain.md): frameworks and plans are read by everyone
# in the region (outside it they do not exist: 404); a plan is changed by its owner (leader2),
# the owner's own leader (leader) and the region's top management (koncern), the others that
# may read it get 403; copying an activity or a translation to one's own plan, and asking for a
# document, answer with a redirect and a message for everyone who can read the plan. LUS
# content exists only for the leader, the partner and those it is shared with (404 for all
# others, HR and the administrator included); a round exists for the HR that runs it and the
# region's top management.
VIEW_PLAN = "200 koncern leader leader2 leader3 employee hr admin | 404 outsider"
CHANGE_PLAN_FORM = "200 koncern leader leader2 | 403 leader3 employee hr admin | 404 outsider"
CHANGE_PLAN = "302 koncern leader leader2 | 403 leader3 employee hr admin | 404 outsider"
COPY_FROM_PLAN = "302 koncern leader leader2 leader3 employee hr admin | 404 outsider"
EVERYONE = "200 *"
NOT_ALLOWED = "405 *"  # the method is wrong: said before anything is looked up
LUS_READERS = "200 koncern leader leader2 | 404 *"  # koncern reads it through the share
LUS_PARTIES_FORM = "200 leader leader2 | 404 *"
LUS_PARTIES = "302 leader leader2 | 404 *"
LUS_OWNER = "302 leader2 | 404 *"


PLAN, ACTIVITY = {"pk": "plan"}, {"pk": "plan", "activity_pk": "activity"}
ROLLOUT, MATERIAL = {"pk": "rollout"}, {"slug": "material"}
ROUND, LUS = {"pk": "round"}, {"pk": "conversation"}

# name: (URL parameters -> data set keys, GET, POST[, known defect])
EXPECTED: dict[str, tuple] = {
    "values:framework_detail": ({"slug": "framework"}, EVERYONE, NOT_ALLOWED),
    "values:framework_version": ({"slug": "framework", "number": "version"}, EVERYONE, NOT_ALLOWED),
    "values:item_version": ({"slug": "framework", "number": "version", "key": "item"}, EVERYONE, NOT_ALLOWED),
    "values:item_detail": ({"slug": "framework", "key": "item"}, EVERYONE, NOT_ALLOWED),
    "dialogues:rollout_detail": (ROLLOUT, "200 * | 404 outsider", NOT_ALLOWED),
    "dialogues:rollout_edit": (ROLLOUT, *["200 koncern admin | 404 outsider | 403 *"] * 2),
    "dialogues:plan_start": (
        {"pk": "rollout", "unit_pk": "unit"},
        "200 koncern leader | 404 outsider | 403 *",
        "302 koncern leader | 404 outsider | 403 *",
    ),
    "dialogues:plan_detail": (PLAN, VIEW_PLAN, NOT_ALLOWED),
    "dialogues:plan_translation_edit": (PLAN, CHANGE_PLAN_FORM, CHANGE_PLAN),
    "dialogues:plan_co_owners_edit": (PLAN, CHANGE_PLAN_FORM, CHANGE_PLAN),
    "dialogues:plan_translation_restore": ({"pk": "plan", "revision_pk": "revision"}, NOT_ALLOWED, CHANGE_PLAN),
    "dialogues:plan_submit": (PLAN, NOT_ALLOWED, CHANGE_PLAN),
    # Approving is for the owner's own leader (and koncern), not the owner.
    "dialogues:plan_approve": (PLAN, NOT_ALLOWED, "302 koncern leader | 404 outsider | 403 *"),
    "dialogues:plan_send_back": (PLAN, *["200 koncern leader | 404 outsider | 403 *"] * 2),
    "dialogues:plan_begin": (PLAN, NOT_ALLOWED, CHANGE_PLAN),
    "dialogues:plan_check": (PLAN, CHANGE_PLAN_FORM, NOT_ALLOWED),
    "dialogues:plan_withdraw": (PLAN, NOT_ALLOWED, CHANGE_PLAN),
    "dialogues:plan_finish": (PLAN, NOT_ALLOWED, CHANGE_PLAN),
    # MED's treatment: the committee's formand and næstformand (POST {}: the form again);
    # it does not exist for anyone without a seat in the committee covering the unit.
    "dialogues:plan_med_treatment": (PLAN, *["200 employee | 404 *"] * 2),
    "dialogues:plan_translation_copy": (PLAN, NOT_ALLOWED, COPY_FROM_PLAN),
    # The side-by-side choice exists only for those who edit the plan copied into.
    "dialogues:plan_translation_copy_review": (
        {"pk": "plan", "source_pk": "plan"},
        "200 koncern leader leader2 | 404 *",
        "302 koncern leader leader2 | 404 *",
    ),
    "dialogues:activity_create": (PLAN, CHANGE_PLAN_FORM, CHANGE_PLAN_FORM),  # POST {}: the form again
    "dialogues:activity_edit": (ACTIVITY, CHANGE_PLAN_FORM, CHANGE_PLAN_FORM),
    "dialogues:activity_ics": (ACTIVITY, VIEW_PLAN, NOT_ALLOWED),
    "dialogues:activity_delete": (ACTIVITY, CHANGE_PLAN_FORM, CHANGE_PLAN),  # GET asks first
    "dialogues:activity_copy": (ACTIVITY, NOT_ALLOWED, COPY_FROM_PLAN),
    "dialogues:plan_pdf": (PLAN, VIEW_PLAN, NOT_ALLOWED),
    "dialogues:activity_guide_pdf": (ACTIVITY, VIEW_PLAN, NOT_ALLOWED),
    "dialogues:activity_presentation": (ACTIVITY, VIEW_PLAN, NOT_ALLOWED),
    "dialogues:activity_outcome": (ACTIVITY, NOT_ALLOWED, CHANGE_PLAN),
    # A hearing: the owner opens (here: one is open, so to it) and closes it and answers; the
    # invited comment; those who edit or approve the plan read it (403 for what they may not
    # do); for everyone else in the region it does not exist (404).
    "dialogues:hearing_open": (PLAN, *["302 leader2 | 404 outsider | 403 *"] * 2),
    "dialogues:hearing_comment": (
        {"pk": "plan", "hearing_pk": "hearing", "theme_pk": "theme"},
        "200 employee | 403 koncern leader leader2 | 404 *",
        "200 employee | 403 koncern leader leader2 | 404 *",  # POST {}: the form again
    ),
    "dialogues:hearing_close": (
        {"pk": "plan", "hearing_pk": "hearing"},
        NOT_ALLOWED,
        "302 leader2 | 403 koncern leader employee | 404 *",
    ),
    "dialogues:hearing_comment_answer": (
        {"pk": "plan", "comment_pk": "hearing_comment"},
        *["200 leader2 | 403 koncern leader employee | 404 *"] * 2,
    ),
    # Questions before the meeting: the activity's page is read where the plan is; only the
    # person responsible (leader2) asks, only those taking part (leader2, employee) answer. POST {}:
    # the page again with the form's message. The meeting's day has passed: closed, but the
    # form's own check comes first.
    "dialogues:activity_questions": (ACTIVITY, VIEW_PLAN, NOT_ALLOWED),
    "dialogues:activity_questions_ask": (ACTIVITY, NOT_ALLOWED, "200 leader2 | 404 outsider | 403 *"),
    "dialogues:activity_answer": (
        {"pk": "plan", "activity_pk": "activity", "question_pk": "question"},
        NOT_ALLOWED,
        "200 leader2 employee | 404 outsider | 403 *",
    ),
    "dialogues:rollout_plans_request": (ROLLOUT, NOT_ALLOWED, "302 * | 404 outsider"),
    "dialogues:material": (MATERIAL, EVERYONE, NOT_ALLOWED),
    "dialogues:cards_pdf": (MATERIAL, EVERYONE, NOT_ALLOWED),
    "dialogues:cards_presentation": (MATERIAL, EVERYONE, NOT_ALLOWED),
    "dialogues:booklet_pdf": (MATERIAL, EVERYONE, NOT_ALLOWED),
    "dialogues:recruitment_pdf": (MATERIAL, EVERYONE, NOT_ALLOWED),
    "dialogues:cards_pptx": (MATERIAL, EVERYONE, NOT_ALLOWED),
    "dialogues:activity_pptx": (ACTIVITY, VIEW_PLAN, NOT_ALLOWED),
    # Opening a notice marks it read and goes on to its thing: the recipient's own only.
    "notifications:open": ({"pk": "notification"}, "302 leader2 | 404 *", NOT_ALLOWED),
    "notifications:read": ({"pk": "notification"}, NOT_ALLOWED, "302 leader2 | 404 *"),
    "documents:job": ({"pk": "job"}, "200 leader2 | 404 *", NOT_ALLOWED),
    "lus:round_detail": (ROUND, "200 koncern hr | 404 *", NOT_ALLOWED),
    "lus:round_edit": (ROUND, "200 hr | 404 *", "200 hr | 404 *"),
    "lus:round_preview": (ROUND, "200 hr | 404 *", "302 hr | 404 *"),
    "lus:round_participant_preview": (ROUND, "200 hr | 404 *", NOT_ALLOWED),
    "lus:round_participation": (ROUND, "200 hr | 404 *", NOT_ALLOWED),
    "lus:round_remind": (ROUND, NOT_ALLOWED, "302 hr | 404 *"),
    "lus:conversation_partner": (LUS, "200 hr | 404 *", "200 hr | 404 *"),
    "lus:conversation_detail": (LUS, LUS_READERS, NOT_ALLOWED),
    "lus:preparation_edit": (LUS, LUS_PARTIES_FORM, LUS_PARTIES),
    "lus:preparation_share": (LUS, NOT_ALLOWED, LUS_PARTIES),
    "lus:booking": (LUS, LUS_PARTIES_FORM, LUS_PARTIES_FORM),
    "lus:booking_ics": (LUS, LUS_READERS, NOT_ALLOWED),
    # POST {}: the record form without its agreement rows is refused as malformed.
    "lus:record_edit": (LUS, LUS_PARTIES_FORM, "400 leader leader2 | 404 *"),
    "lus:record_confirm": (LUS, NOT_ALLOWED, LUS_PARTIES),
    "lus:record_revise": (LUS, NOT_ALLOWED, LUS_PARTIES),
    "lus:followup_add": ({"pk": "conversation", "agreement_pk": "agreement"}, NOT_ALLOWED, LUS_PARTIES),
    "lus:followup_edit": ({"pk": "conversation", "followup_pk": "followup"}, LUS_PARTIES_FORM, LUS_PARTIES_FORM),
    "lus:followup_ics": ({"pk": "conversation", "followup_pk": "followup"}, LUS_READERS, NOT_ALLOWED),
    "lus:share_add": (LUS, NOT_ALLOWED, LUS_OWNER),
    # The preparation as a PDF: the two parties only (leader2's own, shared with leader).
    "lus:preparation_pdf": ({"pk": "conversation", "role": "leader_role"}, "200 leader leader2 | 404 *", NOT_ALLOWED),
    # The development plan exists once both have confirmed; this LUS is held, not confirmed.
    "lus:record_pdf": (LUS, "404 *", NOT_ALLOWED),
    "lus:share_revoke": ({"pk": "conversation", "share_pk": "share"}, NOT_ALLOWED, LUS_OWNER),
}


def expected_codes(spec: str) -> dict[str, int]:
    codes: dict[str, int] = {}
    rest = None
    for group in spec.split("|"):
        code, *users = group.split()
        if users == ["*"] or "*" in users:
            rest = int(code)
        for user in users:
            if user != "*":
                assert user in USERS and user not in codes, f"{user} in {spec!r}"
                codes[user] = int(code)
    for user in USERS:
        if user not in codes:
            assert rest is not None, f"no answer for {user} in {spec!r}"
            codes[user] = rest
    return codes


def test_every_url_with_an_id_is_in_the_table():
    assert set(urls_with_ids()) == set(EXPECTED), "add the new URL to EXPECTED (or remove the old row)"
    for name, (params, *_rest) in EXPECTED.items():
        route = urls_with_ids()[name]
        assert set(re.findall(r"<(?:int|slug|str):(\w+)>", route)) == set(params), name


def test_the_table_names_an_answer_for_every_account():
    for name, (_params, get, post, *_defect) in EXPECTED.items():
        assert set(expected_codes(get)) == set(USERS) == set(expected_codes(post)), name


def _cases():
    for name, (_params, _get, _post, *defect) in sorted(EXPECTED.items()):
        marks = [pytest.mark.xfail(strict=True, reason=defect[0])] if defect else []
        yield pytest.param(name, marks=marks, id=name)


@pytest.mark.parametrize("name", list(_cases()))
def test_each_account_gets_the_expected_answer(client, org, data, name):
    params, get, post, *_defect = EXPECTED[name]
    url = _url(name, params, data)
    wrong = []
    for method, spec in zip(METHODS, (get, post), strict=True):
        for user, code in expected_codes(spec).items():
            client.force_login(org.users[user])
            got = answer(client, method, url)
            if got != code:
                wrong.append(f"{method} {user}: {got}, expected {code}")
        client.logout()
        got = answer(client, method, url)
        if got != 302:
            wrong.append(f"{method} signed out: {got}, expected the login page")
    assert not wrong, f"{url}: " + "; ".join(wrong)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_an_id_that_does_not_exist_is_not_found(client, org, data, name):
    params, *_rest = EXPECTED[name]
    missing = dict(data, **{k: (999999 if isinstance(v, int) else "findes-ikke") for k, v in data.items()})
    url = _url(name, params, missing)
    client.force_login(org.users["admin"])
    codes = {method: answer(client, method, url) for method in METHODS}
    # A wrong method may be refused before anything is looked up.
    assert set(codes.values()) <= {404, 405} and 404 in codes.values(), (url, codes)
