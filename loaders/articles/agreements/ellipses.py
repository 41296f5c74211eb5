"""Signings told by ellipsis: "The memorandum with X was signed in A on May 12, and the one
with Y in B a day later" signs the agreement with Y too, on the date its own clause gives."""

from __future__ import annotations

import re

from loaders.articles.agreements.analysis import AgreementMention, SignAction
from loaders.articles.agreements.registry import AgreementRegistry
from loaders.articles.sentences import Sentence

_ELLIPSIS = re.compile(r"(?i),?\s+(?:and|while|with)\s+the\s+(?:one|other(?:\s+one)?|"
                       r"second(?:\s+one)?|latter)\s+with\s+(?:the\s+)?")


_PLACE = re.compile(r"\b(?:in|at)\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)")


class EllipticSignings(AgreementRegistry):
    """Reads "…, and the one with Y (in B) (DATE)" after a signing in the same sentence."""

    def elliptic_signings(self, sentence: Sentence,
                          mentions: list[tuple[AgreementMention, str]]) -> None:
        actions = [a for a in self.result.actions if a.sentence == sentence.index and
                   a.agreements and not a.purpose and not a.verb.startswith(
                       ("adopt", "approv", "endors", "agreed", "launch", "initial", "ratif",
                        "exchang"))]
        if not actions:
            return
        dates = self.dates.get(sentence.index, [])
        for match in _ELLIPSIS.finditer(sentence.text):
            at = sentence.start + match.end()
            action = next((a for a in reversed(actions) if a.start < at), None)
            other = next((m for m in self.entities.starting_in(sentence.index, at, at + 3)
                          if m.kind in ("country", "agency") and m.role != "inside"), None)
            if action is None or other is None:
                continue
            target = self._known_with(action.agreements[0], other.key)
            if target is None or target in action.agreements:
                continue
            end = sentence.start + _clause_end(sentence.text, match.end())
            date = next((d for d in dates if at <= d.start < end), action.date)
            agreement = self.result.agreements[target]
            if agreement.signed is None or agreement.signed.value is None:
                agreement.signed = date
            agreement.signed_in = sentence.index if agreement.signed_in is None \
                else agreement.signed_in
            agreement.status = "signed"
            if date is not None and date is not action.date:
                agreement.date_text = date.text
            place = _PLACE.search(sentence.text, match.end(), end - sentence.start)
            self.result.actions.append(SignAction(
                sentence.index, action.verb, [target], list(agreement.parties), date,
                action.main_clause, False, at, [], place.group(1) if place else None))


def _clause_end(text: str, at: int) -> int:
    """The end of the elliptic clause: the next comma, semicolon or the sentence's end."""
    match = re.compile(r"[;,]|\s+and\s+the\s+(?:one|other)\b").search(text, at)
    return match.start() if match else len(text)
