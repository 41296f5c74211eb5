"""What agreement finding yields: mentions of agreements, the agreements with their title,
kind, parties and dates, and the statements that sign them."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from graph.names import normalise_name
from loaders.articles.dates import DateMention


@dataclass
class AgreementMention:
    """One mention of an agreement in a sentence."""

    start: int
    end: int
    title: str
    head: str
    sentence: int
    acronym: str | None = None
    anaphoric: bool = False
    parties: list[str] = field(default_factory=list)  # from the title: "Vietnam-Netherlands"
    definite: bool = False
    indefinite: bool = False  # "an MoU": a new one unless the article named one before


@dataclass
class Agreement:
    """An agreement of the article: the best title, other names, kind, parties and dates."""

    key: str
    title: str
    kind: str
    heads: set[str] = field(default_factory=set)
    aliases: list[str] = field(default_factory=list)
    acronyms: set[str] = field(default_factory=set)
    parties: list[str] = field(default_factory=list)
    signed: DateMention | None = None
    in_force: DateMention | None = None
    valid: DateMention | None = None
    valid_from: DateMention | None = None  # "applies from", "was launched on": from then
    valid_to: str | None = None  # "remain valid for five years" after its start: the year
    renewed_years: int | None = None  # "renewed for a further five years" from the report's year
    date_text: str | None = None
    mentions: list[AgreementMention] = field(default_factory=list)
    status: str | None = None
    confidence: float = 0.7
    signed_in: int | None = None  # sentence of the signing statement
    title_parties: bool = False  # the parties come from the title ("Vietnam-Netherlands")
    marked_new: bool = False  # its sentence says "first", "another", "additionally"
    head_phrase: str = ""
    parties_inferred: bool = False  # the article's main parties: the text names none
    negotiated: bool = False  # only negotiated, approved or initialled so far: a draft
    signed_reported: bool = False  # the signing date is the report's ("…, X announced on …")

    def add_alias(self, text: str) -> None:
        text = " ".join(text.split())
        if text and normalise_name(text) not in {normalise_name(a)
                                                 for a in [self.title, *self.aliases]}:
            self.aliases.append(text)


@dataclass
class SignAction:
    """A sentence saying that agreements were signed (or exchanged, or are to be signed)."""

    sentence: int
    verb: str
    agreements: list[str]
    parties: list[str]
    date: DateMention | None
    main_clause: bool
    purpose: bool  # "to sign", "for signing": not done yet
    start: int = 0
    approvers: list[str] = field(default_factory=list)  # a cabinet or parliament that approved
    place: str | None = None  # where its own clause says it happened ("… the one with Y in B")


@dataclass
class AgreementAnalysis:
    agreements: dict[str, Agreement] = field(default_factory=dict)
    actions: list[SignAction] = field(default_factory=list)
    spans: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)
    validity_dates: set[tuple[int, int]] = field(default_factory=set)  # "applies from" dates

    _title_index: dict[int, tuple[int, list[int], list[int]]] = field(
        default_factory=dict, repr=False, compare=False)

    def inside_title(self, sentence: int, start: int, end: int) -> bool:
        """True when ``[start, end)`` lies inside an agreement's title. The titles of a
        sentence are indexed (sorted starts, the furthest end up to each) when first asked
        and again when one is added; titles only ever grow in number."""
        spans = self.spans.get(sentence, [])
        index = self._title_index.get(sentence)
        if index is None or index[0] != len(spans):
            ordered = sorted((a, b) for a, b, _ in spans)
            furthest: list[int] = []
            for _, b in ordered:
                furthest.append(max(b, furthest[-1]) if furthest else b)
            index = (len(spans), [a for a, _ in ordered], furthest)
            self._title_index[sentence] = index
        before = bisect.bisect_right(index[1], start)  # titles starting at or before start
        return bool(before) and index[2][before - 1] >= end
