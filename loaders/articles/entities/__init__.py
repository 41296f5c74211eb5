"""Agencies, countries and people in article sentences, resolved against the reference data.

Four passes over each sentence: names of the gazetteer (with acronyms), capitalised
organisation names it lacks ("Federal Customs Office of the PRC"), loose forms ("Mongolian
customs", "customs service of China", "the Mexican tax service"), and countries from names,
demonyms and compounds ("Russian-Mongolian"). People come from posts ("Head of the Federal
Customs Service of Russia, Vladimir Bulavin"). The result is one entity per real body, with
every surface form as an alias and every mention's position.

Modules: ``analysis`` (what is found), ``tokens``, ``words`` (shared vocabulary),
``registry`` (the state the passes share), one module per pass (``organisations``,
``loose_forms``, ``countries``, ``people``) and ``whole_article``; this one runs them in order.
"""

from __future__ import annotations

from loaders.articles.entities.analysis import EntityAnalysis
from loaders.articles.entities.countries import CountryNames
from loaders.articles.entities.loose_forms import LooseForms
from loaders.articles.entities.organisations import OrganisationNames
from loaders.articles.entities.people import PeopleNames
from loaders.articles.entities.whole_article import WholeArticle
from loaders.articles.sentences import Sentence


class _Recogniser(OrganisationNames, LooseForms, CountryNames, PeopleNames, WholeArticle):
    """Finds the entities of one article."""


def recognise_entities(text: str, sentences: list[Sentence]) -> EntityAnalysis:
    """The agencies, countries and people of an article, with their mentions."""
    recogniser = _Recogniser(text, sentences)
    for sentence in sentences:
        recogniser.gazetteer_names(sentence)
        recogniser.capitalised_names(sentence)
        recogniser.post_organisations(sentence)
    for sentence in sentences:
        recogniser.loose_forms(sentence)
        recogniser.countries(sentence)
        recogniser.capitals(sentence)
    recogniser.finish()
    for sentence in sentences:
        recogniser.people(sentence)
    recogniser.name_parts()
    return recogniser.result
