from celery import shared_task

from ledelse.documents import services


@shared_task(name="documents.render_document_job", acks_late=True, reject_on_worker_lost=True)
def render_document_job(job_id: int) -> str:
    return services.document_job_run(job_id=job_id)


@shared_task(name="documents.sweep_jobs")
def sweep_jobs() -> dict:
    swept = services.documents_sweep()
    return {"requeued": swept.requeued, "failed": swept.failed}


@shared_task(name="documents.remove_expired")
def remove_expired() -> dict:
    removed = services.documents_remove_expired()
    return {"jobs": removed.jobs, "files": removed.files}
