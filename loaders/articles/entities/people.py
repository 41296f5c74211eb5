"""Pass 5, people: names with the post and organisation stated beside them ("Head of the
Federal Customs Service of Russia, Vladimir Bulavin"), people known by one name after a post,
and later mentions by one part of a known name ("Commissioner McAleenan")."""

from __future__ import annotations

import re

from graph.names import normalise_name
from loaders.articles.entities.analysis import Mention, PersonEntity
from loaders.articles.entities.registry import EntityRegistry
from loaders.articles.entities.tokens import normalised
from loaders.articles.entities.words import (
    CONNECTORS,
    ORG_HEADS,
    POST_MODIFIERS,
    POST_WORDS,
    STOP_CAPS,
)
from loaders.articles.sentences import Sentence, search_before

_NOT_NAMES = frozenset({
    "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "customs", "border", "trade", "agreement", "memorandum", "house", "street",
    "city", "republic", "kingdom", "states", "state", "union", "road", "hall", "centre",
    "center", "port", "airport", "station", "square", "palace", "hotel", "news", "photo",
    "programme", "program", "partnership", "framework", "standards", "operator", "operators",
})
_POST_RE = re.compile(
    r"\b(?:(?:[Dd]eputy|[Vv]ice|[Aa]cting|[Ff]irst|[Ss]enior|[Gg]eneral|[Ee]xecutive|[Pp]rime|"
    r"[Ff]inancial|[Aa]ssistant|[Ss]pecial|[Cc]hief|[Pp]ermanent|[Pp]rincipal)[\s-]+)*"
    r"(?:" + "|".join(sorted((w.capitalize() + "|" + w for w in POST_WORDS), key=len,
                             reverse=True)) + r")(?:[\s-]General)?\b")
# Words no organisation's name holds: between a post and a name they make a clause ("Head of
# X met with the attaché … Y"), not an organisation.
_CLAUSE_WORDS = frozenset({
    "with", "met", "meets", "said", "says", "held", "signed", "visited", "received",
    "welcomed", "told", "who", "which", "that", "was", "were", "is", "are", "has", "have",
    "by", "at", "on", "after", "before", "during", "while", "when",
})
_ENVOY = re.compile(r"(?i)\b(ambassador|consul|envoy|counterpart|attach[ée])\b")
_NAME_WORD = r"(?:[A-Z][a-zà-öø-ÿ'’]+(?:[A-Z][a-zà-öø-ÿ]+)?(?:-[A-Za-zà-öø-ÿ]+)?)"
_PARTICLE = r"(?:van|von|de|der|den|da|dos|du|la|le|bin|al|ibn|ter)"
_PERSON = re.compile(
    rf"(?:(?P<hon>Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Madam|Sir)\s+)?"
    rf"(?P<name>{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)*(?:[A-Z]\.|{_NAME_WORD})){{0,6}})")


class PeopleNames(EntityRegistry):
    """Pass 5 and the later mentions of the people it finds."""

    def people(self, sentence: Sentence) -> None:
        text = sentence.text
        for match in _PERSON.finditer(text):
            words = [(m.start() + match.start("name"), m.group(0))
                     for m in re.finditer(r"\S+", match.group("name"))]
            honorific = match.group("hon") is not None
            # trim words that belong to posts, organisations or countries
            while words and (self._skip_word(sentence, *words[0]) or (
                    len(words) >= 3 and search_before(r"\b(?:and|for|of)\s+$",
                                                      text, words[0][0]) and
                    search_before(r"\b(?:[A-Z]\w+)\s+(?:and|for|of)\s+$", text,
                                  words[0][0]))):
                words = words[1:]
                honorific = False
            trimmed = []
            while words and self._skip_word(sentence, *words[-1]):
                trimmed.append(words[-1])
                words = words[:-1]
            if len(words) == 1 and len(trimmed) == 1 and not honorific and \
                    self._country_in_name(sentence, words[0], trimmed[0]):
                words.append(trimmed[0])  # "Finance Minister Petar Mali"
            if len(words) == 1 and not honorific:
                self._single_name(sentence, *words[0])
                continue
            if not words or (len(words) < 2 and not honorific) or len(words) > 4:
                continue
            start = sentence.start + words[0][0]
            end = sentence.start + words[-1][0] + len(words[-1][1])
            name = re.sub(r"['’]s$", "", self.text[start:end])
            end = start + len(name)
            post, org = self._post_of(sentence, start - sentence.start, end - sentence.start)
            known = self._known_person(name)
            if post is None and org is None and known is None:
                continue
            person = known or self._new_person(name)
            if post and post.lower().endswith("counterpart"):
                post = None
            if post and not person.post:
                person.post = post
            if org and not person.organisation:
                person.organisation = org
                person.country = self.result.country_of(org)
            mention = Mention(start, end, name, "person", person.key, "name", 0.8,
                              sentence.index)
            person.mentions.append(mention)
            self.result.add(mention)

    def _country_in_name(self, sentence: Sentence, first: tuple[int, str],
                         last: tuple[int, str]) -> bool:
        """"Petar Mali" after a post: a given name and a surname that is a country's name.
        The country mention is dropped when it is one."""
        start, end = sentence.start + last[0], sentence.start + last[0] + len(last[1])
        country = [m for m in self.result.mentions(sentence.index)
                   if m.kind == "country" and m.start == start and m.end == end]
        if not country or self._not_name_word(first[1]) or \
                normalised(first[1]) in STOP_CAPS or first[1].isupper():
            return False
        if self._post_of(sentence, first[0], last[0] + len(last[1]))[0] is None:
            return False
        for mention in country:
            self.result.by_sentence[sentence.index].remove(mention)
            self.result.country_mentions[mention.key].remove(mention)
            if not self.result.country_mentions[mention.key]:
                del self.result.country_mentions[mention.key]
        return True

    def _single_name(self, sentence: Sentence, offset: int, word: str) -> None:
        """A person known by one name, right after a post with its organisation ("Director
        General of Customs and Excise Wirasakti")."""
        name = re.sub(r"['’]s$", "", word)
        if len(name) < 3 or name.isupper() or self._not_name_word(name) or \
                normalised(name) in STOP_CAPS or normalised(name) in CONNECTORS or \
                re.search(r"(?:tion|sion|ment|ness|ity|ance|ence|ing|ship|ism|ies)$", name):
            return
        at = sentence.start + offset
        before = [m for m in self.result.starting_in(sentence.index,
                                                      at - 1 - self.result.longest, at + 1)
                  if m.kind in ("agency", "country") and 0 <= at - m.end <= 1]
        previous = search_before(r"([\w’'-]+)\s+$", sentence.text, offset)
        if not before and not (previous and normalised(previous.group(1)) in POST_WORDS):
            return  # the name follows a post or the organisation that ends one
        end = offset + len(name)
        if re.compile(r"\s+[A-Z]").match(sentence.text, end) or not search_before(
                r"[\w.]\s+$", sentence.text, offset):
            return  # more capitalised words follow, or the name starts the sentence
        if any(name in p.name.split() for p in self.result.people.values()):
            return  # a part of a known name: name_parts links it
        post, org = self._post_of(sentence, offset, end)
        if post is None or org is None or not _POST_RE.search(
                sentence.text[max(0, offset - 120):offset]):
            return
        person = self._new_person(name)
        person.post, person.organisation = post, org
        person.country = self.result.country_of(org)
        mention = Mention(sentence.start + offset, sentence.start + end, name, "person",
                          person.key, "name", 0.7, sentence.index)
        person.mentions.append(mention)
        self.result.add(mention)

    def _skip_word(self, sentence: Sentence, offset: int, word: str) -> bool:
        """A word that cannot start or end a person's name here."""
        start = sentence.start + offset
        if self._taken(sentence, start, start + len(word), ("agency", "country")):
            return True
        norm = normalised(re.sub(r"['’]s$", "", word))
        return (norm in STOP_CAPS or norm in POST_WORDS or norm in POST_MODIFIERS
                or self._not_name_word(word))

    def _not_name_word(self, word: str) -> bool:
        norm = normalised(re.sub(r"['’]s$", "", word))
        return (norm in self.gaz.countries or norm in self.gaz.demonyms or norm in ORG_HEADS
                or norm in POST_WORDS or norm in _NOT_NAMES)

    def _known_person(self, name: str) -> PersonEntity | None:
        key = normalise_name(name)
        for person in self.result.people.values():
            if normalise_name(person.name) == key:
                return person
        return None

    def _new_person(self, name: str) -> PersonEntity:
        key = "person:" + normalise_name(name)
        person = PersonEntity(key=key, name=name)
        self.result.people[key] = person
        return person

    def _post_of(self, sentence: Sentence, start: int, end: int) -> tuple[str | None, str | None]:
        """The post and organisation stated next to a name at start:end of the sentence."""
        text = sentence.text
        # the mentions near the name: a post is looked for up to 200 characters before it,
        # an organisation up to 240 after it
        mentions = [m for m in self.result.starting_in(
            sentence.index, sentence.start + start - 200 - self.result.longest - 4,
            sentence.start + end + 250) if m.kind in ("agency", "country")]
        # "<post> [of/to <org>][,] <Name>"
        before = text[max(0, start - 200):start]
        for match in reversed(list(_POST_RE.finditer(before))):
            gap = before[match.end():]
            post_start = sentence.start + start - len(before) + match.start()
            post_end = sentence.start + start - len(before) + match.end()
            org_text = re.match(r"^\s+(?:of|to|for|in charge of|at)\s+(?:the\s+)?(.*?)\s*,?\s*"
                                r"(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?(?:the\s+)?$", gap)
            if re.fullmatch(r"\s*,?\s*(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?", gap):
                post = match.group(0).strip()
                org = self._org_near(mentions, post_start, post_end,
                                     sending=bool(_ENVOY.search(post)))
                if org is None:
                    org = self._org_after(mentions, sentence, text[end:end + 200], end)
                return post, org
            if org_text and self._org_like(sentence, org_text.group(1),
                                           sentence.start + start - len(gap) + org_text.start(1)):
                post = (match.group(0) + gap).strip(" ,")
                post = re.sub(r"\s*,?\s*(?:(?:Mr|Mrs|Ms|Dr)\.?\s*)?(?:the\s+)?$", "", post)
                org = None
                if re.search(r"\bof\s+Customs$", post):
                    code = self._possessive_country(mentions, post_start)
                    entity = self._national(code) if code else None
                    org = entity.key if entity else None
                if org is None:
                    org = self._org_near(mentions, post_start, sentence.start + start,
                                         sending=bool(_ENVOY.search(post)))
                return post, org
            break
        # "<Name>, <post> [of/to <org>]"
        after = text[end:end + 200]
        match = re.match(r"\s*,\s*(?:the\s+)?(?:[Aa]cting\s+)?", after)
        if match:
            post_match = _POST_RE.match(after, match.end())
            if post_match:
                clause = re.match(r"[^,;.“\"(]*", after[post_match.start():]).group(0).strip()
                post = post_match.group(0)
                rest = after[post_match.end():]
                org = None
                tail = re.match(r"\s+(?:of|to|for|in charge of|at)\s+(?:the\s+)?", rest)
                if tail:
                    at = sentence.start + end + post_match.end() + tail.end()
                    following = [m for m in mentions if m.start == at]
                    if following:
                        org = following[0].key
                        post += rest[:tail.end()] + following[0].text
                if org is None:
                    org = self._org_near(mentions, sentence.start + end + post_match.start(),
                                         sentence.start + end + post_match.end() + 40,
                                         after_only=True)
                    if len(clause) <= 90:
                        post = clause
                return post.strip(), org
        return None, None

    def _org_after(self, mentions: list[Mention], sentence: Sentence, after: str,
                   end: int) -> str | None:
        """"<post> <Name> of <org>": the agency named right after the name."""
        match = re.match(r"\s+of\s+(?:the\s+)?", after)
        if match:
            at = sentence.start + end + match.end()
            return next((m.key for m in mentions if m.start == at and m.kind == "agency"), None)
        return None

    def _org_like(self, sentence: Sentence, text: str, at: int) -> bool:
        """True when the words between a post and a name name its organisation."""
        if not text:
            return False
        covered = [m for m in self.result.starting_in(sentence.index, at, at + len(text))
                   if m.kind in ("agency", "country")]
        if covered and covered[-1].end >= at + len(text.rstrip(" ,")) - 1:
            rest = text
            for m in reversed(covered):  # the words the names leave must be a name's too
                rest = rest[:m.start - at] + " " + rest[m.end - at:]
            return not any(w.lower() in _CLAUSE_WORDS for w in re.findall(r"[\w’'-]+", rest))
        words = text.split()
        return 0 < len(words) <= 6 and all(w[:1].isupper() or w in {"and", "of", "the"}
                                           for w in words)

    def _org_near(self, mentions: list[Mention], a: int, b: int,
                  after_only: bool = False, sending: bool = False) -> str | None:
        """The organisation a post names: an agency inside the post, else one just before
        it ("KCS Commissioner"), else a country ("Dutch Ambassador"). An envoy's is the
        country before the post ("Dutch Ambassador to Vietnam")."""
        if sending:
            just_before = [m for m in mentions if m.end <= a and a - m.end <= 3]
            if just_before:
                return just_before[-1].key
        inside = [m for m in mentions if a <= m.start and m.end <= b]
        for kind in ("agency", "country"):
            for m in inside:
                if m.kind == kind:
                    return m.key
        if after_only:
            return None
        just_before = [m for m in mentions if m.end <= a and a - m.end <= 3]
        if just_before:
            return just_before[-1].key
        return None

    @staticmethod
    def _possessive_country(mentions: list[Mention], post_start: int) -> str | None:
        before = [m for m in mentions if m.kind == "country" and 0 <= post_start - m.end <= 3]
        return before[-1].key if before else None

    def name_parts(self) -> None:
        """Later mentions by one part of a known name: "Ko", "Commissioner McAleenan"."""
        parts: dict[str, list[PersonEntity]] = {}
        for person in self.result.people.values():
            words = [w for w in re.split(r"\s+", person.name) if not w.endswith(".")]
            for word in {words[0], words[-1]}:
                if len(word) >= 2 and not self._not_name_word(word):
                    parts.setdefault(word, []).append(person)
        if not parts:
            return
        for sentence in self.sentences:
            for token in self.tokens[sentence.index]:
                people = parts.get(re.sub(r"['’]s$", "", token.text))
                if not people or len(people) > 1:
                    continue
                if self._taken(sentence, token.start, token.end, ("agency", "country",
                                                                  "person")):
                    continue
                person = people[0]
                end = token.start + len(re.sub(r"['’]s$", "", token.text))
                mention = Mention(token.start, end, self.text[token.start:end], "person",
                                  person.key, "name", 0.6, sentence.index)
                person.mentions.append(mention)
                self.result.add(mention)
