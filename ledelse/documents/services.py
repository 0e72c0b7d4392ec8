"""Documents made in the background: a request claims a job (an identical pending one is
reused), a Celery task renders it through the content cache, and the user is notified."""

from __future__ import annotations

import hashlib
import json
import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ledelse.documents import registry
from ledelse.documents.models import DocumentJob
from ledelse.documents.render import render_to_storage
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
    from ledelse.documents.tasks import render_document_job

    transaction.on_commit(lambda: render_document_job.delay(job.pk))
    return job


def document_job_run(*, job_id: int) -> str:
    """Render a pending job (reusing the file when its content was made before), mark it
    ready and notify the one who asked. Returns the job's new state."""
    job = DocumentJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.state != DocumentJob.State.PENDING:
        return job.state if job else "missing"
    user = get_user_model().objects.get(pk=job.requested_by_id)
    try:
        document = registry.builder_for(job.kind)(user=user, **job.params)
        rendered = render_to_storage(document)
    except Exception as exc:
        logger.exception("Document job %s failed", job.pk)
        DocumentJob.objects.filter(pk=job.pk).update(
            state=DocumentJob.State.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        return DocumentJob.State.FAILED
    with transaction.atomic():
        DocumentJob.objects.filter(pk=job.pk).update(
            state=DocumentJob.State.READY,
            file_name=rendered.name,
            filename=document.filename,
            reused=rendered.reused,
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        notify(
            recipient=user,
            kind=NOTICE_KIND,
            target=job,
            title=_("Your document is ready: %(title)s") % {"title": job.title},
            url=job.get_absolute_url(),
        )
    return job.state
