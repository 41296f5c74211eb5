"""The article as a whole: the parties it is about. A record the text leaves without parties
("the Action Plan was launched", "the two sides signed") falls back to them, with less
confidence."""

from __future__ import annotations

import re

from loaders.articles.entities.analysis import EntityAnalysis
from loaders.articles.sentences import Sentence

_CODE = re.compile(r"[A-Z]{2}")


def _parties_named(sentence: Sentence, entities: EntityAnalysis) -> list[str]:
    """The agencies, unions and countries a sentence names, each once, in order; a country
    whose own agency is named is that agency."""
    keys: list[str] = []
    for mention in entities.mentions(sentence.index):
        if mention.role == "inside":
            continue
        key = mention.key
        if mention.kind == "person":
            person = entities.people.get(key)
            key = person.organisation if person is not None else None
        if key and key not in keys:
            keys.append(key)
    agencies = [k for k in keys if not _CODE.fullmatch(k)]
    covered = {entities.country_of(k) for k in agencies}
    keys = [k for k in keys if not (_CODE.fullmatch(k) and k in covered)]
    # an international organisation reporting on or hosting the others is no party
    others = [k for k in keys if not (k in entities.agencies and
                                      entities.agencies[k].kind == "international")]
    return others if len(others) >= 2 else keys


def main_parties(sentences: list[Sentence], entities: EntityAnalysis,
                 pair: list[str]) -> list[str]:
    """The parties the article is about: those its headline names (two or more), else those
    of the headline and the first sentence of the body together, else the two bodies it
    names most (``pair``)."""
    if not sentences:
        return list(pair)
    headline = _parties_named(sentences[0], entities)
    if len(headline) >= 2:
        return headline
    if len(sentences) > 1:
        opening = headline + [k for k in _parties_named(sentences[1], entities)
                              if k not in headline and
                              entities.country_of(k) not in headline]
        if len(opening) >= 2:
            return opening
    return list(pair)
