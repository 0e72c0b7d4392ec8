"""Background documents are not kept for ever, and a job whose task was lost is not left
pending: documents_sweep sends it again, then gives up and tells the user;
documents_remove_expired removes old jobs and the stored PDFs no kept job points at."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from ledelse.documents import registry, services
from ledelse.documents.models import DocumentJob
from ledelse.documents.render import storage, storage_name
from ledelse.notifications.models import Reminder

pytestmark = pytest.mark.django_db


def _job(org, *, state="pending", age=timedelta(0), file_name="", key="k"):
    job = DocumentJob.objects.create(
        requested_by=org.users["employee"],
        kind="dialogues.all_cards",
        params={},
        request_key=key,
        title="Alle dialogkort",
        state=state,
        file_name=file_name,
        finished_at=None if state == "pending" else timezone.now() - age,
    )
    DocumentJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - age)
    return job


def _stored(key: str, *, age: timedelta) -> str:
    files = storage()
    name = files.save(storage_name(key), ContentFile(b"%PDF-1.7 test"))
    old = (timezone.now() - age).timestamp()
    os.utime(files.path(name), (old, old))
    return name


def test_a_lost_task_is_sent_again(org, django_capture_on_commit_callbacks, settings):
    settings.DOCUMENTS_REQUEUE_AFTER = 900
    fresh = _job(org, key="fresh", age=timedelta(minutes=1))
    lost = _job(org, key="lost", age=timedelta(minutes=20))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        swept = services.documents_sweep()
    assert swept.requeued == 1 and swept.failed == 0
    assert len(callbacks) == 1
    # The task really was enqueued for the lost job (eager here: it runs and renders it).
    callbacks[0]()
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.state == DocumentJob.State.READY and lost.file_name
    assert fresh.state == DocumentJob.State.PENDING


def test_a_job_pending_too_long_fails_and_the_user_is_told(org, settings):
    settings.DOCUMENTS_GIVE_UP_AFTER = 3 * 60 * 60
    job = _job(org, age=timedelta(hours=4))
    swept = services.documents_sweep()
    job.refresh_from_db()
    assert swept.failed == 1 and job.state == DocumentJob.State.FAILED
    notice = Reminder.objects.get(recipient=org.users["employee"], kind=services.NOTICE_KIND)
    assert "kunne ikke laves" in notice.title and notice.url == job.get_absolute_url()
    assert services.documents_sweep().failed == 0  # told once


def test_a_task_sent_again_while_a_live_worker_renders_is_not_rendered_twice(org):
    """A task sent again (redelivered, or swept) while a worker still renders the job: the
    second run sees the live worker's heartbeat and renders nothing; the job is made once and
    its owner notified once (issue 17: the same 800-plan document was rendered twice)."""
    job = _job(org)
    cards = registry.builder_for("dialogues.all_cards")
    runs = []

    def the_other_run_starts_meanwhile(**kwargs):
        runs.append(1)
        if len(runs) == 1:  # the first run, while rendering, meets a second delivery
            assert services.document_job_run(job_id=job.pk) == "running"
        return cards(**kwargs)

    registry.register_document("tests.racing", the_other_run_starts_meanwhile)
    DocumentJob.objects.filter(pk=job.pk).update(kind="tests.racing")
    try:
        assert services.document_job_run(job_id=job.pk) == DocumentJob.State.READY
    finally:
        registry._builders.pop("tests.racing")
    assert len(runs) == 1
    assert Reminder.objects.filter(kind=services.NOTICE_KIND).count() == 1


def test_a_job_whose_worker_died_is_sent_again_and_one_still_rendering_is_not(
    org, django_capture_on_commit_callbacks, settings
):
    settings.DOCUMENTS_REQUEUE_AFTER = 180
    settings.DOCUMENTS_HEARTBEAT_STALE = 120
    now = timezone.now()
    dead = _job(org, age=timedelta(minutes=20), key="dead")
    alive = _job(org, age=timedelta(minutes=20), key="alive")
    DocumentJob.objects.filter(pk=dead.pk).update(
        enqueued_at=now - timedelta(minutes=20),
        started_at=now - timedelta(minutes=19),
        heartbeat_at=now - timedelta(minutes=5),
    )
    DocumentJob.objects.filter(pk=alive.pk).update(
        enqueued_at=now - timedelta(minutes=20),
        started_at=now - timedelta(minutes=19),
        heartbeat_at=now - timedelta(seconds=20),
    )
    with django_capture_on_commit_callbacks() as callbacks:
        swept = services.documents_sweep(now=now)
    assert swept.requeued == 1 and len(callbacks) == 1


def test_old_jobs_and_the_files_no_kept_job_points_at_are_removed(org, settings):
    settings.DOCUMENTS_KEEP_DAYS = 7
    old_file = _stored("aa" + "0" * 62, age=timedelta(days=10))
    shared_file = _stored("bb" + "0" * 62, age=timedelta(days=10))
    new_file = _stored("cc" + "0" * 62, age=timedelta(days=1))
    old_job = _job(org, state="ready", age=timedelta(days=8), file_name=old_file, key="old")
    # An older file that a recent request reused: kept while that job is kept.
    recent_job = _job(org, state="ready", age=timedelta(days=2), file_name=shared_file, key="recent")
    pending = _job(org, age=timedelta(days=9), key="pending")
    removed = services.documents_remove_expired()
    assert removed.jobs == 1 and removed.files == 1
    assert not DocumentJob.objects.filter(pk=old_job.pk).exists()
    assert DocumentJob.objects.filter(pk__in=[recent_job.pk, pending.pk]).count() == 2
    files = storage()
    assert not files.exists(old_file)
    assert files.exists(shared_file) and files.exists(new_file)


def test_the_removal_runs_with_no_documents_stored(org):
    assert services.documents_remove_expired() == services.Removed(jobs=0, files=0)


def test_the_periodic_tasks_are_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"documents.sweep_jobs", "documents.remove_expired"} <= tasks
