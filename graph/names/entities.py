"""What the name index knows of an entity (``Entity``), what a user's name resolved to
(``Match``), and the errors of names that resolve to several entities or to nobody's name."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from graph.errors import CustomsKGError, EntityNotFound


class AmbiguousName(EntityNotFound):
    """A name that matches several entities equally well: the error lists them."""

    def __init__(self, name: str, candidates: list[str]) -> None:
        CustomsKGError.__init__(self, f"'{name}' is ambiguous: it may be "
                                + " or ".join(candidates) + "; give a fuller name")
        self.name, self.suggestions = name, candidates


class GenericName(EntityNotFound):
    """A generic phrase ("the customs service") asked for as if it were a name."""

    def __init__(self, name: str) -> None:
        CustomsKGError.__init__(self, f"'{name}' is a generic phrase, no entity's name; give "
                                "the body's own name")
        self.name, self.suggestions = name, []


@dataclass
class Match:
    """What a user's name resolved to, and whether it named the entity exactly."""

    entity: Entity
    exact: bool

    def note(self, text: str) -> str | None:
        """"Siberian Customs → Siberian Customs Directorate" when the name was not one of the
        entity's own names; None when it was."""
        return None if self.exact else f"{text} → {self.entity.display()}"


@dataclass
class Entity:
    """What resolution needs to know of an entity."""

    iri: NamedNode
    kind: str
    label: str
    code: str | None = None  # ISO alpha-2 of a country
    country: NamedNode | None = None  # of an agency
    national_customs: NamedNode | None = None  # of a country
    names: set[str] = field(default_factory=set)  # every label, as written
    parties: set[str] = field(default_factory=set)  # of an agreement: party IRIs
    ids: set[str] = field(default_factory=set)  # its ids anyone's mentions resolve, casefolded

    def display(self) -> str:
        return f"{self.label} ({self.code})" if self.code else self.label
