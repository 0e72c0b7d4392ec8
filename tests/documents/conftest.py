"""PDF helpers for the document tests: text, metadata, fonts, page images and QR codes."""

from __future__ import annotations

import io

import pypdf
import pypdfium2
import pytest
import zxingcpp


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test renders into its own storage, so the content cache starts empty."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


def reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in reader(pdf).pages)


def fonts_of(pdf: bytes) -> set[tuple[str, bool]]:
    """(font name, embedded) for every font on every page."""
    found = set()
    for page in reader(pdf).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descriptor = (
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                if "/DescendantFonts" in font
                else font.get("/FontDescriptor")
            )
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")) if descriptor else False
            found.add((str(font["/BaseFont"]).split("+")[-1], embedded))
    return found


def qr_codes(pdf: bytes, *, pages: range | None = None, scale: float = 3) -> list[str]:
    """The URLs of the QR codes on the pages, read from the rendered page images."""
    document = pypdfium2.PdfDocument(pdf)
    found = []
    for index in pages if pages is not None else range(len(document)):
        image = document[index].render(scale=scale).to_pil()
        found += [code.text for code in zxingcpp.read_barcodes(image)]
    document.close()
    return found


def assert_is_a_good_pdf(pdf: bytes, *, title: str) -> pypdf.PdfReader:
    """Title, author, subject and language metadata; every font IBM Plex Sans, embedded."""
    r = reader(pdf)
    assert r.metadata.title == title
    assert r.metadata.author
    assert r.metadata.subject
    assert r.trailer["/Root"]["/Lang"] == "da"
    fonts = fonts_of(pdf)
    assert fonts, "no fonts"
    assert all(embedded for _name, embedded in fonts), fonts
    assert all(name.startswith("IBM-Plex-Sans") for name, _embedded in fonts), fonts
    return r
