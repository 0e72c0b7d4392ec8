"""Free text that people type into the forms: what is accepted, and the one message for
what is not.

Word's manual line break (U+000B) and page break (U+000C), which come along when text is
pasted from Word, become line breaks. Other control characters (C0 but tab, line feed and
carriage return; DEL; C1) are refused with a clear message rather than saved: nobody types them, they arrive with text pasted from
another program or terminal, show as nothing or as a box, and would be handed on as they
are to the PDFs, the calendar files, the e-mails and the LUS export. NUL is refused by
Django's own validator on every CharField (PostgreSQL cannot store it). Everything else
(any script, emoji, HTML, SQL) is saved as typed and escaped where it is shown."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# NUL is left to Django's ProhibitNullCharactersValidator, so it gets one message, not two.
CONTROL_CHARACTERS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def validate_no_control_characters(value: str) -> None:
    found = CONTROL_CHARACTERS.search(value or "")
    if found:
        raise ValidationError(
            _(
                "The text contains an invisible control character (%(code)s) that cannot be saved. "
                "It often comes along when text is copied from another program: remove it or retype the text."
            ),
            code="control_character",
            params={"code": f"U+{ord(found.group()):04X}"},
        )


# Word's manual line break and page break: a line break each.
LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


class PlainTextField(forms.CharField):
    """A CharField that turns Word's line and page breaks (U+000B, U+000C) into line
    breaks and refuses other control characters (surrounding whitespace is stripped, as
    with every CharField)."""

    default_validators = [validate_no_control_characters]

    def to_python(self, value: object) -> str | None:
        text = super().to_python(value)
        return text.translate(LINE_BREAKS) if isinstance(text, str) else text
