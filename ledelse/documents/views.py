"""A document made in the background: the file when it is ready, else its state."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ledelse.documents.access import document_jobs_visible_to
from ledelse.documents.models import DocumentJob
from ledelse.documents.render import file_response


@require_GET
def job(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(document_jobs_visible_to(request.user), pk=pk)
    if document.state == DocumentJob.State.READY:
        return file_response(name=document.file_name, filename=document.filename)
    return render(request, "documents/job.html", {"job": document, "State": DocumentJob.State})
