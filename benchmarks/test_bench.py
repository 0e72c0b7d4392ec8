"""Benchmarks (make bench): the pages and the import at the regions' scale, on PostgreSQL.

Timings are printed by pytest-benchmark; nothing here asserts a time."""

import pytest
from django.core.management import call_command
from django.test import Client

from ledelse.organisation_import import organisation_import
from tests.conftest import ORG_CSV

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(org):
    call_command("load_frameworks", verbosity=0)
    client = Client()
    client.force_login(org.users["employee"])
    return client


def _get(client, url):
    r = client.get(url)
    assert r.status_code == 200
    return r


def test_framework_page(benchmark, reader):
    benchmark(_get, reader, "/ledelsesgrundlag/rm-viden-om-den-midtjyske-ledelsesmodel/")


def test_item_page(benchmark, reader):
    benchmark(_get, reader, "/ledelsesgrundlag/rn-ledelsesgrundlaget/ledelse-ned/")


def test_search_danish(benchmark, reader):
    benchmark(_get, reader, "/ledelsesgrundlag/soeg/?q=tillid+samarbejde")


def test_framework_list(benchmark, reader):
    benchmark(_get, reader, "/ledelsesgrundlag/")


def _organisation_csv(units: int, people_per_unit: int) -> str:
    """A region of `units` units on three levels, each with a leader and staff."""
    header, *_ = ORG_CSV.splitlines()
    rows = [header, "unit,R,Region Bench,,region,,,,,,,"]
    people = []
    per_level = max(1, int(units**0.5))
    for i in range(units):
        parent = "R" if i < per_level else f"U{i % per_level}"
        rows.append(f"unit,U{i},Enhed {i},{parent},department,,,,,,,")
        for j in range(people_per_unit):
            leader = "ja" if j == 0 else "nej"
            people.append(f"person,P{i}-{j},Person {i} {j},,,p{i}-{j}@example.org,,,U{i},{leader},,")
    return "\n".join(rows + people) + "\n"


# 800 units with 38 people each is Region Midtjylland's scale (~30,000 staff).
@pytest.mark.parametrize("units,per_unit", [(100, 5), (800, 4), (800, 38)])
def test_organisation_import(benchmark, db, units, per_unit):
    text = _organisation_csv(units, per_unit)
    benchmark.pedantic(organisation_import, kwargs={"text": text}, rounds=1, iterations=1)


def test_organisation_reimport_unchanged(benchmark, db):
    text = _organisation_csv(800, 38)
    organisation_import(text=text)
    benchmark.pedantic(organisation_import, kwargs={"text": text}, rounds=1, iterations=1)


def test_load_frameworks_twice(benchmark, db):
    call_command("load_frameworks", verbosity=0)
    benchmark.pedantic(call_command, args=("load_frameworks",), kwargs={"verbosity": 0}, rounds=3, iterations=1)


# --- Documents (dialogues/pdf.py through ledelse.documents): WeasyPrint itself, no cache ------


def _render(document):
    from ledelse.documents import render

    return render.write_pdf(document, render.render_html(document))


def _framework(slug):
    from values.models import Framework

    return Framework.objects.select_related("current_version", "region").get(slug=slug)


@pytest.mark.parametrize("per_sheet", [4, 6])
def test_pdf_cards_whole_framework(benchmark, reader, per_sheet):
    from dialogues import pdf

    framework = _framework("rm-viden-om-den-midtjyske-ledelsesmodel")  # the most cards (42)

    def run():
        deck = pdf.deck_for(framework=framework, version=framework.current_version)
        return _render(pdf.cards_document(deck=deck, per_sheet=per_sheet))

    benchmark.pedantic(run, rounds=3, iterations=1)


@pytest.mark.parametrize("page_format", ["a4", "a5"])
def test_pdf_booklet(benchmark, reader, page_format):
    from dialogues import pdf

    framework = _framework("rm-viden-om-den-midtjyske-ledelsesmodel")

    def run():
        return _render(
            pdf.booklet_document(framework=framework, version=framework.current_version, page_format=page_format)
        )

    benchmark.pedantic(run, rounds=3, iterations=1)


def test_pdf_recruitment_guide(benchmark, reader):
    from dialogues import pdf

    framework = _framework("rn-ledelsesgrundlaget")
    benchmark.pedantic(
        lambda: _render(pdf.recruitment_document(framework=framework, version=framework.current_version)),
        rounds=3,
        iterations=1,
    )


@pytest.fixture
def demo_plans(db):
    call_command("seed_demo", "--force", verbosity=0)  # the demo organisation, frameworks and plans
    call_command("load_frameworks", verbosity=0)
    from dialogues.models import Activity

    return (
        Activity.objects.filter(principles__isnull=False)
        .select_related("plan__rollout__framework_version__framework", "plan__unit")
        .first()
    )


def test_pdf_meeting_guide(benchmark, demo_plans):
    from dialogues import pdf

    activity = demo_plans
    benchmark.pedantic(
        lambda: _render(pdf.meeting_guide_document(plan=activity.plan, activity=activity)), rounds=3, iterations=1
    )


def test_pdf_plan(benchmark, demo_plans):
    from dialogues import pdf

    plan = demo_plans.plan
    benchmark.pedantic(
        lambda: _render(pdf.plan_document(sections=pdf.plan_sections([plan]), title="Plan", filename="plan.pdf")),
        rounds=3,
        iterations=1,
    )
