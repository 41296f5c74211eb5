"""How sure the extractor is of a record: the confidence of an agency, an agreement and an
event, from how much of the record the text states."""

from __future__ import annotations

from loaders.articles.agreements.analysis import Agreement
from loaders.articles.entities.analysis import AgencyEntity, Mention

# What a record's confidence says, measured on the development corpus with the reference
# scorer's matching (``customs-kg extract --evaluate CORPUS``, its calibration table): under 0.5
# a record is wrong more often than right, from 0.8 right most of the time. The rules are about
# how much of the record the text states, never about one article.

def agency_confidence(agency: AgencyEntity, mentions: list[Mention], involved: bool) -> float:
    """How the agency was recognised (its best mention), more for a second mention; less for
    a name the gazetteer lacks that has no country, and less again when such a name takes
    part in nothing the article tells (a bare mention, often a programme), unless the text
    names it as a ministry or department. A bloc named once in passing: at most 0.6."""
    confidence = max(m.confidence for m in mentions)
    if agency.kind == "union" and not involved and len(mentions) == 1:
        return min(confidence, 0.6)  # a bloc named once in passing: labelled about as often
    if len(mentions) > 1:
        confidence = min(0.99, confidence + 0.05)
    if agency.reference is None:
        if not agency.country:
            confidence -= 0.15
        # a ministry or department the text names as such ("the Ministry of Economy") is a
        # body even when it takes part in nothing; one inferred from a post may not be
        ministry = agency.name.split()[0].lower() in {"ministry", "department"} and any(
            m.role == "pattern" for m in mentions)
        if not involved and not ministry:
            confidence -= 0.1
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
                     planned: bool) -> float:
    """The finder's confidence for how the event was found (a trigger word, an announcement,
    a summary line), 0.15 more with two participants or more and 0.2 less with fewer, 0.1 more
    with a date; an announced event no more than 0.6 (it may not happen as told)."""
    confidence = base + (0.15 if len(participants) >= 2 else -0.2)
    if date:
        confidence += 0.1
    return min(confidence, 0.6) if planned else confidence
