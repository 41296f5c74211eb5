"""How sure the extractor is of a record: the confidence of an agency, an agreement and an
event, from how much of the record the text states."""

from __future__ import annotations

from loaders.articles.agreements.analysis import Agreement
from loaders.articles.entities.analysis import AgencyEntity, Mention

# What a record's confidence says, measured on the development corpus with the reference
# scorer's matching (``customs-kg extract --evaluate CORPUS``, its calibration table): under 0.5
# a record is wrong more often than right, from 0.8 right most of the time. The rules are about
# how much of the record the text states, never about one article.

#: Head nouns that make a name a body even when it takes part in nothing the article tells
#: ("the Regional Office for Capacity Building", "the Customs and Tariff Bureau"); "customs"
#: is none of them, being also an adjective ("Union Customs Code", "Smart customs").
BODY_HEADS = frozenset({
    "ministry", "department", "office", "bureau", "directorate", "directorate-general",
    "secretariat", "commission", "council", "committee", "authority", "agency", "board",
    "service", "administration", "inspectorate", "division",
})


def _head_noun(name: str) -> str:
    """The head of a name's first noun phrase: the word before its first "of", "for" or
    "on" ("Office" of "Regional Office for Capacity Building"), else its last word."""
    words = name.split()
    for index, word in enumerate(words):
        if index and word.lower() in ("of", "for", "on"):
            return words[index - 1].lower()
    return words[-1].lower() if words else ""


def agency_confidence(agency: AgencyEntity, mentions: list[Mention], involved: bool) -> float:
    """How the agency was recognised (its best mention), more for a second mention; less for
    a name the gazetteer lacks that has no country (unless a collective of a union's members),
    and less again when such a name takes part in nothing the article tells (a bare mention,
    often a programme), unless the text names it with a body's head noun ("the Ministry of
    Economy", "the Liaison Office"). A body known only from people's posts ("Finance
    Minister …"): at most 0.6, as sources name such bodies about half the time. A bloc named
    once in passing: at most 0.6."""
    confidence = max(m.confidence for m in mentions)
    if agency.kind == "union" and not involved and len(mentions) == 1:
        return min(confidence, 0.6)  # a bloc named once in passing: labelled about as often
    if len(mentions) > 1:
        confidence = min(0.99, confidence + 0.05)
    if agency.reference is None:
        if not agency.country and not (agency.collective and agency.parent):
            confidence -= 0.15
        named_as_body = _head_noun(agency.name) in BODY_HEADS and any(
            m.role == "pattern" for m in mentions)
        if not involved and not named_as_body:
            confidence -= 0.1
    if any(m.role == "post" for m in mentions) and not any(
            m.role in ("name", "pattern", "acronym") for m in mentions):
        confidence = min(confidence, 0.6)
    return confidence


def agreement_confidence(agreement: Agreement, parties: list[str]) -> float:
    """An agreement named with its parties: 0.75, 0.85 when named again; one whose parties
    the article does not state (a title only, "the agreement") is a guess: 0.4 or 0.5. Named
    in the headline only: 0.1 less."""
    confidence = 0.85 if len(agreement.mentions) > 1 else 0.75
    if not parties:
        confidence -= 0.35
    elif agreement.parties_inferred:
        confidence -= 0.2
    if agreement.mentions and all(m.sentence == 0 for m in agreement.mentions):
        confidence -= 0.1
    return confidence


def event_confidence(base: float, participants: list[str], date: str | None,
                     planned: bool, within: str | None = None) -> float:
    """The finder's confidence for how the event was found (a trigger word, an announcement,
    a summary line), 0.15 more with two participants or more, 0.1 less with one (the event
    is right when that one is, as it mostly is) and 0.3 less with none (no event matches
    without a participant), 0.1 more with a date; an announced event no more than 0.6 (it
    may not happen as told), and so a signing on the sidelines of a meeting (sources make it
    an event of its own or the meeting's outcome about equally often; one during a visit is
    an event of its own)."""
    confidence = base + {0: -0.3, 1: -0.1}.get(len(participants), 0.15)
    if date:
        confidence += 0.1
    doubtful = planned or within not in (None, "visit")
    return min(confidence, 0.6) if doubtful else confidence
