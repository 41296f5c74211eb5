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
                if capital and not country and not self._taken(sentence, start, end,
                                                                 ("agency", "country")):
                    self._mention_country(capital, sentence, start, end, "metonym", 0.7)

    @staticmethod
    def _region_compound(tokens: list[Token], i: int) -> bool:
        """"Latin American", "Inter-American", "South American": a region, not a country."""
        k = i - 1
        if k >= 0 and tokens[k].text in {"-", "–"}:
            k -= 1
            return k >= 0 and tokens[k].norm in _REGION_PREFIXES
        return k >= 0 and tokens[k].norm in _REGION_PREFIXES and tokens[k].capitalised
