"""Summary statements that count events ("5 events held with representatives of the customs
service of China, 2 events – with representatives of Mongolian customs"), one summary per
partner named, with the count, the kind and the host. Counts may be words ("three joint
trainings", "a dozen training courses") and a count may leave its noun out ("three meetings
with China, two with Russia and one with Korea")."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from loaders.articles.entities.analysis import EntityAnalysis
from loaders.articles.events.separate import listed_places
from loaders.articles.sentences import Sentence, clause_start

_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9}
_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
          "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
NUMBER_WORDS = {**_UNITS, **_TEENS, **_TENS, "a dozen": 12, "one dozen": 12, "dozen": 12}
_NUMBER = (r"\d{1,3}|an?\s+dozen|one\s+dozen|(?:" + "|".join(_TENS) + r")(?:[\s-](?:"
           + "|".join(_UNITS) + r"))?|" + "|".join(sorted([*_TEENS, *_UNITS], key=len,
                                                          reverse=True)))
# Words between a count and its noun: "bilateral", "working-level", "study", "video".
_MODIFIER = (r"(?:(?:international|bilateral|trilateral|multilateral|working|joint|official|"
             r"other|such|more|expert|study|training|online|technical|regional|"
             r"validation|coordination|operational|practical|additional|separate|thematic|"
             r"specialized|specialised|consultative|inspection|field|[a-z]+-[a-z]+|[a-z]+al)"
             r"\s+)")
_NOUN = (r"rounds?\s+of\s+(?:[\w-]+\s+)?(?:talks|consultations|negotiations)|"
         r"video\s*conferences?|videoconferences?|events?|meetings?|forums?|visits?|"
         r"negotiations|talks|consultations|seminars?|trainings?|workshops?|courses?|"
         r"conferences?|sessions?|missions?|operations?|patrols?|exercises?|inspections?")
_ITEM = re.compile(
    rf"(?i)\b(?P<n>{_NUMBER})\s+(?P<of>of\s+(?:those|these|them|which)\s+)?"
    rf"{_MODIFIER}{{0,2}}(?P<noun>{_NOUN})\b")
# "…, two with Russia and one with Korea": a count whose noun is the one before.
_ELLIPTIC = re.compile(rf"(?i)(?:,\s*|\s+and\s+|;\s*)(?P<n>{_NUMBER})(?=\s+(?:with|–|—|-)\s)")
_KINDS = [("talks", r"rounds?\s+of\s+(?:[\w-]+\s+)?(?:talks|negotiations)|negotiations|talks"),
          ("meeting", r"rounds?\s+of\s+(?:[\w-]+\s+)?consultations|video\s*conferences?|"
                      r"videoconferences?"),
          ("forum", r"forums?|conferences?|exhibitions?"),
          ("training", r"seminars?|trainings?|workshops?|courses?"),
          ("visit", r"visits?|missions?"),
          ("other", r"operations?|patrols?|exercises?|inspections?"),
          ("meeting", r"meetings?|consultations?|events?|sessions?")]
# Direct speech: a quotation opening the sentence, or closed by "…," he said.
_QUOTED = re.compile(r"^\s*[\"“]|[,.!?][\"”]\s+(?:he|she|they|[A-Z][\w-]+)(?:\s+[A-Z][\w-]+)?\s+"
                     r"(?:said|added|noted|stressed|told)\b")
_HOST = re.compile(r"(?i)\b(?:hosted|held|organi[sz]ed|conducted|took\s+part\s+in|"
                   r"participated\s+in|carried\s+out)\b")
_EACH_OTHER = re.compile(r"(?i)\b(?:each\s+other|one\s+another|the\s+two\s+(?:customs\s+)?"
                         r"(?:sides|agencies|administrations|services|parties|countries)|"
                         r"both\s+(?:sides|agencies|administrations|services|countries))\b")


@dataclass
class Summary:
    """A summary line: how many events of a kind with whom."""

    kind: str
    count: int
    sentence: int
    participants: list[str] = field(default_factory=list)
    text: str = ""
    start: int = 0
    end: int = 0


@dataclass
class _Item:
    start: int  # offsets in the sentence
    end: int
    number: str
    noun: str


def count_value(words: str) -> int | None:
    """The number a count states: "12", "twelve", "a dozen", "twenty-one"; None if none."""
    text = " ".join(words.lower().replace("-", " ").split())
    if text.isdigit():
        return int(text)
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    if text.startswith("an dozen"):
        return 12
    parts = text.split()
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _UNITS:
        return _TENS[parts[0]] + _UNITS[parts[1]]
    return None


def _kind(segment: str, noun: str) -> str:
    for kind, pattern in _KINDS:
        if re.fullmatch(pattern, noun, re.I):
            if kind == "meeting" and noun.lower().startswith("event"):
                for other, other_pattern in _KINDS[:-1]:
                    if re.search(rf"(?i)\bformat\s+of\s+(?:\w+\s+)?(?:{other_pattern})",
                                 segment):
                        return other
            return kind
    return "meeting"


def _items(text: str) -> list[_Item]:
    """The counts of a sentence, elliptic ones with the noun of the count before."""
    items = [_Item(m.start(), m.end(), m.group("n"), m.group("noun"))
             for m in _ITEM.finditer(text)
             if not (m.group("n").isdigit() and len(m.group("n")) == 4)]
    # "14 events, including 6 working meetings and 3 consultations": the parts are in the
    # total already
    for n in range(1, len(items)):
        if re.search(r"(?i)\b(?:including|of\s+which|among\s+them|among\s+which)\s+"
                     r"(?:[\w-]+\s+)?$", text[items[n - 1].end:items[n].start]):
            items = items[:n]
            break
    if not items:
        return items
    for match in _ELLIPTIC.finditer(text):
        at = match.start("n")
        before = [i for i in items if i.end <= at]
        if before and not any(i.start <= at < i.end for i in items):
            items.append(_Item(at, match.end("n"), match.group("n"), before[-1].noun))
    return sorted(items, key=lambda i: i.start)


def find_summaries(sentences: list[Sentence], entities: EntityAnalysis,
                   pair: list[str] | None = None) -> list[Summary]:
    """The summary lines of an article; a line that names no partner (“20 international
    events”) is not one."""
    main_host = _host(sentences, entities)
    last_subject: str | None = None
    found: list[Summary] = []
    for sentence in sentences:
        items = _items(sentence.text)
        if not items or _QUOTED.search(sentence.text):
            continue  # ("One stop, one inspection is what we promise," he said: speech)
        # who held them: the agency the sentence starts with, else the one a summary line
        # before named so ("In 2023, the MCGA held …; Its officers took part in …")
        subject = _subject(entities, sentence, items[0].start)
        host = subject or last_subject or main_host
        last_subject = subject or last_subject
        segments = []
        for i, item in enumerate(items):
            seg_start = sentence.start + item.start
            seg_end = sentence.start + (items[i + 1].start if i + 1 < len(items)
                                        else len(sentence.text))
            segment = sentence.text[item.start:seg_end - sentence.start]
            partners = _partners(entities, sentence, seg_start, seg_end, host)
            if not partners and pair and _EACH_OTHER.search(sentence.text):
                partners = [p for p in pair if p != host]
            if not partners and i == 0:  # "X and Y carried out three joint operations"
                subject = _partners(entities, sentence,
                                    sentence.start + clause_start(sentence.text, item.start),
                                    seg_start, None)
                subject = _as_agencies(entities, subject, host)
                if host in subject and len(subject) > 1:
                    partners = [p for p in subject if p != host]
            segments.append([item, seg_start, seg_end, segment, partners])
        # "6 working meetings and 2 video conferences with X": the first shares the partner
        for i in range(len(segments) - 2, -1, -1):
            item, _, _, _, partners = segments[i]
            following = segments[i + 1]
            if not partners and re.fullmatch(r"\s*(?:,|and|,\s*and)\s*",
                                              sentence.text[item.end:following[0].start]):
                segments[i][4] = following[4]
        for item, seg_start, seg_end, segment, partners in segments:
            count = count_value(item.number)
            if not partners or count is None:
                continue
            if len(listed_places(sentence.text[item.end:])) == count:
                continue  # "two rounds of talks, in A and in B": two events, one per place
            kind = _kind(segment, item.noun)
            groups = [[p] for p in partners] if count == 1 and len(items) > 1 and \
                len(partners) > 1 else [partners]
            for group in groups:
                participants = ([host] if host else []) + group
                found.append(Summary(kind, count, sentence.index, participants,
                                     segment.strip(" ,;–-"), seg_start, seg_end))
    return found


def _as_agencies(entities: EntityAnalysis, keys: list[str], host: str | None) -> list[str]:
    """Countries named as a subject ("Kazakh and Chinese customs officers") as the host or
    the article's agency of that country, when there is one."""
    out: list[str] = []
    host_country = entities.country_of(host) if host else None
    for key in keys:
        if re.fullmatch(r"[A-Z]{2}", key):
            if key == host_country:
                key = host or key
            else:
                key = next((k for k, a in entities.agencies.items() if a.country == key and
                            a.mentions and a.national_level and not a.collective), key)
        if key not in out:
            out.append(key)
    return out


def _subject(entities: EntityAnalysis, sentence: Sentence, at: int) -> str | None:
    """The agency named first in the clause before a count, if any."""
    start = sentence.start + clause_start(sentence.text, at)
    for mention in entities.mentions(sentence.index):
        if start <= mention.start < sentence.start + at and mention.kind == "agency" and \
                mention.role != "inside":
            agency = entities.agencies.get(mention.key)
            if agency is not None and agency.kind not in ("union", "international"):
                return mention.key
    return None


def _partners(entities: EntityAnalysis, sentence: Sentence, start: int, end: int,
              host: str | None) -> list[str]:
    partners: list[str] = []
    for mention in entities.mentions(sentence.index):
        if not (start <= mention.start < end) or mention.role == "inside":
            continue
        key = mention.key
        if mention.kind == "person":
            person = entities.people.get(key)
            key = person.organisation if person else None
        if key and key != host and key not in partners:
            partners.append(key)
    return partners


def _host(sentences: list[Sentence], entities: EntityAnalysis) -> str | None:
    """Who holds the events summed up: the agency the article names most."""
    counts = Counter()
    for key, agency in entities.agencies.items():
        if agency.kind not in ("union", "international") and not agency.collective:
            counts[key] = len(agency.mentions)
    for sentence in sentences:
        if _ITEM.search(sentence.text) and _HOST.search(sentence.text):
            for mention in entities.mentions(sentence.index):
                if mention.kind == "agency" and mention.key in counts:
                    counts[mention.key] += 2
    return counts.most_common(1)[0][0] if counts else None
