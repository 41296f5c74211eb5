"""Pass 4, countries: names, demonyms and compounds ("Russian-Mongolian", not "Latin
American"), and capitals only where they stand for their countries ("Moscow and Beijing
signed …")."""

from __future__ import annotations

import re

from graph.names import normalise_name
from loaders.articles.entities.registry import EntityRegistry
from loaders.articles.entities.tokens import Token, name_windows
from loaders.articles.gazetteer import CAPITALS, COMBINING_FORMS
from loaders.articles.sentences import Sentence, search_before

# Capitals that, as a party, stand for the union seated there when the article names it.
_SEATS = {"brussels": "eu"}
_REGION_PREFIXES = frozenset({"latin", "south", "north", "central", "east", "west", "inter",
                              "pan", "trans", "meso", "sub", "southeast", "northeast",
                              "southwest", "northwest", "far", "middle", "eastern", "western",
                              "northern", "southern"})


class CountryNames(EntityRegistry):
    """Pass 4."""

    def countries(self, sentence: Sentence) -> None:
        tokens = self.tokens[sentence.index]
        i = 0
        while i < len(tokens):
            found = None
            windows = list(name_windows(tokens, i, 6, self.gaz.prefixes))
            for j, key in reversed(windows):
                window = tokens[i:j]
                if not window[-1].capitalised and not window[0].capitalised:
                    continue
                code = self.gaz.countries.get(key)
                role = "name"
                if code is None and key.endswith("s") and window[-1].text[-2:] in {"'s", "’s"}:
                    code = self.gaz.countries.get(key[:-1])
                if code is None:
                    code, role = self.gaz.demonyms.get(key), "demonym"
                if code is None:
                    continue
                if len(window) == 1 and len(window[0].text.rstrip(".")) <= 3 and \
                        not window[0].text.isupper() and "." not in window[0].text:
                    continue  # "us" is no country
                if not all(t.capitalised for t in window if t.is_word and
                           t.norm not in {"of", "the", "and"}) and role == "demonym":
                    continue
                found = (j, code, role)
                break
            if found is None:
                norm = tokens[i].norm
                if norm in COMBINING_FORMS and i + 1 < len(tokens) and tokens[i + 1].text == "-":
                    found = (i + 1, COMBINING_FORMS[norm], "demonym")
            if found is None:
                i += 1
                continue
            j, code, role = found
            if self._region_compound(tokens, i):
                i = j
                continue
            start, end = tokens[i].start, tokens[j - 1].end
            inside = self._taken(sentence, start, end)
            self._mention_country(code, sentence, start, end, "inside" if inside else role)
            i = j

    _METONYMS = re.compile(
        r"(?P<a>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)\s+and\s+(?P<b>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)"
        r"(?=\s+(?:have\s+|has\s+|had\s+|will\s+|also\s+|today\s+)*(?:signed|agreed|concluded|"
        r"inked|launched|exchanged|reached|sign|agree)\b)")

    # "… have similar agreements with Brussels": a capital as the counterpart of agreements
    _COUNTERPART = re.compile(
        r"(?i:agreements?|arrangements?|accords?|deals?|treaty|treaties|memorand\w*|mous?|"
        r"mras?)\s+with\s+(?P<c>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)\b")

    def _capital_side(self, sentence: Sentence, start: int, end: int, capital: str) -> None:
        """A capital standing for a party: its country, or the union seated there when the
        article names that union ("Brussels" for the EU)."""
        if self._taken(sentence, start, end, ("agency", "country")):
            return
        union = _SEATS.get(normalise_name(self.text[start:end]))
        entity = self.result.agencies.get(union) if union else None
        if entity is not None and entity.mentions:
            self._mention_agency(entity, sentence, start, end, "metonym", 0.7)
        else:
            self._mention_country(capital, sentence, start, end, "metonym", 0.7)

    def capitals(self, sentence: Sentence) -> None:
        """Capitals that stand for their countries, and only where they do: two of them (or a
        capital and a country) as the subject of "signed", "agreed" ("Moscow and Beijing
        signed …"). "in Moscow" stays a place."""
        for match in self._METONYMS.finditer(sentence.text):
            if search_before(r"(?i)\b(?:in|at|from|to|between|of|via)\s+$",
                             sentence.text, match.start()):
                continue
            sides = []
            for group in ("a", "b"):
                start = sentence.start + match.start(group)
                end = sentence.start + match.end(group)
                capital = CAPITALS.get(normalise_name(match.group(group)))
                country = next((m.key for m in self.result.mentions(sentence.index)
                                if m.kind == "country" and m.start == start and m.end == end),
                               None)
                sides.append((start, end, capital, country))
            if not any(c for _, _, c, _ in sides) or not all(c or k for _, _, c, k in sides):
                continue
            if len({c or k for _, _, c, k in sides}) < 2:
                continue
            for start, end, capital, country in sides:
                if capital and not country:
                    self._capital_side(sentence, start, end, capital)
        for match in self._COUNTERPART.finditer(sentence.text):
            capital = CAPITALS.get(normalise_name(match.group("c")))
            if capital:
                self._capital_side(sentence, sentence.start + match.start("c"),
                                   sentence.start + match.end("c"), capital)

    @staticmethod
    def _region_compound(tokens: list[Token], i: int) -> bool:
        """"Latin American", "Inter-American", "South American": a region, not a country."""
        k = i - 1
        if k >= 0 and tokens[k].text in {"-", "–"}:
            k -= 1
            return k >= 0 and tokens[k].norm in _REGION_PREFIXES
        return k >= 0 and tokens[k].norm in _REGION_PREFIXES and tokens[k].capitalised
