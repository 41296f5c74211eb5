"""Summary statements that count events ("5 events held with representatives of the customs
service of China, 2 events – with representatives of Mongolian customs"), one summary per
partner named, with the count, the kind and the host."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from loaders.articles.entities import EntityAnalysis
from loaders.articles.sentences import Sentence

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
                "fourteen": 14, "fifteen": 15, "twenty": 20, "a dozen": 12}
_ITEM = re.compile(
    r"(?i)\b(?P<n>\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|twenty)\s+(?P<of>of\s+(?:those|these|them|which)\s+)?"
    r"(?:(?:international|bilateral|working|joint|official|other|such|more)\s+)*"
    r"(?P<noun>events?|meetings?|forums?|visits?|negotiations|talks|consultations|seminars?|"
    r"trainings?|workshops?)\b")
_KINDS = [("forum", r"forums?|conferences?|exhibitions?"), ("talks", r"negotiations|talks"),
          ("training", r"seminars?|trainings?|workshops?|courses?"), ("visit", r"visits?"),
          ("meeting", r"meetings?|consultations?|events?")]
_HOST = re.compile(r"(?i)\b(?:hosted|held|organi[sz]ed|conducted|took\s+part\s+in|"
                   r"participated\s+in|carried\s+out)\b")


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


def _count(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]


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


def find_summaries(sentences: list[Sentence], entities: EntityAnalysis,
                   pair: list[str] | None = None) -> list[Summary]:
    """The summary lines of an article; a line that names no partner (“20 international
    events”) is not one."""
    host = _host(sentences, entities)
    found: list[Summary] = []
    for sentence in sentences:
        items = list(_ITEM.finditer(sentence.text))
        if not items:
            continue
        for i, item in enumerate(items):
            if item.group("n").isdigit() and len(item.group("n")) == 4:
                continue
            seg_start = sentence.start + item.start()
            seg_end = sentence.start + (items[i + 1].start() if i + 1 < len(items)
                                        else len(sentence.text))
            segment = sentence.text[item.start():seg_end - sentence.start]
            partners = []
            for mention in entities.mentions(sentence.index):
                if not (seg_start <= mention.start < seg_end) or mention.role == "inside":
                    continue
                key = mention.key
                if mention.kind == "person":
                    person = entities.people.get(key)
                    key = person.organisation if person else None
                if key and key != host and key not in partners:
                    partners.append(key)
            if not partners and pair and re.search(r"(?i)\b(?:each\s+other|one\s+another)\b",
                                                   segment):
                partners = [p for p in pair if p != host]
            if not partners:
                continue
            count = _count(item.group("n"))
            kind = _kind(segment, item.group("noun"))
            groups = [[p] for p in partners] if count == 1 and len(items) > 1 and \
                len(partners) > 1 else [partners]
            for group in groups:
                participants = ([host] if host else []) + group
                found.append(Summary(kind, count, sentence.index, participants,
                                     segment.strip(" ,;–-"), seg_start, seg_end))
    return found


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
