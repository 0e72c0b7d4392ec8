"""The error pages rendered with an empty context (no request, no user): one standalone
layout, templates/_standalone_error.html, for 500 and 503."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string


@pytest.mark.parametrize(
    ("template", "code", "heading"),
    [("500.html", "500", "Der er sket en fejl"), ("503.html", "503", "Systemet er optaget lige nu")],
)
def test_an_error_page_renders_without_a_request(template, code, heading):
    html = render_to_string(template)  # what the handler and the middleware do: no context
    assert f"Fejl {code}</p>" in html
    assert f"<h1>{heading}</h1>" in html
    assert f"<title>{heading} – " in html
    assert 'href="/"' in html and "{%" not in html
