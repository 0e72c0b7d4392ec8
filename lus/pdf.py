"""The LUS as documents: one party's preparation and the confirmed record with its
agreements (the development plan filed in the personnel file). Rendering, fonts and the URL
fetcher are ledelse.documents'; this module builds the Document for each.

The views decide who may download (lus/access.py) and write the audit entry; these builders
read only what they are handed."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ledelse.documents import Document
from ledelse.documents.render import render_html, write_pdf
from lus.models import Agreement, Conversation, Preparation
from values.models import Item

STYLESHEETS = ("dialogues/pdf/documents.css", "lus/pdf.css")


@dataclass(frozen=True)
class RatingRow:
    item: Item
    score: int | None
    note: str


def preparation_document(*, conversation: Conversation, preparation: Preparation, items: list[Item]) -> Document:
    """The preparation as its author wrote it: ratings with examples, the answers to the
    round's questions and (the leader's) leadership time."""
    ratings = {r.item_id: r for r in preparation.ratings.all()}
    rows = [
        RatingRow(
            item=i,
            score=ratings[i.pk].score if i.pk in ratings else None,
            note=ratings[i.pk].note if i.pk in ratings else "",
        )
        for i in items
    ]
    lus_round = conversation.round
    answers = [(q, a) for q, a in zip(lus_round.questions, preparation.answers, strict=False) if a]
    categories = lus_round.time_categories if preparation.role == Preparation.Role.LEADER else []
    time_rows = [(c, preparation.time_now.get(c), preparation.time_wanted.get(c)) for c in categories]
    who = conversation.leader if preparation.role == Preparation.Role.LEADER else conversation.partner
    return Document(
        template="lus/pdf/preparation.html",
        title=_("LUS preparation: %(leader)s") % {"leader": conversation.leader.name},
        subject=_("%(role)s's preparation for the LUS in %(round)s")
        % {"role": preparation.get_role_display(), "round": lus_round.name},
        author=who.name if who else "",
        keywords=("LUS", "forberedelse"),
        filename=f"lus-{conversation.pk}-forberedelse-{preparation.role}.pdf",
        stylesheets=STYLESHEETS,
        context={
            "conversation": conversation,
            "preparation": preparation,
            "rows": rows,
            "answers": answers,
            "time_rows": time_rows,
            "printed": timezone.localdate(),
        },
    )


# An agreement with more text than about half a page may run over a page break: kept
# together, a long one left most of a page empty and was laid out twice (a third of the
# largest record's render).
KEEP_TOGETHER_CHARS = 1_500


def _short(agreement: Agreement) -> bool:
    return len(agreement.what) + len(agreement.how) + len(agreement.support) <= KEEP_TOGETHER_CHARS


def record_document(*, conversation: Conversation, agreements: list[Agreement]) -> Document:
    """The confirmed record and its agreements: the development plan for the personnel file."""
    return Document(
        template="lus/pdf/record.html",
        title=_("Development plan: %(leader)s") % {"leader": conversation.leader.name},
        subject=_("The confirmed record and agreements of the LUS in %(round)s") % {"round": conversation.round.name},
        keywords=("LUS", "udviklingsplan", "personalesag"),
        filename=f"lus-{conversation.pk}-udviklingsplan.pdf",
        stylesheets=STYLESHEETS,
        context={
            "conversation": conversation,
            "agreements": agreements,
            "kept_together": {a.pk for a in agreements if _short(a)},
            "printed": timezone.localdate(),
        },
    )


def private_pdf_response(document: Document) -> HttpResponse:
    """The PDF rendered for this request only. LUS content is personal data under the LUS
    retention rule: it is not put in the shared content cache (files named by hash that the
    retention task could not find and delete), so every download is rendered and audited."""
    response = HttpResponse(write_pdf(document, render_html(document)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.filename}"'
    return response
