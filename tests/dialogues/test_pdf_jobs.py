"""Large documents by a Celery task: eager here (make run), then once on a real worker
through Redis; the user is notified, identical requests reuse the file, only the one who
asked may fetch it."""

from __future__ import annotations

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker

from ledelse.celery import make_app
from ledelse.documents.models import DocumentJob
from ledelse.notifications.models import Reminder
from tests.conftest import client_for
from tests.documents.conftest import _media_root, reader, text_of  # noqa: F401

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.mark.django_db
def test_all_frameworks_cards_are_made_by_a_task_and_the_user_is_notified(
    client, org, framework, other_framework, django_capture_on_commit_callbacks
):
    c = client_for(client, org.users["employee"])
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post("/planer/materiale/alle-dialogkort/", {"pr_ark": "6"})
    job = DocumentJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/dokumenter/{job.pk}/"
    assert job.state == DocumentJob.State.READY and not job.reused
    download = c.get(f"/dokumenter/{job.pk}/")
    assert download["Content-Type"] == "application/pdf"
    text = text_of(download.content)
    assert "TESTGRUNDLAG" in text and "ANDET GRUNDLAG" in text  # the framework line is in capitals
    notice = Reminder.objects.get(recipient=org.users["employee"], kind="document-ready")
    assert notice.url == f"/dokumenter/{job.pk}/"
    # The same request again reuses the file; another user may not fetch the first one's.
    with django_capture_on_commit_callbacks(execute=True):
        c.post("/planer/materiale/alle-dialogkort/", {"pr_ark": "6"})
    second = DocumentJob.objects.exclude(pk=job.pk).get()
    assert second.reused and second.file_name == job.file_name
    assert client_for(client, org.users["leader"]).get(f"/dokumenter/{job.pk}/").status_code == 404


@pytest.mark.django_db
def test_every_units_plan_is_one_document_for_a_reader_of_the_region(
    client, org, rollout, plan, django_capture_on_commit_callbacks
):
    """By part of the organisation: tests/dialogues/test_rollout_plans_document.py."""
    c = client_for(client, org.users["leader3"])
    with django_capture_on_commit_callbacks(execute=True):
        c.post(f"/planer/udrulninger/{rollout.pk}/alle-planer/", {"enhed": org.units["RT"].pk})
    job = DocumentJob.objects.get()
    assert "Plan for Afdeling A1" in text_of(c.get(f"/dokumenter/{job.pk}/").content)
    assert (
        client_for(client, org.users["outsider"]).post(f"/planer/udrulninger/{rollout.pk}/alle-planer/").status_code
        == 404
    )


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_the_document_through_redis(client, org, framework):
    app = make_app(broker_url=REDIS_URL, task_always_eager=False)
    app.control.purge()
    c = client_for(client, org.users["employee"])
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        c.post("/planer/materiale/alle-dialogkort/", {"pr_ark": "4"})
        job = DocumentJob.objects.get()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and DocumentJob.objects.get(pk=job.pk).state == DocumentJob.State.PENDING:
            time.sleep(0.1)
    job.refresh_from_db()
    assert job.state == DocumentJob.State.READY
    assert len(reader(c.get(f"/dokumenter/{job.pk}/").content).pages) == 2
    assert Reminder.objects.filter(recipient=org.users["employee"], kind="document-ready").count() == 1
