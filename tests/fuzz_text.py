"""Bad input for the form fuzz tests (tests/<app>/test_fuzz_forms.py): a hypothesis strategy
of the text people paste or attackers send, and the oracle for what a form must do with it.

What a form does with a text field, and so what the tests expect (`verdict`):
- surrounding whitespace is stripped (Django's CharField, Python's str.strip(), which counts
  U+001C–U+001F, U+0085, U+2028 and the like as whitespace) and Word's line and page breaks
  (U+000B, U+000C) become line breaks: the saved value is `as_saved(value)`, otherwise
  unchanged, character for character;
- NUL is refused with Django's message (PostgreSQL cannot store it), other control
  characters with ledelse.text's message, text over the field's length with Django's;
- an empty required field gets the field's own message.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from ledelse.text import CONTROL_CHARACTERS, LINE_BREAKS

NUL_MESSAGE = "Null-tegn er ikke tilladte."
CONTROL_MESSAGE = "Teksten indeholder et usynligt kontroltegn"
REQUIRED_MESSAGE = "Dette felt er påkrævet."

FRAGMENTS = (
    # NUL and other control characters, alone and as terminal colour codes
    "\x00",
    "\x01",
    "\x07",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b[31m",
    "\x1f",
    "\x7f",
    "\x85",
    "\x9f",
    # whitespace of every kind, at the edges and inside
    " ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\u00a0",
    "\u2028",
    "\u3000",
    "\u200b",
    "\ufeff",
    # mixed scripts, combining marks, bidi controls, astral characters
    "Ærø og Ålborg",
    "Ελληνικά",
    "Русский",
    "العربية",
    "עברית",
    "中文字符",
    "हिन्दी",
    "👩🏽‍⚕️",
    "e\u0301",
    "\u202eevil\u202c",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "\uffff",
    # HTML and template syntax
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "</textarea>",
    "&amp;&lt;",
    "{{ 7|add:7 }}",
    "{% csrf_token %}",
    # SQL and LIKE fragments
    "'; DROP TABLE dialogues_activity; --",
    "' OR '1'='1",
    "%",
    "_",
    "\\",
    "$$",
    # links
    "https://example.org/?a=1&b=<2>",
    "javascript:alert(1)",
)

_mixed = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=10).map("".join)
# Long text: around the fields' limits (200, 300, 1000, 2000, 5000, 10000, 20000) and over them.
_long = st.builds(
    lambda unit, n, tail: unit * n + tail,
    st.sampled_from(["x", "æ", "Ω ", "👩🏽‍⚕️", "<b>", "a\r\n", "中"]),
    st.sampled_from([50, 199, 200, 201, 300, 301, 1000, 2001, 2500, 5001, 10_001, 20_001]),
    _mixed,
)

bad_text = st.one_of(_mixed, _mixed, _long)

# A bounded run: each example is a real request against PostgreSQL. The function-scoped
# fixtures (the cast, the client) are shared by the examples, which is why every example
# runs inside `rolled_back()` and signs in again.
fuzz_settings = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def as_saved(value: str) -> str:
    """What a text field (ledelse.text.PlainTextField) saves of `value` it accepts."""
    return value.strip().translate(LINE_BREAKS)


def verdict(value: str, *, max_length: int | None = None, required: str | None = None) -> str | None:
    """The Danish message the form must show for `value`, or None when it must save
    `as_saved(value)`. `required` is the field's message for an empty value."""
    text = as_saved(value)
    if not text:
        return required
    if "\x00" in text:
        return NUL_MESSAGE
    if CONTROL_CHARACTERS.search(text):
        return CONTROL_MESSAGE
    if max_length is not None and len(text) > max_length:
        return f"Denne værdi må højst have {max_length} tegn (den har {len(text)})."
    return None


@contextmanager
def rolled_back():
    """One example's writes, undone afterwards: every example starts from the fixtures."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def assert_refused(response, messages: list[str], *, statuses=(200, 400)) -> None:
    """A form error: the page again (LUS answers 400 for a refused form), with every message."""
    assert response.status_code in statuses, response.status_code
    body = response.content.decode()
    for message in messages:
        assert message in body, (message, body[body.find("form-error") - 200 : body.find("form-error") + 600])
