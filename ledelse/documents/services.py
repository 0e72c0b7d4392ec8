"""Documents made in the background: a request claims a job (an identical pending one is
reused), a Celery task renders it through the content cache, and the user is notified."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ledelse.documents import registry
from ledelse.documents.models import DocumentJob
from ledelse.documents.render import STORAGE_FOLDER, render_to_storage, storage
from ledelse.notifications.services import notify

logger = logging.getLogger(__name__)

NOTICE_KIND = "document-ready"


def request_key(kind: str, params: dict) -> str:
    return hashlib.sha256(json.dumps([kind, params], sort_keys=True).encode()).hexdigest()


def document_job_request(*, user: AbstractBaseUser, kind: str, params: dict, title: str) -> DocumentJob:
    """A job for the user to make `kind` with `params` (JSON values), enqueued after commit.
    While the same request is still pending for the user, that job is returned instead."""
    registry.builder_for(kind)  # unknown kinds fail here, not in the worker
    key = request_key(kind, params)
    pending = DocumentJob.objects.filter(requested_by=user, request_key=key, state=DocumentJob.State.PENDING).first()
    if pending is not None:
        return pending
    try:
        with transaction.atomic():
            job = DocumentJob.objects.create(requested_by=user, kind=kind, params=params, request_key=key, title=title)
    except IntegrityError:  # a concurrent identical request won
        return DocumentJob.objects.get(requested_by=user, request_key=key, state=DocumentJob.State.PENDING)
    # robust: a broker that is down must not lose the request; the job stays pending with
    # no enqueued_at, its page says so, and the sweep sends it when the broker is back.
    transaction.on_commit(partial(_enqueue, job.pk), robust=True)
    return job


def _enqueue(job_id: int) -> None:
    from ledelse.documents.tasks import render_document_job

    render_document_job.delay(job_id)
    DocumentJob.objects.filter(pk=job_id).update(enqueued_at=timezone.now())


def _live_since(now: datetime) -> datetime:
    """A worker whose heartbeat is newer than this is alive."""
    return now - timedelta(seconds=settings.DOCUMENTS_HEARTBEAT_STALE)


def _job_claim(*, job_id: int, now: datetime) -> bool:
    """Take the pending job unless a live worker has it (heartbeat newer than stale)."""
    no_live_worker = Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=_live_since(now))
    return bool(
        DocumentJob.objects.filter(no_live_worker, pk=job_id, state=DocumentJob.State.PENDING).update(
            started_at=now, heartbeat_at=now
        )
    )


@contextmanager
def _heartbeat(job_id: int):
    """While the block runs, the job's heartbeat_at is renewed every
    DOCUMENTS_HEARTBEAT_SECONDS from a thread (its own database connection)."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.DOCUMENTS_HEARTBEAT_SECONDS):
                DocumentJob.objects.filter(pk=job_id, state=DocumentJob.State.PENDING).update(
                    heartbeat_at=timezone.now()
                )
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"document-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def document_job_run(*, job_id: int) -> str:
    """Render a pending job (reusing the file when its content was made before), mark it
    ready and notify the one who asked. Returns the job's new state."""
    job = DocumentJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.state != DocumentJob.State.PENDING:
        return job.state if job else "missing"
    if not _job_claim(job_id=job.pk, now=timezone.now()):
        logger.info("Document job %s is being made by a live worker: not again", job.pk)
        return "running"
    user = get_user_model().objects.get(pk=job.requested_by_id)
    try:
        with _heartbeat(job.pk):
            document = registry.builder_for(job.kind)(user=user, **job.params)
            rendered = render_to_storage(document)
    except Exception as exc:
        logger.exception("Document job %s failed", job.pk)
        DocumentJob.objects.filter(pk=job.pk).update(
            state=DocumentJob.State.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        return DocumentJob.State.FAILED
    with transaction.atomic():
        # Only a pending job becomes ready: when a lost task was sent again (documents_sweep)
        # and both ran, the second finds it ready and does not notify twice.
        done = DocumentJob.objects.filter(pk=job.pk, state=DocumentJob.State.PENDING).update(
            state=DocumentJob.State.READY,
            file_name=rendered.name,
            filename=document.filename,
            reused=rendered.reused,
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        if not done:
            return job.state
        notify(
            recipient=user,
            kind=NOTICE_KIND,
            target=job,
            title=_("Your document is ready: %(title)s") % {"title": job.title},
            url=job.get_absolute_url(),
        )
    return job.state


@dataclass(frozen=True)
class Swept:
    requeued: int
    failed: int


def documents_sweep(*, now: datetime | None = None) -> Swept:
    """Pending jobs that no live worker has (never handed to the broker, the broker lost the
    task, or the worker died: its heartbeat stopped): sent again DOCUMENTS_REQUEUE_AFTER
    seconds after they were last sent, and failed, with the user told, after
    DOCUMENTS_GIVE_UP_AFTER. A job a worker is still rendering (a recent heartbeat) is
    left alone, however long it takes."""
    now = now or timezone.now()
    no_live_worker = Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=_live_since(now))
    pending = DocumentJob.objects.filter(no_live_worker, state=DocumentJob.State.PENDING)
    give_up = now - timedelta(seconds=settings.DOCUMENTS_GIVE_UP_AFTER)
    failed = 0
    for job in pending.filter(created_at__lt=give_up).select_related("requested_by"):
        with transaction.atomic():
            if not DocumentJob.objects.filter(pk=job.pk, state=DocumentJob.State.PENDING).update(
                state=DocumentJob.State.FAILED, error="The task was lost.", finished_at=now
            ):
                continue
            failed += 1
            notify(
                recipient=job.requested_by,
                kind=NOTICE_KIND,
                target=job,
                title=_("Your document could not be made: %(title)s") % {"title": job.title},
                url=job.get_absolute_url(),
            )
    sent_before = now - timedelta(seconds=settings.DOCUMENTS_REQUEUE_AFTER)
    lost = list(
        pending.filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=sent_before), created_at__gte=give_up)
        .filter(created_at__lt=sent_before)
        .values_list("pk", flat=True)
    )
    for pk in lost:
        transaction.on_commit(partial(_enqueue, pk), robust=True)
    return Swept(requeued=len(lost), failed=failed)


@dataclass(frozen=True)
class Removed:
    jobs: int
    files: int


def documents_remove_expired(*, now: datetime | None = None) -> Removed:
    """Finished jobs and stored PDFs older than DOCUMENTS_KEEP_DAYS. The files are kept by
    content and shared between requests, so a file goes only when it is old itself and no
    job still kept points at it."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.DOCUMENTS_KEEP_DAYS)
    jobs, _by_model = (
        DocumentJob.objects.exclude(state=DocumentJob.State.PENDING).filter(finished_at__lt=cutoff).delete()
    )
    kept = set(DocumentJob.objects.exclude(file_name="").values_list("file_name", flat=True))
    files = storage()
    removed = 0
    if files.exists(STORAGE_FOLDER):
        folders, _names = files.listdir(STORAGE_FOLDER)
        for folder in folders:
            for name in files.listdir(f"{STORAGE_FOLDER}/{folder}")[1]:
                path = f"{STORAGE_FOLDER}/{folder}/{name}"
                if path not in kept and files.get_modified_time(path) < cutoff:
                    files.delete(path)
                    removed += 1
    return Removed(jobs=jobs, files=removed)
