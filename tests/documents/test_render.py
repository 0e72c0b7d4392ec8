"""The rendering helper: metadata, embedded fonts, PDF/UA tagging, nothing fetched from a
template's foreign URLs, and the content cache in shared storage."""

from pathlib import Path

import pydyf
import pytest
from django.core.files.storage import storages

from ledelse.documents import Document, pdf_response, render_pdf
from ledelse.documents.render import render_to_storage
from tests.documents.conftest import assert_is_a_good_pdf, reader, text_of

pytestmark = pytest.mark.django_db

HOSTILE = """<img src="file:///etc/passwd"><img src="http://127.0.0.1:6379/"><link rel="stylesheet" href="https://example.org/x.css">"""


@pytest.fixture
def template(settings, tmp_path):
    folder = tmp_path / "templates"
    (folder / "t").mkdir(parents=True)
    (folder / "t" / "doc.html").write_text(
        '{% extends "documents/base.html" %}{% block content %}<h1>{{ heading }}</h1>'
        "<p>{{ text }}</p>{{ raw|safe }}{% endblock %}"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [folder, *settings.TEMPLATES[0]["DIRS"]]}]
    return "t/doc.html"


def _doc(template, **context) -> Document:
    values = {
        "heading": "Åben og ligeværdig dialog",
        "text": "Vi skaber rum for ærlighed og gensidig tillid.",
        "raw": "",
    }
    values.update(context)
    return Document(template=template, title="Prøve på æøå", subject="Et emne om dialog", context=values)


def test_a_pdf_has_its_metadata_language_and_embedded_plex_fonts(template):
    pdf = render_pdf(_doc(template))
    r = assert_is_a_good_pdf(pdf, title="Prøve på æøå")
    assert r.metadata.author == "Ledelsesgrundlag"
    assert r.metadata.subject == "Et emne om dialog"
    text = text_of(pdf)
    assert "Åben og ligeværdig dialog" in text and "ærlighed og gensidig tillid" in text


def test_it_is_tagged_for_screen_readers_when_pdf_ua_is_on(template, settings):
    settings.DOCUMENTS_PDF_VARIANT = "pdf/ua-1"
    root = reader(render_pdf(_doc(template))).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root


def test_foreign_urls_in_a_template_are_refused_and_the_page_still_renders(template, caplog):
    pdf = render_pdf(_doc(template, raw=HOSTILE))
    assert len(reader(pdf).pages) == 1
    refused = [r.getMessage() for r in caplog.records if "RefusedURL" in r.getMessage()]
    assert any("file:///etc/passwd" in m for m in refused)
    assert any("127.0.0.1" in m for m in refused)


def test_the_same_content_is_rendered_once_and_kept_in_shared_storage(template, settings, monkeypatch):
    from ledelse.documents import render

    calls = []
    original = render.write_pdf
    monkeypatch.setattr(render, "write_pdf", lambda d, h: calls.append(1) or original(d, h))
    first = render_to_storage(_doc(template))
    second = render_to_storage(_doc(template))
    assert (first.reused, second.reused) == (False, True)
    assert first.name == second.name and len(calls) == 1
    assert Path(settings.MEDIA_ROOT, first.name).is_file()
    assert storages["default"].exists(first.name)
    changed = render_to_storage(_doc(template, text="Noget andet"))
    assert changed.name != first.name and len(calls) == 2


def test_the_response_is_a_private_inline_pdf(template):
    response = pdf_response(_doc(template))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="dokument.pdf"'
    assert "private" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")


def test_the_page_references_are_pydyfs_own_built_once_per_page_count():
    """ledelse.documents.render replaces pydyf's page_references (rebuilt on every one of
    the tagging's lookups) with the same tuple kept while the page count stays."""
    from ledelse.documents import render

    pdf = pydyf.PDF()
    for _ in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = pdf.page_references
    assert first == render._pydyf_page_references.fget(pdf) and len(first) == 3
    assert pdf.page_references is first  # kept, not rebuilt
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert pdf.page_references == render._pydyf_page_references.fget(pdf) and len(pdf.page_references) == 4


def test_a_long_tagged_document_points_every_structure_element_at_its_own_page(template, settings):
    settings.DOCUMENTS_PDF_VARIANT = "pdf/ua-1"
    text = "<p>" + "</p><p>".join(f"Afsnit {i} om tillid og dialog." for i in range(400)) + "</p>"
    pdf = reader(render_pdf(_doc(template, raw=text)))
    assert len(pdf.pages) > 5
    pages = {page.indirect_reference.idnum for page in pdf.pages}
    seen = set()
    stack = [pdf.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if isinstance(node, dict):
            if "/Pg" in node:
                seen.add(node.raw_get("/Pg").idnum)
            kids = node.get("/K", [])
            stack.extend(kids if isinstance(kids, list) else [kids])
        elif isinstance(node, list):
            stack.extend(node)
    assert seen == pages  # every page is referenced, and nothing but pages


def test_the_garbage_collector_runs_again_after_a_render_even_one_that_failed(template, monkeypatch):
    """write_pdf pauses the cyclic collector while WeasyPrint works (render._no_cyclic_gc)."""
    import gc

    from ledelse.documents import render

    seen = []
    original = render.layout
    monkeypatch.setattr(render, "layout", lambda d, h: seen.append(gc.isenabled()) or original(d, h))
    document = _doc(template)
    render.write_pdf(document, render.render_html(document))
    assert seen == [False] and gc.isenabled()

    def broken(d, h):
        raise RuntimeError("broken")

    monkeypatch.setattr(render, "layout", broken)
    with pytest.raises(RuntimeError):
        render.write_pdf(document, render.render_html(document))
    assert gc.isenabled()
