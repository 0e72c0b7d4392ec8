"""LUS URLs. Every view is wrapped here, so none can miss it: no-store caching (the pages hold
personal data) and POST data kept out of error reports."""

from functools import wraps

from django.http import Http404
from django.urls import path
from django.utils.cache import add_never_cache_headers
from django.views.decorators.debug import sensitive_post_parameters
from django.views.defaults import page_not_found

from lus import views

app_name = "lus"


def _lus(view):
    """no-store on every response, the 404 for a LUS one may not read included."""
    view = sensitive_post_parameters()(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404 as exception:
            response = page_not_found(request, exception)
        add_never_cache_headers(response)
        return response

    return wrapped


urlpatterns = [
    path("", _lus(views.overview), name="overview"),
    path("eksport.json", _lus(views.export), name="export"),
    path("runder/", _lus(views.round_list), name="round_list"),
    path("runder/ny/", _lus(views.round_create), name="round_create"),
    path("runder/<int:pk>/", _lus(views.round_detail), name="round_detail"),
    path("runder/<int:pk>/rediger/", _lus(views.round_edit), name="round_edit"),
    path("runder/<int:pk>/ledere/", _lus(views.round_preview), name="round_preview"),
    path("runder/<int:pk>/forhaandsvisning/", _lus(views.round_participant_preview), name="round_participant_preview"),
    path("runder/<int:pk>/paamind/", _lus(views.round_remind), name="round_remind"),
    path("runder/<int:pk>/deltagelse.csv", _lus(views.round_participation), name="round_participation"),
    path("samtaler/<int:pk>/partner/", _lus(views.conversation_partner), name="conversation_partner"),
    path("<int:pk>/", _lus(views.conversation_detail), name="conversation_detail"),
    path("<int:pk>/forberedelse/", _lus(views.preparation_edit), name="preparation_edit"),
    path("<int:pk>/forberedelse/<str:role>.pdf", _lus(views.preparation_pdf), name="preparation_pdf"),
    path("<int:pk>/forberedelse/del/", _lus(views.preparation_share), name="preparation_share"),
    path("<int:pk>/booking/", _lus(views.booking), name="booking"),
    path("<int:pk>/invitation.ics", _lus(views.booking_ics), name="booking_ics"),
    path("<int:pk>/referat/", _lus(views.record_edit), name="record_edit"),
    path("<int:pk>/udviklingsplan.pdf", _lus(views.record_pdf), name="record_pdf"),
    path("<int:pk>/bekraeft/", _lus(views.record_confirm), name="record_confirm"),
    path("<int:pk>/revision/", _lus(views.record_revise), name="record_revise"),
    path("<int:pk>/aftaler/<int:agreement_pk>/opfoelgning/", _lus(views.followup_add), name="followup_add"),
    path("<int:pk>/opfoelgning/<int:followup_pk>/", _lus(views.followup_edit), name="followup_edit"),
    path("<int:pk>/opfoelgning/<int:followup_pk>/invitation.ics", _lus(views.followup_ics), name="followup_ics"),
    path("<int:pk>/deling/", _lus(views.share_add), name="share_add"),
    path("<int:pk>/deling/<int:share_pk>/fjern/", _lus(views.share_revoke), name="share_revoke"),
]
