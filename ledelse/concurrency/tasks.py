from celery import shared_task

from ledelse.concurrency.once import submission_keys_remove_expired


@shared_task(name="concurrency.remove_expired_keys", ignore_result=True)
def remove_expired_keys() -> int:
    return submission_keys_remove_expired()
