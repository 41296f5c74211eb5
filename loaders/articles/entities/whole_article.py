"""What needs the whole article: a generic ministry's country, acronyms the article defines
("Body Name (ACR)"), a body named again in brackets, garbled acronyms, anaphora ("the
Commission") and short forms of a longer name ("U.S. Embassy" and "U.S. Embassy in
Panama")."""

from __future__ import annotations

import re
from collections import Counter

from graph.names import normalise_name
from loaders.articles.entities.analysis import AgencyEntity, Mention
from loaders.articles.entities.registry import EntityRegistry

_BRACKET = re.compile(r"\s*\(")  # between a name and the same body's name in brackets

_FISCAL_WORDS = frozenset({"customs", "revenue", "tax", "taxes", "excise"})


class WholeArticle(EntityRegistry):
    """The document-level step, after the passes over each sentence."""

    def finish(self) -> None:
        """Settle what needs the whole article: a generic ministry's country, garbled
        acronyms, names given by anaphora ("the Commission")."""
        countries = Counter(m.key for ms in self.result.country_mentions.values() for m in ms)
        for entity in list(self.result.agencies.values()):
            if entity.reference is None and entity.kind in ("ministry", "government") \
                    and entity.country is None:
                self._settle_ministry(entity, countries)
        self._defined_acronyms()
        self._names_in_brackets()
        self._garbled_acronyms()
        self._anaphora()
        self._short_forms()
        self._generic_customs()

    def _generic_customs(self) -> None:
        """"The customs administrations of Argentina, Brazil and Paraguay", then the bodies
        by name: the generic "Customs of Paraguay" made for the first is the revenue or customs
        body of that country the article names ("National Directorate of Tax Revenue of
        Paraguay"), when it names exactly one."""
        for entity in list(self.result.agencies.values()):
            code = entity.country
            if code is None or entity.reference is not None or entity.collective or \
                    entity.name != f"Customs of {self.gaz.country_names.get(code, code)}":
                continue
            named = [a for a in self.result.agencies.values() if a is not entity and
                     a.country == code and not a.collective and a.mentions and
                     _FISCAL_WORDS & set(normalise_name(a.name).split())]
            if len(named) == 1:
                self._fold_agency(entity, named[0])

    def _short_forms(self) -> None:
        """A name that begins a longer one of the same country, the rest saying where or whose
        ("U.S. Embassy" and "U.S. Embassy in Panama", "State Revenue Committee" and "State
        Revenue Committee of the Republic of Armenia"), is that body."""
        agencies = sorted(self.result.agencies.values(), key=lambda a: len(a.name))
        for short in agencies:
            if short.country is None or short.collective or short.key not in \
                    self.result.agencies:
                continue
            key = normalise_name(short.name)
            for long in reversed(agencies):
                rest = normalise_name(long.name)[len(key):]
                if long is short or long.key not in self.result.agencies or \
                        long.country != short.country or long.collective or \
                        not normalise_name(long.name).startswith(key) or \
                        not re.match(r" (?:of|in|for|at|to) ", rest) or \
                        (short.reference and long.reference != short.reference):
                    continue
                self._fold_agency(short, long)
                break

    def _settle_ministry(self, entity: AgencyEntity, countries: Counter) -> None:
        words = [w for w in normalise_name(entity.name).split() if w not in {"of", "the"}]
        matches = []
        for body in self.gaz.bodies.values():
            if body.agency_kind != "ministry" or body.country not in countries:
                continue
            names = [normalise_name(n) for n in [body.name, *body.aliases]]
            if any(all(w in n.split() for w in words) for n in names):
                matches.append(body)
        if len(matches) == 1:
            entity.country = matches[0].country
            entity.reference = matches[0].key

    def _defined_acronyms(self) -> None:
        """"Body Name (ACR)": the acronym names the body wherever the article uses it."""
        defined: dict[str, AgencyEntity] = {}
        for sentence in self.sentences:
            for mention in self.result.mentions(sentence.index):
                if mention.kind != "agency":
                    continue
                match = re.match(r"\s*\((?P<acr>[A-Z][A-Za-z]*[A-Z](?: [A-Z]{2,})?)\)",
                                 self.text[mention.end:mention.end + 20])
                if match:
                    entity = self.result.agencies[mention.key]
                    known = self._acronym_body(match.group("acr"), entity)
                    if known is not None:  # "Directorate General of Customs (DJBC)"
                        self._fold_agency(entity, known)
                        entity = known
                    else:  # the article's own "(SAT)" is not the gazetteer's SAT
                        self._claim_acronym(match.group("acr"), entity)
                    entity.add_alias(match.group("acr"))
                    defined[match.group("acr")] = entity
        for acronym, entity in defined.items():
            pattern = re.compile(rf"(?<![\w(]){re.escape(acronym)}(?![\w)])")
            for sentence in self.sentences:
                for match in pattern.finditer(sentence.text):
                    start = sentence.start + match.start()
                    end = sentence.start + match.end()
                    if not self._taken(sentence, start, end):
                        self._mention_agency(entity, sentence, start, end, "acronym", 0.85)

    def _names_in_brackets(self) -> None:
        """"Federal Revenue Service (Receita Federal)": a body named again in brackets right
        after its name, in other words or another language, is one body (the gazetteer's, if
        either is)."""
        for sentence in self.sentences:
            mentions = [m for m in self.result.mentions(sentence.index) if m.kind == "agency"]
            starting: dict[int, list[Mention]] = {}
            for mention in mentions:
                starting.setdefault(mention.start, []).append(mention)
            for first in mentions:
                bracket = _BRACKET.match(self.text, first.end)
                for second in starting.get(bracket.end(), []) if bracket else []:
                    if first.key == second.key or self.text[second.end:second.end + 1] != ")":
                        continue
                    a = self.result.agencies.get(first.key)
                    b = self.result.agencies.get(second.key)
                    if a is None or b is None or a.collective or b.collective or \
                            (a.country and b.country and a.country != b.country) or \
                            (a.reference and b.reference):
                        continue
                    if a.reference:
                        self._fold_agency(b, a)
                    else:
                        self._fold_agency(a, b)

    def _acronym_body(self, acronym: str, entity: AgencyEntity) -> AgencyEntity | None:
        """The gazetteer body an acronym names when a name the gazetteer lacks defines it
        and the body's name holds that name's words, else None."""
        keys = self.gaz.acronyms.get(acronym)
        if entity.reference is not None or not keys:
            return None
        body = self.gaz.bodies[keys[0]]
        words = {_singular(w) for w in normalise_name(entity.name).split()} - {"of", "the", "and"}
        for name in [body.name, *body.aliases]:  # ("Indirect Tax" for "Indirect Taxes")
            if words and words <= {_singular(w) for w in normalise_name(name).split()}:
                return self._agency_from_reference(body.key)
        return None

    def _claim_acronym(self, acronym: str, entity: AgencyEntity) -> None:
        """Mentions of an acronym the gazetteer gives another body go to the body the
        article defines it for."""
        for mentions in self.result.by_sentence.values():
            for mention in mentions:
                if mention.kind != "agency" or mention.text != acronym or \
                        mention.key == entity.key:
                    continue
                other = self.result.agencies.get(mention.key)
                if other is None or other.reference is None:
                    continue
                other.mentions.remove(mention)
                mention.key = entity.key
                entity.mentions.append(mention)

    def _fold_agency(self, entity: AgencyEntity, into: AgencyEntity) -> None:
        """Make ``entity`` one with ``into``: its mentions and names go over."""
        for mention in entity.mentions:
            mention.key = into.key
            into.mentions.append(mention)
        into.add_alias(entity.name)
        for alias in entity.aliases:
            into.add_alias(alias)
        self.result.agencies.pop(entity.key, None)

    def _garbled_acronyms(self) -> None:
        """An all-capital word that starts with an acronym of the article and is no known name
        ("STUDENTS" beside "STU") is taken as a garbled form of it, with low confidence."""
        acronyms = {}
        for entity in self.result.agencies.values():
            for alias in [entity.name, *entity.aliases]:
                if re.fullmatch(r"[A-Z]{2,6}", alias):
                    acronyms[alias] = entity
        if not acronyms:
            return
        for sentence in self.sentences:
            for token in self.tokens[sentence.index]:
                word = token.text
                if not re.fullmatch(r"[A-Z]{4,12}", word) or word in acronyms:
                    continue
                if self.gaz.acronyms.get(word) or normalise_name(word) in self.gaz.countries:
                    continue
                for acronym, entity in acronyms.items():
                    if word.startswith(acronym) and len(acronym) >= 3:
                        if self._taken(sentence, token.start, token.end):
                            break
                        self._mention_agency(entity, sentence, token.start, token.end,
                                             "garbled", 0.4)
                        break

    def _anaphora(self) -> None:
        """"the Commission", "the Union": the body of that head the article named before."""
        for sentence in self.sentences:
            for match in re.finditer(r"\bthe (Commission|Union|Committee|Service|Agency|Bank|"
                                     r"Organi[sz]ation|Directorate|Administration)(?:['’]s)?\b",
                                     sentence.text):
                start = sentence.start + match.start(1)
                end = sentence.start + match.end(1)
                if self._taken(sentence, start, end):
                    continue
                head = match.group(1).lower()
                earlier = [e for e in self.result.agencies.values()
                           if e.mentions and min(m.start for m in e.mentions) < start
                           and normalise_name(e.name).split()[-1:] == [head]]
                if len(earlier) == 1:
                    entity = earlier[0]
                    entity.add_alias(f"the {match.group(1)}")
                    self._mention_agency(entity, sentence, start, end, "anaphora", 0.5)


def _singular(word: str) -> str:
    """A name's word without its plural ending: "taxes" -> "tax", "duties" -> "duty"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("xes", "ses", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
