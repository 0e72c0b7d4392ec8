"""The only way WeasyPrint reads anything while it renders: the project's own static files
(stylesheets, fonts, images), read from disk. Nothing is fetched over the network, so a
document can never reach file://, another host or a private address, whatever a template
or the user's text contains."""

from __future__ import annotations

import mimetypes
import posixpath
from pathlib import Path
from urllib import request
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The documents' base URL. It names no real host: a relative or root-relative URL such as
# /static/css/x.css resolves against it, and the fetcher maps it to a file on disk.
BASE_URL = "https://documents.invalid/"
_ORIGIN = urlsplit(BASE_URL)


class RefusedURL(ValueError):
    """A URL the documents may not read."""


def static_path(url: str) -> Path:
    """The file on disk behind one of the project's static URLs; RefusedURL for anything else."""
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (_ORIGIN.scheme, _ORIGIN.netloc):
        raise RefusedURL(f"Only the project's own static files can be read: {url}")
    static_prefix = urlsplit(settings.STATIC_URL).path
    path = unquote(parts.path)
    if not path.startswith(static_prefix):
        raise RefusedURL(f"Not a static file: {url}")
    name = path[len(static_prefix) :]
    normal = posixpath.normpath(name)
    if not name or normal.startswith(("..", "/")) or normal != name or "\\" in name or "\x00" in name:
        raise RefusedURL(f"Not a static file: {url}")
    found = None
    if staticfiles_storage.exists(name):
        found = staticfiles_storage.path(name)
    else:
        found = finders.find(name)
    if not found:
        raise RefusedURL(f"No such static file: {url}")
    return Path(found)


# Images the document made itself (QR codes), handed over with it: GENERATED_PREFIX + name.
GENERATED_PREFIX = "/_generated/"


def generated_url(name: str) -> str:
    return GENERATED_PREFIX + name


class StaticFilesFetcher(URLFetcher):
    """WeasyPrint's fetcher, narrowed to static files and the document's own generated
    images (see the module docstring)."""

    def __init__(self, images: dict[str, bytes] | None = None) -> None:
        # No network handlers at all (URLFetcher.__init__ would add HTTP, FTP and file ones
        # and build an SSL context): fetch() below is the only way in.
        request.OpenerDirector.__init__(self)
        self._timeout = 0
        self._http_headers = {}
        self._allowed_protocols = ("https",)
        self._fail_on_errors = False
        self._request = None
        self._images = images or {}

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) == (_ORIGIN.scheme, _ORIGIN.netloc) and parts.path.startswith(GENERATED_PREFIX):
            name = parts.path[len(GENERATED_PREFIX) :]
            if name not in self._images:
                raise RefusedURL(f"No such generated image: {url}")
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=self._images[name], headers={"Content-Type": content_type})
        path = static_path(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".woff2":
            content_type = "font/woff2"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})
