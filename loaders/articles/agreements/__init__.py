"""Agreements in article sentences: titles from a head noun ("memorandum of understanding",
"Protocol", "FTA") stretched over its name and subject, kinds, parties, and the dates that
signing and entry-into-force verbs give them. Later mentions ("the MoU", "this agreement")
are the same agreement.

Modules: ``analysis`` (what is found), ``registry`` (which agreement a mention names),
``titles`` (mentions and their titles), ``signing`` (signing and entry-into-force statements);
this one reads an article's sentences with them."""

from __future__ import annotations

from loaders.articles.agreements.analysis import AgreementAnalysis
from loaders.articles.agreements.ellipses import EllipticSignings
from loaders.articles.agreements.registry import merge_duplicates, merge_headline
from loaders.articles.agreements.signing import SigningStatements
from loaders.articles.agreements.titles import AgreementTitles
from loaders.articles.agreements.validity import ValidityStatements
from loaders.articles.dates import DateMention
from loaders.articles.entities.analysis import EntityAnalysis
from loaders.articles.sentences import Sentence, is_caption


class _AgreementFinder(AgreementTitles, SigningStatements, ValidityStatements,
                       EllipticSignings):
    """Finds the agreements of one article."""


def find_agreements(text: str, sentences: list[Sentence], entities: EntityAnalysis,
                    dates: dict[int, list[DateMention]],
                    main_pair: list[str], main_parties: list[str] | None = None
                    ) -> AgreementAnalysis:
    """The agreements of an article and the statements that sign them; one the text gives no
    parties has the article's main parties (``main_parties``), marked as inferred."""
    finder = _AgreementFinder(text, sentences, entities, dates)
    for sentence in sentences:
        mentions = finder.mentions_in(sentence)
        registered = []
        for mention in mentions:
            key = finder.register(mention, sentence)
            if key is not None:
                registered.append((mention, key))
                finder.result.spans.setdefault(sentence.index, []).append(
                    (mention.start, mention.end, key))
        if is_caption(sentence.text):
            continue  # "Photo: X and Y sign the MoU": the signing the text tells
        finder.relations(sentence, registered, main_pair)
        finder.elliptic_signings(sentence, registered)
        finder.listed_counterparts(sentence, registered)
        finder.counterparts(sentence, registered)
        finder.possession(sentence, registered)
        finder.validity(sentence, registered)
        finder.duration(sentence)
        finder.months_long(sentence)
        finder.extension(sentence, registered)
        finder.until(sentence, registered)
    merge_duplicates(finder.result)
    merge_headline(finder.result, entities.country_of)
    for agreement in finder.result.agreements.values():
        if not agreement.parties and main_parties and len(main_parties) >= 2:
            agreement.parties = list(main_parties)
            agreement.parties_inferred = True
        actions = [a for a in finder.result.actions if agreement.key in a.agreements]
        if actions and all(a.purpose for a in actions) and agreement.signed is None:
            agreement.status = "draft"
        elif agreement.negotiated and agreement.signed is None and \
                agreement.status in (None, "draft"):
            agreement.status = "draft"
        elif agreement.status == "draft":
            agreement.status = None
    return finder.result
