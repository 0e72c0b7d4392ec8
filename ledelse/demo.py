"""The demo accounts' known password (`seed_demo`, which refuses to run in production)."""

from __future__ import annotations

from ledelse.models import User

DEMO_PASSWORD = "ledelse-demo"
DEMO_ACCOUNTS = ("leder", "leder2", "leder3", "afsnitsleder", "hr", "koncern", "medarbejder", "admin")


def demo_passwords_set() -> list[str]:
    """Give the demo accounts (made by the demo organisation file) their known password;
    returns their usernames."""
    users = list(User.objects.filter(username__in=DEMO_ACCOUNTS))
    for user in users:
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    return sorted(u.username for u in users)
