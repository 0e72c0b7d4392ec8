"""Document kinds that can be made in the background. An app registers a builder in its
AppConfig.ready(): `register_document("dialogues.all_cards", builder)`, where
`builder(*, user, **params) -> Document` reads only what `user` may see."""

from __future__ import annotations

from collections.abc import Callable

from ledelse.documents.render import Document

DocumentBuilder = Callable[..., Document]

_builders: dict[str, DocumentBuilder] = {}


def register_document(name: str, builder: DocumentBuilder) -> None:
    _builders[name] = builder


def builder_for(name: str) -> DocumentBuilder:
    return _builders[name]


def kinds() -> list[str]:
    return sorted(_builders)
