"""Rendering the e-mails: `templates/emails/<kind>-subject.txt`, `<kind>-body-text.txt` and
`<kind>-body-html.html` (which extends `emails/base.html`). Every real kind has its own three
templates; there is no generic fallback, so a missing one fails at claim time, not in the
worker a day later. `notice` is the one generic kind (a plain "you have a notification").
"""

from __future__ import annotations

from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation

TEMPLATE_SUFFIXES = ("-subject.txt", "-body-text.txt", "-body-html.html")


def template_names(kind: str) -> list[str]:
    return [f"emails/{kind}{suffix}" for suffix in TEMPLATE_SUFFIXES]


def check_kind(kind: str) -> None:
    """Raise TemplateDoesNotExist unless `kind` has all three templates."""
    if not kind or "/" in kind or ".." in kind:
        raise TemplateDoesNotExist(f"emails/{kind}: not a valid kind")
    for name in template_names(kind):
        get_template(name)


def absolute_url(path: str) -> str:
    """A site path made absolute with SITE_URL (an absolute URL stays as it is)."""
    return urljoin(settings.SITE_URL.rstrip("/") + "/", path)


def render_message(*, kind: str, to: str, context: dict) -> EmailMultiAlternatives:
    subject_name, text_name, html_name = template_names(kind)
    ctx = {"site_url": settings.SITE_URL.rstrip("/"), **context}
    # E-mails are Danish whatever the worker's locale.
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(subject_name, ctx).split())
        text = render_to_string(text_name, ctx)
        html = render_to_string(html_name, ctx)
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
    message.attach_alternative(html, "text/html")
    return message
