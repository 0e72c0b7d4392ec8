"""Rendering the e-mails: `templates/emails/<kind>-subject.txt`, `<kind>-body-text.txt` and
`<kind>-body-html.html` (which extends `emails/base.html`). Every real kind has its own three
templates; there is no generic fallback, so a missing one fails at claim time, not in the
worker a day later. `notice` is the one generic kind (a plain "you have a notification").

A calendar invitation (iMIP, RFC 6047) is an e-mail whose context carries `calendar` (the
.ics text) and `calendar_method` (REQUEST or CANCEL): the message is then
multipart/alternative with a `text/calendar; method=...` part after the text and HTML
bodies, and the same calendar as an attachment (invitation.ics), which is how Outlook,
Apple Mail and Gmail show Accept/Decline and update the event.
"""

from __future__ import annotations

import email.message
import email.policy
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


def is_calendar(context: dict) -> bool:
    return bool(context.get("calendar")) and context.get("calendar_method") in CALENDAR_METHODS


CALENDAR_METHODS = ("REQUEST", "CANCEL")


class CalendarMessage(EmailMultiAlternatives):
    """Text and HTML, then the calendar as the last alternative (with its METHOD parameter,
    which Django's attach_alternative cannot give) and as an attachment."""

    def __init__(self, *args, calendar: str, method: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.calendar, self.method = calendar, method
        part = email.message.MIMEPart(policy=email.policy.default)
        part.set_content(
            calendar,
            subtype="calendar",
            charset="utf-8",
            params={"method": method},
            disposition="attachment",
            filename="invitation.ics",
        )
        self.attach(part)

    def _add_bodies(self, msg):
        msg = super()._add_bodies(msg)
        msg.add_alternative(self.calendar, subtype="calendar", charset="utf-8", params={"method": self.method})
        return msg


def render_message(*, kind: str, to: str, context: dict) -> EmailMultiAlternatives:
    subject_name, text_name, html_name = template_names(kind)
    ctx = {"site_url": settings.SITE_URL.rstrip("/"), **context}
    # E-mails are Danish whatever the worker's locale.
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(subject_name, ctx).split())
        text = render_to_string(text_name, ctx)
        html = render_to_string(html_name, ctx)
    message: EmailMultiAlternatives
    if is_calendar(context):
        message = CalendarMessage(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            calendar=context["calendar"],
            method=context["calendar_method"],
        )
    else:
        message = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
    message.attach_alternative(html, "text/html")
    return message
