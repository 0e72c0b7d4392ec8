"""Calendar invitations (.ics) for any app's dated things."""

from ledelse.invitations.ics import event_ics, event_uid, ics_response

__all__ = ["event_ics", "event_uid", "ics_response"]
