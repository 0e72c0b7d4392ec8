"""SITE_URL must be the site's absolute address in production: e-mails link with it."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.checks import register


@register(deploy=True)
def check_site_url(app_configs, **kwargs):
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme in ("http", "https") and parts.netloc:
        return []
    return [
        checks.Warning(
            "SITE_URL is not an absolute address: links in e-mails would not work.",
            hint="Set SITE_URL, e.g. https://ledelse.example.org.",
            id="notifications.W001",
        )
    ]
