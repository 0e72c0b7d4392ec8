"""Render a Document (a template and what goes into it) to PDF with WeasyPrint, once per
content: the PDF is kept in shared storage under the hash of everything that shapes it, so
every web process and worker reuses it, and a changed plan or framework makes a new one."""

from __future__ import annotations

import gc
import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pydyf
import weasyprint
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from weasyprint.text.fonts import FontConfiguration

from ledelse.documents.fetcher import BASE_URL, StaticFilesFetcher, static_path

# Raise when the rendering itself changes in a way the inputs do not show.
RENDER_REVISION = "1"


# WeasyPrint's PDF/UA tagging (pdf/tags.py) looks up a page's reference once for every tagged
# box, and pydyf builds the tuple of all the pages' references anew on each lookup: tagging is
# quadratic in the number of pages. The document of every plan in a region's rollout (some
# 1,600 pages) was still being tagged after 15 minutes. The same tuple, built once for each
# number of pages (pages are only ever appended). Checked against pydyf 0.13 and WeasyPrint
# 70; tests/documents/test_render.py compares it with pydyf's own.
_pydyf_page_references = pydyf.PDF.page_references


def _page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_ledelse_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), _pydyf_page_references.fget(pdf))
        pdf.__dict__["_ledelse_page_references"] = cached
    return cached[1]


pydyf.PDF.page_references = property(_page_references)


@dataclass(frozen=True)
class Document:
    """What an app hands over: its template, the context for it and the PDF's metadata.

    The template extends "documents/base.html" (html lang="da", title, author, subject);
    `stylesheets` are static paths applied on top of "documents/base.css" (the fonts)."""

    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    subject: str = ""
    author: str = ""
    keywords: tuple[str, ...] = ()
    filename: str = "dokument.pdf"
    stylesheets: tuple[str, ...] = ()
    # Images made for this document (e.g. QR codes as PNG), referenced in the template as
    # ledelse.documents.fetcher.generated_url(name).
    images: dict[str, bytes] = field(default_factory=dict)

    @property
    def all_stylesheets(self) -> tuple[str, ...]:
        return ("documents/base.css", *self.stylesheets)

    @property
    def author_name(self) -> str:
        return self.author or settings.DOCUMENTS_AUTHOR


def storage() -> Storage:
    return storages[settings.DOCUMENTS_STORAGE]


def render_html(document: Document) -> str:
    context = {**document.context, "document": document}
    return render_to_string(document.template, context)


def _stylesheet_url(path: str) -> str:
    return BASE_URL.rstrip("/") + static(path)


@cache
def _file_digest(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stylesheet_digest(path: str) -> str:
    file = static_path(_stylesheet_url(path))
    return _file_digest(file, file.stat().st_mtime_ns)


def content_key(document: Document, html: str) -> str:
    """The hash of everything that shapes the PDF: the HTML, the metadata, the stylesheets,
    the PDF variant and the WeasyPrint version."""
    parts = {
        "revision": RENDER_REVISION,
        "weasyprint": weasyprint.__version__,
        "variant": settings.DOCUMENTS_PDF_VARIANT,
        "html": html,
        "keywords": list(document.keywords),
        "styles": [_stylesheet_digest(p) for p in document.all_stylesheets],
        "images": {name: hashlib.sha256(data).hexdigest() for name, data in document.images.items()},
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


STORAGE_FOLDER = "documents"


def storage_name(key: str) -> str:
    return f"{STORAGE_FOLDER}/{key[:2]}/{key}.pdf"


def layout(document: Document, html: str | None = None) -> weasyprint.document.Document:
    """WeasyPrint's laid-out pages (no cache). Every URL goes through StaticFilesFetcher.
    Tests read the boxes to prove that text fits."""
    fetcher = StaticFilesFetcher(images=document.images)
    # @font-face rules load only through a FontConfiguration shared by the CSS and the PDF.
    fonts = FontConfiguration()
    stylesheets = [
        weasyprint.CSS(url=_stylesheet_url(p), url_fetcher=fetcher, font_config=fonts) for p in document.all_stylesheets
    ]
    source = html if html is not None else render_html(document)
    html_doc = weasyprint.HTML(string=source, base_url=BASE_URL, url_fetcher=fetcher)
    return html_doc.render(stylesheets=stylesheets, font_config=fonts, **_options())


def _options() -> dict[str, Any]:
    variant = settings.DOCUMENTS_PDF_VARIANT
    return {"pdf_variant": variant} if variant else {}


@contextmanager
def _no_cyclic_gc():
    """The cyclic garbage collector paused while WeasyPrint works: a render makes hundreds
    of thousands of objects that live until it ends, and each collection walks them again
    (5-10 % of a small document's render, a quarter of the region's plans). What a render
    leaves in cycles is collected once the collector runs again after it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def write_pdf(document: Document, html: str) -> bytes:
    """WeasyPrint itself: no cache."""
    with _no_cyclic_gc():
        return layout(document, html).write_pdf(**_options())


@dataclass(frozen=True)
class Rendered:
    name: str  # in storage()
    key: str
    reused: bool


def render_to_storage(document: Document) -> Rendered:
    """The document's PDF in storage: rendered now, or the one already made of the same content."""
    html = render_html(document)
    key = content_key(document, html)
    name = storage_name(key)
    files = storage()
    if files.exists(name):
        return Rendered(name=name, key=key, reused=True)
    pdf = write_pdf(document, html)
    saved = files.save(name, ContentFile(pdf))
    if saved != name:  # another process saved the same content meanwhile
        files.delete(saved)
    return Rendered(name=name, key=key, reused=False)


def render_pdf(document: Document) -> bytes:
    rendered = render_to_storage(document)
    with storage().open(rendered.name, "rb") as f:
        return f.read()


def file_response(*, name: str, filename: str, inline: bool = True) -> HttpResponse:
    with storage().open(name, "rb") as f:
        response = HttpResponse(f.read(), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # Private content (plans) must not sit in a shared cache.
    response["Cache-Control"] = "private, max-age=0"
    return response


def pdf_response(document: Document, *, inline: bool = True) -> HttpResponse:
    """The rendered (or reused) PDF as the response to a request."""
    rendered = render_to_storage(document)
    return file_response(name=rendered.name, filename=document.filename, inline=inline)
