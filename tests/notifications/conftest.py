"""Helpers for the reminder tests: rules registered for one test, a real SMTP server."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterable
from datetime import date

import pytest
from aiosmtpd.controller import Controller

from ledelse.notifications.registry import register_rule, unregister_rule
from ledelse.notifications.services import Due

KIND = "notice"  # the one generic kind (templates/emails/notice-*)


def due_for(user, target, *, due_on: date, key: str = "", title: str = "Aktiviteten nærmer sig") -> Due:
    return Due(
        recipient_id=user.pk, kind=KIND, target=target, due_on=due_on, title=title, url=f"/test/{target.pk}/", key=key
    )


@pytest.fixture
def rules():
    """register(name, rule) for this test only; the apps' own rules (dialogues ...) are set
    aside meanwhile, so the sweep runs only the test's rules and its query counts hold."""
    from ledelse.notifications.registry import rules as registered

    saved = registered()
    for name in saved:
        unregister_rule(name)
    names = []

    def register(name, rule):
        register_rule(name, rule)
        names.append(name)
        return rule

    yield register
    for name in names:
        unregister_rule(name)
    for name, rule in saved.items():
        register_rule(name, rule)


def users_rule(users: Iterable, target, *, due_on: date | None = None):
    """A rule reminding each of `users` of `target` on the sweep's day."""
    users = list(users)

    def rule(*, today: date):
        for user in users:
            yield due_for(user, target, due_on=due_on or today)

    return rule


class Handler:
    """Stores accepted messages; refuses the first `refuse` DATA commands with a 451."""

    def __init__(self, refuse: int = 0):
        self.refuse = refuse
        self.delay = 0.0  # seconds before answering DATA: a slow server widens races
        self.refused = 0
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            if self.refused < self.refuse:
                self.refused += 1
                return "451 4.3.0 Try again later"
            self.messages.append(envelope)
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 20) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        return list(self.messages)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 and the default mailer pointed at it.
    `smtp_server.handler.refuse = n` makes it refuse the next n messages."""
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    controller.handler = handler
    yield controller
    controller.stop()
