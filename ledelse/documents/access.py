"""Who may fetch a document made in the background: the one who asked for it (the builder
read only what they may see)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from ledelse.documents.models import DocumentJob


def document_jobs_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[DocumentJob]:
    if not user.is_authenticated:
        return DocumentJob.objects.none()
    return DocumentJob.objects.filter(requested_by_id=user.pk)
