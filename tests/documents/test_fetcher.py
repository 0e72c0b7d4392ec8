"""The documents read only the project's own static files: no file://, no other host, no
private address, no path out of the static folders."""

import pytest

from ledelse.documents.fetcher import BASE_URL, RefusedURL, StaticFilesFetcher

REFUSED = [
    "file:///etc/passwd",
    "http://127.0.0.1/static/documents/base.css",
    "https://127.0.0.1/static/documents/base.css",
    "https://169.254.169.254/latest/meta-data/",
    "https://10.0.0.1/static/documents/base.css",
    "https://example.org/static/documents/base.css",
    "https://ledelse.example.org/static/documents/base.css",
    "ftp://documents.invalid/static/documents/base.css",
    "data:text/plain,hej",
    BASE_URL + "etc/passwd",
    BASE_URL + "static/../ledelse/settings.py",
    BASE_URL + "static/%2e%2e/ledelse/settings.py",
    BASE_URL + "static/documents/missing.css",
    BASE_URL + "_generated/qr-1.png",
]


@pytest.mark.parametrize("url", REFUSED)
def test_it_refuses_everything_but_the_projects_static_files(url):
    with pytest.raises((RefusedURL, ValueError)):
        StaticFilesFetcher().fetch(url)


def test_it_serves_a_static_file_from_disk():
    response = StaticFilesFetcher().fetch(BASE_URL + "static/documents/base.css")
    assert b"IBM Plex Sans" in response.read()
    assert response.content_type == "text/css"


def test_it_serves_the_documents_own_generated_images():
    response = StaticFilesFetcher(images={"qr-1.png": b"\x89PNG"}).fetch(BASE_URL + "_generated/qr-1.png")
    assert response.read() == b"\x89PNG"
    assert response.content_type == "image/png"


def test_it_has_no_network_handlers():
    fetcher = StaticFilesFetcher()
    assert fetcher.handlers == []
