"""Organisations named in full: names of the gazetteer and their acronyms (pass 1),
capitalised organisation names the gazetteer lacks ("Federal Customs Office of the PRC",
pass 2), and bodies named only through a post ("Minister of Finance", "Secretary to the
Treasury")."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from graph.names import normalise_name
from loaders.articles.entities.analysis import AgencyEntity
from loaders.articles.entities.organisation_words import (
    AGREEMENT_WORDS,
    BLOC_MISSION,
    CALENDAR_WORDS,
    EVENT_WORDS,
    FIELD_HEADS,
    GATHERED_POSTS,
    JOINT_BODY_HEADS,
    MET_BEFORE,
    MISSION_HEADS,
    NAMED_AFTER,
    ORGAN_HEADS,
    PAIRED_HEADS,
    organ_of,
)
from loaders.articles.entities.registry import EntityRegistry
from loaders.articles.entities.tokens import Token, name_windows, window_key
from loaders.articles.entities.words import (
    COMPASS,
    CONNECTORS,
    CUSTOMS_COMPOUNDS,
    ORG_HEADS,
    POST_MODIFIERS,
    POST_WORDS,
    REGION_WORDS,
    STOP_CAPS,
)
from loaders.articles.gazetteer import KnownBody
from loaders.articles.sentences import Sentence, search_before


class OrganisationNames(EntityRegistry):
    """Passes 1 and 2, and the organisations posts name."""

    # -- pass 1: names of the gazetteer ---------------------------------------------------
    def gazetteer_names(self, sentence: Sentence) -> None:
        tokens = self.tokens[sentence.index]
        i = 0
        while i < len(tokens):
            found = None
            for j, key in name_windows(tokens, i, self.gaz.max_tokens, self.gaz.prefixes):
                keys = self.gaz.body_names.get(key)
                if keys and self._case_ok(tokens[i:j]):
                    found = (j, keys[0], "name")
            if found is None:
                acronym = tokens[i].text.rstrip(".")
                keys = self.gaz.acronyms.get(acronym)
                if keys and tokens[i].is_word:
                    found = (i + 1, keys[0], "acronym")
            if found is None:
                i += 1
                continue
            j, key, role = found
            if self._names_an_organ(tokens, i, j, key):
                i = j  # "SCO Secretariat", "ECOWAS Commission": a body of its own (pass 2)
                continue
            if self._other_country(sentence, tokens, i, j, key):
                i = j  # "Kuwait's General Administration of Customs" is not China's
                continue
            if tokens[j - 1].norm == "customs" and j < len(tokens) and \
                    tokens[j].norm in CUSTOMS_COMPOUNDS and tokens[j].norm != "and":
                i = j
                continue
            start, end = tokens[i].start, tokens[j - 1].end
            entity = self._agency_from_reference(key)
            if organ_of(tokens, i):
                role = "inside"  # "Customs Division of the GRA": the division's name (pass 2)
            if entity.kind == "union" and re.search(
                    r"(?i)\b(?:territory\s+of|from|in|into|within|across|throughout|outside)"
                    r"\s+(?:the\s+)?$", self.text[sentence.start:start]):
                role = "locative"
            self._mention_agency(entity, sentence, start, end, role, 0.95)
            i = j

    def _names_an_organ(self, tokens: list[Token], i: int, j: int, key: str) -> bool:
        """True when a bloc or international body named in one word starts the name of one
        of its organs: "SCO Secretariat", "Mercosur Common Market Group"."""
        if j - i != 1 or self.gaz.bodies[key].kind not in ("union", "international"):
            return False
        for k in range(j, min(j + 4, len(tokens))):
            if not (tokens[k].is_word and tokens[k].capitalised):
                return False
            if tokens[k].norm in ORGAN_HEADS:
                return True
        return False

    def _other_country(self, sentence: Sentence, tokens: list[Token], i: int, j: int,
                       key: str) -> bool:
        """True when a known body's name is owned by another country: "Kuwait's General
        Administration of Customs", "the General Administration of Customs of Kuwait"."""
        body = self.gaz.bodies[key]
        if body.country is None:
            return False
        start, end = tokens[i].start, tokens[j - 1].end
        owner = re.search(r"(?P<place>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2})['’]s\s+$",
                          self.text[max(sentence.start, start - 40):start])
        after = re.match(r"\s+of\s+(?:the\s+)?(?:(?:State|Kingdom|Republic|Sultanate|Emirate|"
                         r"Principality|Federation)\s+of\s+(?:the\s+)?)?"
                         r"(?P<place>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2})",
                         self.text[end:min(sentence.end, end + 60)])
        for match in (owner, after):
            if match is None:
                continue
            kind, code = self._resolve_place(match.group("place"))
            if kind in ("country", "possessive", "demonym") and code and code != body.country:
                return True
        return False

    @staticmethod
    def _case_ok(window: list[Token]) -> bool:
        words = [t for t in window if t.is_word]
        if len(words) == 1:
            return words[0].capitalised
        return any(t.capitalised for t in words if t.norm not in CONNECTORS)

    # -- pass 2: capitalised organisation names ---------------------------------------------
    def capitalised_names(self, sentence: Sentence) -> None:
        for match in BLOC_MISSION.finditer(sentence.text):
            start, end = sentence.start + match.start(), sentence.start + match.end()
            if not self._taken(sentence, start, end):
                entity = self._new_agency(match.group(0), None, "international",
                                          confidence=0.7, national_level=False)
                self._mention_agency(entity, sentence, start, end, "pattern", 0.7)
        tokens = self.tokens[sentence.index]
        long_words = [t for t in tokens if t.is_word and len(t.text) > 3]
        if len(long_words) >= 4 and not re.search(r"[.!?\"”…\]]\s*$", sentence.text) and \
                sum(t.capitalised for t in long_words) >= 0.75 * len(long_words):
            return  # a headline in title case: every word looks like a name
        i = 0
        while i < len(tokens):
            if not (tokens[i].is_word and tokens[i].capitalised):
                i += 1
                continue
            j = i + 1
            while j < len(tokens):
                t = tokens[j]
                if t.is_word and (t.capitalised or t.text.isupper()):
                    j += 1
                    if t.text[-2:] in {"'s", "’s"}:
                        break  # "the Revenue Service's clearance zone": the name ends here
                elif (t.norm in CONNECTORS or t.text in {"-", "&"}) and j + 1 < len(tokens) \
                        and (tokens[j + 1].capitalised or tokens[j + 1].norm == "the" or
                             t.norm == "and" and tokens[j + 1].norm == "of" and  # "… and of
                             j + 2 < len(tokens) and tokens[j + 2].capitalised) \
                        and tokens[j + 1].is_word and not (
                            t.norm in {"on", "in", "since", "until", "by"} and
                            tokens[j + 1].norm in CALENDAR_WORDS):  # "… Committee on October 10"
                    j += 1
                else:
                    break
            self._org_phrase(sentence, tokens, i, j)
            i = j

    def _org_phrase(self, sentence: Sentence, tokens: list[Token], i: int, j: int,
                    depth: int = 0) -> None:
        # An agreement's title names its parties: "Agreement between the Government of X".
        in_title = False
        for k in range(j - 1, i - 1, -1):
            if tokens[k].norm in AGREEMENT_WORDS:
                i, in_title = k + 1, True
                break
        # "Director-General for Taxation and Customs Union of the X": a field, then X
        for k in range(i, j):
            if tokens[k].norm in POST_WORDS:
                n = k + 1
                while n < j and (tokens[n].text in {"-", "–"} or tokens[n].norm == "general"):
                    n += 1
                if n < j and tokens[n].norm == "for":
                    i = self._portfolio(sentence, tokens, k, n, j)
                break
        # Drop leading function words, posts and people: start after the last "of/to the".
        while i < j and (tokens[i].norm in STOP_CAPS or tokens[i].norm in CONNECTORS
                         or not tokens[i].is_word) and not (  # "General Directorate of …"
                tokens[i].norm == "general" and i + 1 < j and tokens[i + 1].norm in ORG_HEADS
                and (i == 0 or tokens[i - 1].norm not in POST_WORDS)):
            i += 1
        if i < j and tokens[i].norm in GATHERED_POSTS:
            return  # "Heads of Customs of SACU": the holders of a post met, not a body
        if in_title and i < j and tokens[i].norm == "government":
            return  # "Agreement between the Government of X and …": X is the party
        heads = [k for k in range(i, j) if tokens[k].norm in ORG_HEADS]
        if not heads:
            return
        first_head = heads[0]
        # A post before the organisation: "Deputy Head of the X" -> X.
        for k in range(first_head - 1, i - 1, -1):
            if tokens[k].norm in POST_WORDS:
                i = k + 1
                while i < j and (tokens[i].norm in CONNECTORS or not tokens[i].is_word
                                 or tokens[i].norm in POST_MODIFIERS):
                    i += 1
                break
        heads = [k for k in heads if k >= i]
        # "the Single Central American Customs Declaration": "Customs" qualifies a noun here
        # (not in "Customs Affairs of the Kingdom of Bahrain", a body of a place)
        heads = [k for k in heads if not (
            tokens[k].norm == "customs" and k + 1 < len(tokens) and
            tokens[k + 1].norm in CUSTOMS_COMPOUNDS - {"and"} and
            not (k + 2 < len(tokens) and tokens[k + 2].norm == "of"))]
        if not heads:
            return
        end = self._org_end(tokens, heads, j, i)
        if end is None:
            return
        if end < len(tokens) and tokens[end].norm in NAMED_AFTER:
            return  # "Open Government Licence", "Customs Portal": a thing named after a body
        if any(t.norm == "joint" for t in tokens[i:end]) and any(
                t.norm in JOINT_BODY_HEADS or t.norm == "working"
                for t in tokens[end:min(end + 3, len(tokens))]):
            return  # "India–UAE Joint Customs Working Group": a joint body, no agency
        if end < j and depth < 5:
            rest = end
            while rest < j and (tokens[rest].norm in CONNECTORS or not tokens[rest].is_word):
                rest += 1
            if rest < j:
                self._org_phrase(sentence, tokens, rest, j, depth + 1)
        window = tokens[i:end]
        words = [t for t in window if t.is_word and t.norm not in CONNECTORS]
        if len(words) < 2:
            return
        if any(t.norm in EVENT_WORDS for t in tokens[i:heads[0]]):
            return  # "IV Binational Meeting of Customs", "Conference of Directors General of
            # Customs of the Americas": an event's name, no body
        start_char, end_char = window[0].start, window[-1].end
        if any(m.kind == "agency" and m.role != "inside" for m in self.result.overlapping(
                sentence.index, start_char, end_char)):
            # "Japan Customs and the Directorate-General for …": look past the named body
            taken_end = max(m.end for m in self.result.overlapping(sentence.index, start_char,
                                                                   end_char)
                            if m.kind == "agency" and m.role != "inside")
            rest = next((k for k in range(i, j) if tokens[k].start >= taken_end), None)
            if rest is not None and depth < 5:
                self._org_phrase(sentence, tokens, rest, j, depth + 1)
            return
        if window[-1].text[-2:] in {"'s", "’s"}:
            end_char -= 2  # "… Service's": the body's name without the possessive
        phrase = self.text[start_char:end_char]
        norms = [t.norm for t in window]
        rest = [t for t in words if t.norm not in {"customs", "service", "administration",
                                                    "authority", "authorities", "agency"}]
        if rest and len(words) > len(rest) and (
                all(self._resolve_place(t.text)[1] for t in rest) or
                len(words) == len(rest) + 1 and words[-1].norm == "customs" and
                self._resolve_place(" ".join(t.text for t in rest))[0] == "country"):
            return  # "China and Kazakhstan Customs", "Lao PDR Customs": national customs, the
            # loose pass's job
        two_countries = self._country_compound(window[0].text) or (
            len(window) > 2 and window[1].text in "-–" and
            self._country_compound(window[0].text + "-" + window[2].text))
        if (norms[0] in JOINT_BODY_HEADS or norms[0].startswith("sub")
                or any(n in JOINT_BODY_HEADS for n in norms)) and (
                "cooperation" in norms or "meetings" in norms or "co" in norms
                or "binational" in norms or "bilateral" in norms  # of two countries
                or ("joint" in norms and two_countries)):  # "Omani-Saudi Joint … Committee"
            self.result.joint_bodies.setdefault(sentence.index, []).append(phrase)
            if "committee" in norms and re.match(r"\s*\(J[A-Z]{1,5}\)", self.text[end_char:]):
                # "the Japan-EU Joint Customs Cooperation Committee (JCCC)": a joint committee
                # the article names by its acronym is a body of its own (no country), with the
                # pair that names it ("EU-China …", where the EU was taken as a body)
                lead = re.search(r"\b[A-Z][\w.]*[-–]$", self.text[max(0, start_char - 20):
                                                                   start_char])
                start_char -= len(lead.group(0)) if lead else 0
                entity = self._new_agency(self.text[start_char:end_char], None, "international",
                                          confidence=0.7, national_level=False)
                self._mention_agency(entity, sentence, start_char, end_char, "pattern", 0.7)
            return
        if not rest:
            return  # "Customs Service", "Customs Administration": no name of a body
        if self._topic_phrase(window):
            return  # "Training Manuals on Risk Management for Customs": a topic, no body
        acronym = [t for t in rest if t.text.isupper()]
        if len(rest) == 1 and acronym:  # "SACU Customs": the body named "SACU"
            owner = next((e for e in self.result.agencies.values() if e.mentions and (
                rest[0].text in e.aliases or rest[0].text == "".join(
                    w[0] for w in e.name.split() if w[0].isupper()))), None)
            if owner is not None:
                self._mention_agency(owner, sentence, start_char, end_char, "loose", 0.7)
                return
        before = next((m for m in self.result.starting_in(  # (none starts further back)
            sentence.index, start_char - 3 - self.result.longest, start_char)
            if m.kind == "agency" and m.end <= start_char and start_char - m.end <= 3), None)
        if norms[0] == "government" and before is not None and re.search(
                r"[A-Za-z)]\s*,\s*$", self.text[max(0, start_char - 3):start_char]):
            # "Federal Board of Revenue, Government of Pakistan": the body's country
            owner = self.result.agencies.get(before.key)
            country = self._country_in(window)
            if owner is not None and owner.country is None and country:
                owner.country = country
            return
        named = self._named_by_words(words)
        if named is not None:  # "Director General of Customs and Excise" after the DJBC
            self._mention_agency(named, sentence, start_char, end_char, "loose", 0.7)
            return
        fuzzy = self.gaz.fuzzy_body(phrase)
        if fuzzy and not self._distinct_words_kept(phrase, self.gaz.bodies[fuzzy]):
            fuzzy = None  # "Customs and Excise" is not "HM Customs and Excise"
        if fuzzy:
            entity = self._agency_from_reference(fuzzy)
            self._mention_agency(entity, sentence, start_char, end_char, "fuzzy", 0.75)
            return
        alias = None
        owner = re.match(r"(?P<place>[A-Z][\w .-]*?)['’]s\s+(?=[A-Z])", phrase)
        if owner and self._resolve_place(owner.group("place"))[1]:
            alias, phrase = phrase, phrase[owner.end():]  # "Guatemala's Superintendency …"
            window = [t for t in window if t.start >= start_char + owner.end()]
        named = window
        if any(t.norm in MISSION_HEADS for t in window):  # "Embassy of Japan in Russia": JP
            named = next((window[:n] for n, t in enumerate(window) if t.norm == "in"), window)
        country = self._country_in(named)
        if alias and country is None:
            country = self._resolve_place(owner.group("place"))[1]
        regional = self._regional(window)
        if country is None and regional:  # "Osaka Customs": a region of Japan
            country = self._region_country(window[0].text)
        kind = self._kind_of(norms, country)
        if regional and kind == "customs":
            kind = "regional-customs"
        entity = self._new_agency(phrase, country, kind, confidence=0.7,
                                  national_level=not regional)
        self._mention_agency(entity, sentence, start_char, end_char, "pattern", 0.7, alias)

    @staticmethod
    def _topic_phrase(window: list[Token]) -> bool:
        """True when no organisation head comes before the first "on", "for" or "and" and the
        phrase does not end with a body's head ("Risk Management and Enforcement", "Training
        Manuals on … for Customs"): the capitals of a topic, not a body's name."""
        first = next((n for n, t in enumerate(window) if t.norm in {"on", "for", "and"}), None)
        if first is None or first == 0:
            return False
        if any(t.norm in ORG_HEADS for t in window[:first]):
            return False
        last = [t for t in window if t.is_word][-1].norm
        return last not in ORG_HEADS - FIELD_HEADS

    def _portfolio(self, sentence: Sentence, tokens: list[Token], post: int, at: int,
                   j: int) -> int:
        """A post "for" a field ("Director-General for Taxation and Customs Union of the
        European Commission"): a Director-General's field names the Directorate-General;
        another post's field names no body. The token where the rest of the phrase starts."""
        end = next((k for k in range(at + 1, j) if tokens[k].norm == "of"), j)
        words = [t for t in tokens[at + 1:end] if t.is_word]
        general = any(t.norm == "general" for t in tokens[post + 1:at])
        if tokens[post].norm == "director" and general and words and all(
                t.capitalised or t.norm in CONNECTORS for t in words):
            field_start, field_end = words[0].start, words[-1].end
            name = f"Directorate-General for {self.text[field_start:field_end]}"
            if not self._taken(sentence, field_start, field_end):
                entity = self._new_agency(name, None, "agency", confidence=0.6)
                self._mention_agency(entity, sentence, field_start, field_end, "post", 0.6,
                                     name)
        return end + 1 if end < j else j

    def _named_by_words(self, words: list[Token]) -> AgencyEntity | None:
        """The one agency named before whose name holds all these words, if any."""
        norms = {t.norm for t in words}
        if len(norms) < 2:
            return None
        found = [e for e in self.result.with_words(norms) if e.mentions]
        return found[0] if len(found) == 1 else None

    @staticmethod
    def _distinct_words_kept(phrase: str, body: KnownBody) -> bool:
        """True when the words that set a body's name apart ("HM", "Federal", "Russia") are in
        the phrase, if misspelt: a fuzzy match is a garbled name, not a shorter one."""
        words = normalise_name(phrase).split()
        generic = ORG_HEADS | CONNECTORS | {"general", "national", "state"}
        distinct = [w for w in normalise_name(body.name).split() if w not in generic]
        return all(any(fuzz.ratio(w, x) >= 80 for x in words) for w in distinct)

    def _org_end(self, tokens: list[Token], heads: list[int], j: int,
                 start: int | None = None) -> int | None:
        """Where an organisation name ends: its last head, or an "of <place>" after it."""
        start = heads[0] if start is None else start
        last = None
        k = heads[0]
        while k < j:
            if tokens[k].norm in ORG_HEADS:
                last = k + 1
            elif tokens[k].norm == "of" and last is not None and tokens[k - 1].capitalised:
                tail = self._place_tail(tokens, k + 1, j)
                if tail is None:
                    break
                last = tail
                k = tail
                continue
            elif tokens[k].norm == "and" and k + 1 < j and \
                    tokens[k - 1].norm in PAIRED_HEADS and tokens[k + 1].norm in PAIRED_HEADS:
                pass  # "Customs and Excise"
            elif tokens[k].norm == "and" and last == k and k + 2 < j and \
                    tokens[k + 1].norm != "of" and (  # "… of Customs and of Tax Administration"
                    tokens[k + 1].norm in ORG_HEADS or tokens[k + 1].norm == "the" and any(
                        t.norm in ORG_HEADS for t in tokens[k + 2:j]) or any(
                        t.norm in ORG_HEADS for t in tokens[k + 2:j]) and sum(
                        t.is_word and t.norm not in CONNECTORS for t in tokens[start:k]) >= 2):
                break  # "the Government of X and the Government of Y", "Osaka Customs and
                #         Nagoya Customs": two bodies
            elif tokens[k].norm in CONNECTORS or tokens[k].text in {"-", "&"}:
                pass
            elif tokens[k].norm in POST_WORDS:
                break
            k += 1
        if last is not None and last < j - 1 and tokens[last].norm in {"for", "on"} and all(
                t.capitalised or t.norm in CONNECTORS for t in tokens[last + 1:j] if t.is_word) \
                and not any(t.norm in POST_WORDS for t in tokens[last + 1:j]):
            return j  # "Regional Office for Capacity Building", "Ministry for Foreign Affairs"
        if last is not None and tokens[last - 1].norm in MISSION_HEADS or (
                last is not None and any(tokens[h].norm in MISSION_HEADS for h in heads)):
            mission = self._mission_place(tokens, last)
            if mission is not None:
                return mission
        return last

    def _mission_place(self, tokens: list[Token], k: int) -> int | None:
        """"Embassy of Japan in the Russian Federation": where a mission is belongs to its
        name; the end of "in <country>" at k, or None."""
        if k < len(tokens) and tokens[k].norm == "in":
            key_end = None
            start = k + 2 if k + 1 < len(tokens) and tokens[k + 1].norm == "the" else k + 1
            for end in range(min(len(tokens), start + 6), start, -1):
                key = window_key(tokens, start, end)
                if key and key in self.gaz.countries:
                    key_end = end
                    break
            return key_end
        return None

    def _place_tail(self, tokens: list[Token], k: int, j: int) -> int | None:
        """The end of "the PRC", "Russia", "the Republic of Karelia" starting at k."""
        if k < j and tokens[k].norm == "the":
            k += 1
        for end in range(min(j, k + 6), k, -1):
            key = window_key(tokens, k, end)
            if key and (key in self.gaz.countries or key in self.gaz.body_names):
                return end
        if k < j and tokens[k].norm in {"republic", "region", "province", "oblast", "state",
                                        "city", "territory", "krai"}:
            k += 1
            if k < j and tokens[k].norm == "of":
                k += 1
        if k < j and tokens[k].is_word and tokens[k].capitalised \
                and tokens[k].norm not in POST_WORDS:
            return k + 1
        return None

    def _country_in(self, window: list[Token]) -> str | None:
        """The country an organisation name states ("of Russia", "Mexico's", "Korea")."""
        for size in range(min(6, len(window)), 0, -1):
            for a in range(0, len(window) - size + 1):
                key = window_key(window, a, a + size)
                if not key:
                    continue
                if key in self.gaz.countries:
                    return self.gaz.countries[key]
                if key.endswith("s") and key[:-1] in self.gaz.countries \
                        and window[a + size - 1].text[-2:] in {"'s", "’s"}:
                    return self.gaz.countries[key[:-1]]
                if key in self.gaz.demonyms and not (
                        a and window[a - 1].norm in REGION_WORDS):  # "Central American"
                    return self.gaz.demonyms[key]
        text = " ".join(t.text for t in window)
        match = re.search(r"\bof (?:the )?((?:Republic (?:of )?)?[A-Z][\w-]+(?: [A-Z][\w-]+)?)$",
                          text)
        if match:
            return self.gaz.subdivision_country(match.group(1))
        return None

    @staticmethod
    def _kind_of(norms: list[str], country: str | None) -> str:
        if "ministry" in norms:
            return "ministry"
        if "government" in norms:
            return "government"
        if "customs" in norms:
            return "customs"
        if country is None and set(norms) & {"bank", "organization", "organisation", "union",
                                              "commission", "council", "fund"}:
            return "international"
        return "agency"

    def _regional(self, window: list[Token]) -> bool:
        first = window[0].norm
        if first in COMPASS:
            return True
        key = window[0].norm
        return (window[0].capitalised and key not in self.gaz.countries
                and key not in self.gaz.demonyms and key not in ORG_HEADS
                and key not in {"federal", "national", "state", "general", "central", "royal",
                                "main", "chief", "supreme", "customs", "ministry",
                                "department", "directorate"}
                and len(window) == 2 and window[1].norm == "customs")

    # -- post-derived organisations ---------------------------------------------------------
    _MINISTER = re.compile(
        r"(?:\b(?P<pre>[A-Z][\w.’']*)\s+)?(?:(?:Deputy|Vice|First)\s+)*Minister\s+(?:of|for)\s+"
        r"(?:the\s+)?"
        r"(?P<area>[A-Z][a-z]+(?:\s+(?:Affairs|Trade|Development|Security|Relations|Commerce|"
        r"Economy|Revenue|Credit|Industry|Planning|Investment)|\s+and\s+[A-Z][a-z]+)?)"
        r"(?:\s+of\s+(?:the\s+)?(?P<of>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2}))?")

    # "Serbian Finance Minister", "the Japanese Foreign Minister"
    _AREA_MINISTER = re.compile(
        r"(?:\b(?P<pre>[A-Z][\w.’']*)\s+)?(?P<area>Finance|Foreign|Trade|Economy|Justice|"
        r"Interior|Transport|Agriculture)\s+(?:(?:Deputy|Vice|First)\s+)?Minister\b")

    _SECRETARY_TO = re.compile(
        r"(?:\b(?P<pre>[A-Z][\w.’']*)\s+)?(?:(?:Financial|Chief|Economic|Permanent|Parliamentary|"
        r"Commercial)\s+)?Secretary\s+(?:to|of)\s+the\s+(?P<org>Treasury|Exchequer)")

    def post_organisations(self, sentence: Sentence) -> None:
        """Organisations named only through a post: "Minister of Finance", "Minister for
        Finance of Ghana", "Serbian Finance Minister", "to the Treasury"."""
        for match in [*self._MINISTER.finditer(sentence.text),
                      *self._AREA_MINISTER.finditer(sentence.text)]:
            if search_before(MET_BEFORE, sentence.text, match.start()):
                continue  # "the delegation also met Georgia's Minister of Finance": a person
            area = match.group("area")
            if area == "Foreign":
                area = "Foreign Affairs"
            start = sentence.start + match.start("area") - len("Ministry of ")
            end = sentence.start + match.end("area")
            if self._taken(sentence, start + len("Ministry of "), end):
                continue
            code = self._resolve_place(match.group("pre"))[1] if match.group("pre") else None
            if code is None and match.groupdict().get("of"):
                code = self._place_prefix(match.group("of"))[1]
            entity = self._ministry(f"Ministry of {area}", code)
            self._mention_agency(entity, sentence, sentence.start + match.start("area"), end,
                                 "post", 0.6, f"Ministry of {area}")
        for match in self._SECRETARY_TO.finditer(sentence.text):
            start = sentence.start + match.start("org")
            end = sentence.start + match.end("org")
            if self._taken(sentence, start, end):
                continue
            code = self._resolve_place(match.group("pre"))[1] if match.group("pre") else None
            entity = self._ministry(match.group("org"), code)
            self._mention_agency(entity, sentence, start, end, "post", 0.6)

    def _ministry(self, name: str, code: str | None) -> AgencyEntity:
        words = [w for w in normalise_name(name).split() if w not in {"of", "the", "and"}]
        candidates = []
        for body in self.gaz.bodies.values():
            if body.agency_kind != "ministry" or (code and body.country != code):
                continue
            names = [normalise_name(n) for n in [body.name, *body.aliases]]
            if any(all(w in n.split() for w in words) for n in names):
                candidates.append(body)
        if len(candidates) == 1 and code:
            entity = self._agency_from_reference(candidates[0].key)
            entity.add_alias(name)
            return entity
        if code is None or code not in self.gaz.country_names:
            return self._new_agency(name, code, "ministry", confidence=0.6)
        # A ministry the gazetteer lacks is named with its country: "Ministry of Finance of
        # Ghana" (another article's "Ministry of Finance" is another country's).
        full = f"{name} of {self.gaz.country_names[code]}"
        for entity in self.result.agencies.values():
            if entity.kind == "ministry" and entity.reference is None and \
                    normalise_name(entity.name) == normalise_name(name) and entity.country is None:
                entity.country = code
                entity.name = full
                entity.add_alias(name)
                return entity
        entity = self._new_agency(full, code, "ministry", confidence=0.6)
        entity.add_alias(name)
        return entity
