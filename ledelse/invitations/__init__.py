"""Calendar invitations (.ics) for any app's dated things: the download and the e-mail
(iMIP) from one builder. Import the services from ledelse.invitations.services."""

from ledelse.invitations.ics import event_ics, event_uid, ics_response

__all__ = ["event_ics", "event_uid", "ics_response"]
