"""Publishing a framework version renders its dialogue material into the PDF store (issue 23):
the card decks, the booklets and the recruitment guide are there before the first reader asks,
and the views serve them from the store without WeasyPrint. Off (the test settings' default)
nothing is rendered."""

from __future__ import annotations

import os
import threading
import time

import pytest
from django.urls import reverse

from dialogues import pdf, services
from ledelse.documents import render
from tests.conftest import client_for
from tests.documents.conftest import _media_root  # noqa: F401 - each test its own store
from tests.values.factories import make_framework
from values.models import Framework, FrameworkVersion
from values.services import version_draft_create, version_publish

pytestmark = pytest.mark.django_db


def _stored_name(document) -> str:
    """Where the store keeps the document: the key the views compute (render_to_storage)."""
    return render.storage_name(render.content_key(document, render.render_html(document)))


def _material_names(framework: Framework) -> list[str]:
    framework = Framework.objects.select_related("current_version").get(pk=framework.pk)
    version = framework.current_version
    return [_stored_name(d) for d in pdf.material_documents(framework=framework, version=version)]


def _no_rendering(monkeypatch) -> None:
    def refuse(document, html):
        raise AssertionError(f"rendered {document.filename}: not served from the store")

    monkeypatch.setattr(render, "write_pdf", refuse)


def _publish_new_version(framework: Framework, django_capture_on_commit_callbacks) -> FrameworkVersion:
    draft = version_draft_create(version=Framework.objects.get(pk=framework.pk).current_version)
    with django_capture_on_commit_callbacks(execute=True):
        return version_publish(version=draft)


def test_publishing_a_version_renders_its_material_and_readers_get_it_from_the_store(
    org, client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    framework = make_framework(region="Region Test")  # loaded with the setting off: nothing stored
    settings.DOCUMENTS_WARM_ON_PUBLISH = True
    version = _publish_new_version(framework, django_capture_on_commit_callbacks)

    names = _material_names(framework)
    assert len(names) == 5  # 6 and 4 per sheet, the booklet in A4 and A5, the recruitment guide
    files = render.storage()
    assert all(files.exists(name) for name in names)
    assert Framework.objects.get(pk=framework.pk).current_version_id == version.pk

    _no_rendering(monkeypatch)
    reader = client_for(client, org.users["employee"])
    base = f"/planer/materiale/{framework.slug}/"
    for path in ("dialogkort.pdf", "dialogkort.pdf?pr_ark=4", "haefte.pdf", "haefte.pdf?format=a5", "rekruttering.pdf"):
        response = reader.get(base + path)
        assert response.status_code == 200, path
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    assert reverse("dialogues:cards_pdf", args=[framework.slug]) == base + "dialogkort.pdf"


def test_a_framework_file_loaded_published_is_rendered_too(org, settings, django_capture_on_commit_callbacks):
    settings.DOCUMENTS_WARM_ON_PUBLISH = True
    with django_capture_on_commit_callbacks(execute=True):
        framework = make_framework(region="Region Test")
    assert all(render.storage().exists(name) for name in _material_names(framework))


def test_with_the_setting_off_publishing_renders_nothing(
    org, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.DOCUMENTS_WARM_ON_PUBLISH = False
    _no_rendering(monkeypatch)
    framework = make_framework(region="Region Test")
    _publish_new_version(framework, django_capture_on_commit_callbacks)
    monkeypatch.undo()
    assert not any(render.storage().exists(name) for name in _material_names(framework))


def test_a_version_replaced_before_the_worker_got_to_it_is_not_rendered(org, monkeypatch):
    framework = make_framework(region="Region Test")
    old = framework.current_version
    version_publish(version=version_draft_create(version=old))
    _no_rendering(monkeypatch)
    assert services.material_warm(version_id=old.pk) == 0


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_on_a_real_worker_publishing_fills_the_store(org, settings, monkeypatch):
    """Through Redis to a real Celery worker, as in production: the publishing returns at
    once, and the worker renders the material into the store."""
    from celery.contrib.testing.worker import start_worker

    from ledelse.celery import make_app

    framework = make_framework(region="Region Test")
    settings.DOCUMENTS_WARM_ON_PUBLISH = True
    threads = []
    warm = services.material_warm
    monkeypatch.setattr(services, "material_warm", lambda **kw: threads.append(threading.get_ident()) or warm(**kw))
    app = make_app(broker_url=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"), task_always_eager=False)
    app.conf.broker_transport_options = {"global_keyprefix": f"material-test-{os.getpid()}-"}
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=15):
        version_publish(version=version_draft_create(version=framework.current_version))
        names = _material_names(framework)
        deadline = time.monotonic() + 120
        while not all(render.storage().exists(n) for n in names) and time.monotonic() < deadline:
            time.sleep(0.2)
    assert all(render.storage().exists(n) for n in names)
    assert threads and threading.get_ident() not in threads  # the worker's, not the publisher's
