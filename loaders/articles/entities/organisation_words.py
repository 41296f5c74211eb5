"""The words that tell organisations' names apart: heads paired inside a name, field and
mission heads, joint bodies and organs, things named after a body, units, and the event,
calendar and agreement words a name does not end in."""

from __future__ import annotations

import re

from loaders.articles.entities.tokens import Token
from loaders.articles.lexicon import lexicon

# Heads joined by "and" inside one name: "Customs and Excise", "Tax and Customs".
PAIRED_HEADS = frozenset({"customs", "excise", "tax", "taxes", "revenue", "border",
                           "immigration", "monopolies"})
# Heads that also name a field ("… and Enforcement", "… for Customs"): at the end of a
# phrase they make no body's name by themselves.
FIELD_HEADS = frozenset({"customs", "excise", "revenue", "enforcement", "protection", "force",
                          "police", "fund"})
MISSION_HEADS = frozenset({"embassy", "consulate", "mission", "representation"})
# Posts in the plural: "Heads of Customs Administrations" is a gathering of people, no body.
GATHERED_POSTS = frozenset({"heads", "chiefs", "directors", "leaders", "commissioners",
                             "ministers"})
JOINT_BODY_HEADS = frozenset({"committee", "commission", "subcommission", "council",
                              "subcommittee", "group"})
# "met (with) Mr Yu, the Chinese Minister of …", "met Georgia's Minister of …": the minister
# met is a person, no body taking part
MET_BEFORE = re.compile(r"(?i)\b(?:met|meets|met\s+with|received|receives|called\s+on)\s+"
                         r"(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?(?:[A-Z][\w'’-]*,?\s+){0,3}(?:the\s+)?$")
# The heads of a bloc's organs: "SCO Secretariat", "ECOWAS Commission".
ORGAN_HEADS = frozenset({"commission", "committee", "subcommittee", "council", "secretariat",
                          "group", "authority", "court", "parliament", "bank", "board",
                          "mission"})
# "the EU Border Assistance Mission to Moldova and Ukraine": a bloc's mission is a body of its
# own (international, no country), not the bloc
BLOC_MISSION = re.compile(r"\b(?:EU|European\s+Union|OSCE|UN|United\s+Nations|African\s+Union|"
                           r"AU)\s+(?:[A-Z][\w-]*\s+){1,4}Mission\b(?:\s+(?:to|in)\s+(?:the\s+)?"
                           r"[A-Z][\w-]*(?:\s+and\s+(?:the\s+)?[A-Z][\w-]*)?)?")
# Nouns after a body's head that make the phrase a thing named after it ("Government Licence").
NAMED_AFTER = frozenset({"licence", "license", "portal", "website", "app", "platform", "award",
                          "awards", "museum", "day", "week"})
# The heads of a unit named after the body it belongs to: "Customs Division of the GRA".
UNIT_HEADS = frozenset({"division", "department", "directorate", "secretariat", "authority",
                         "office", "unit", "bureau"})


def organ_of(tokens: list[Token], i: int) -> bool:
    """True when a known body's name at ``i`` ends a unit's name: "… Division of the X"."""
    k = i - 1
    if k >= 0 and tokens[k].norm == "the":
        k -= 1
    return k >= 1 and tokens[k].norm == "of" and tokens[k - 1].capitalised and \
        tokens[k - 1].norm in UNIT_HEADS


# Event nouns before a name's head make it an event's name ("Meeting of Customs").
EVENT_WORDS = frozenset({n.noun for n in lexicon().events if " " not in n.noun} |
                         {"meeting", "dialogue", "talks", "negotiations"})
CALENDAR_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august",
                   "september", "october", "november", "december", "monday", "tuesday",
                   "wednesday", "thursday", "friday", "saturday", "sunday"}
AGREEMENT_WORDS = frozenset({"agreement", "memorandum", "protocol", "treaty", "convention",
                              "arrangement", "accord", "pact", "between", "mou", "plan",
                              "framework", "programme", "roadmap", "strategy"})
