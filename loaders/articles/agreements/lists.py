"""Agreements with lists of counterparts: "signed MRAs with A, B and C" gives one agreement
per member, "A, B and C already have similar agreements with X" one per subject, agreements
only negotiated with a list stay drafts of the kind named before; and the subject a pronoun
stands for. A part of ``SigningStatements`` (``signing.py``), which supplies the parties,
dates and clause bounds these rules read."""

from __future__ import annotations

import re

from loaders.articles.agreements.analysis import Agreement, AgreementMention, SignAction
from loaders.articles.agreements.registry import AgreementRegistry, _head_class, _head_phrase, _kind
from loaders.articles.sentences import Sentence, clause_end, matches_in, search_before

# "signed (two) AEO mutual recognition arrangements (on …) with": an agreement head, singular
# or plural, whose counterpart follows "with" (a list of them gives one agreement each); the
# verb gives the status: signed, or only negotiated ("is pursuing finalization of such
# agreements with A and B")
_LIST_SIGN = re.compile(
    r"(?i)\b(?P<verb>sign(?:s|ed)?|conclud(?:e|es|ed)|ink(?:s|ed)?|negotiat(?:e|es|ed|ing)|"
    r"pursu(?:e|es|ed|ing)|finali[sz](?:e|es|ed|ing)|(?:working|work|works)\s+on|"
    # "operates border posts under bilateral agreements with A, B and C": agreements held
    r"prepar(?:e|es|ed|ing)|have|has|had|holds?|counts?\s+with|under)\s+"
    r"(?:(?:the\s+)?(?:finali[sz]ation|conclusion|negotiation|"
    r"negotiations|signing|preparation)\s+of\s+)?")
_CONSIDERED = re.compile(r"(?i)\b(?:possibility|exploring|explores?|consider(?:s|ing)?|"
                         r"negotiat(?:e|es|ing)|pursu(?:e|es|ing)|discuss(?:es|ing)?)\b")
_POSSESS = re.compile(r"(?i)^(?:ha[vsd]|hold|count|under)")
_NEGOTIATING = re.compile(r"(?i)^(?:negotiat|pursu|finali|work|prepar)")
_LIST_OBJECT = re.compile(
    r"(?i)(?:(?:a|an|two|three|four|five|six|seven|eight|nine|ten|several|separate|new|\d+)\s+)?"
    r"(?:(?:already|also|now)\s+)?"
    r"(?P<title>(?:[\w-]+\s+){0,5}?(?P<head>memorand(?:um|a)(?:\s+of\s+(?:understanding|"
    r"cooperation|co-operation))?|mou|mous|moc|mocs|mras?|c?maas?|agreements?|arrangements?|"
    r"protocols?|treaty|treaties|accords?|documents?|deals?|letters\s+of\s+intent|"
    r"(?<=\s)one(?=\s+with\b))"  # "is negotiating one with X": one of the kind just named
    r"(?:\s+(?:on|of|for)(?:\s+[\w-]+){1,10}?)?(?:\s+(?:already\s+|currently\s+)?in\s+force)?)"
    # "concluded 16 such agreements, including with A, B and C": a sample of a count
    r"(?:\s*,?\s+(?P<sample>including|notably|in\s+particular|among\s+them))?"
    r"\s+with(?:\s*,\s*(?:inter\s+alia|among\s+others)\s*,)?\s+(?:the\s+)?")
_LIST_GAP = re.compile(r"(?i)(?:\s*\([A-Za-z]{2,10}\))?"
                       r"(?:\s+(?:countries|member\s+states|nations))?"
                       # "with Japan and with Hong Kong, China"
                       r"\s*(?:,\s*(?:and\s+)?|and\s+)(?:with\s+)?(?:the\s+|its\s+)?")
_COLLECTIVE = re.compile(r"(?i)\s*(?:the\s+)?customs\s+(?:administrations|services|"
                         r"authorities|agencies)\s+of\s+(?:the\s+)?")
_PRONOUN_SUBJECT = re.compile(r"(?i)\s*(?:(?:likewise|also|moreover|meanwhile|furthermore|"
                             r"similarly|in\s+addition),\s*)?(?:it|they|the\s+(?:agency|service|"
                             r"authority|administration|committee|ministry|department|bureau|"
                             r"office|board|directorate))\b")
# "has already signed", "signed earlier": agreements of the past, not this article's signing
_BACKGROUND = re.compile(r"(?i)\b(?:already|previously|earlier|so\s+far|to\s+date|"
                         r"in\s+the\s+past)\b")
_SEVERAL_PARTIES = re.compile(r"(?i)\b(?:tri|quadri|multi|pluri)lateral\b|\bjoint\b")
_SINGULAR = {"memoranda": "memorandum", "treaties": "treaty"}


def _singular(title: str, head: str) -> str:
    """The title of one of several agreements: "MRAs" -> "MRA", "memoranda" -> "memorandum"."""
    low = head.lower()
    if low.split()[0] in _SINGULAR:
        one = _SINGULAR[low.split()[0]] + head[len(head.split()[0]):]
    elif low.endswith("s") and low not in {"mou", "moc"} or head.endswith("s"):
        one = head[:-1]
    else:
        return title
    at = title.rfind(head)
    return title[:at] + one + title[at + len(head):]


class CounterpartLists(AgreementRegistry):
    """The list rules of ``SigningStatements``."""

    def listed_counterparts(self, sentence: Sentence,
                            mentions: list[tuple[AgreementMention, str]]) -> None:
        """"X signed MRAs with A, B and C", "X signed two memoranda with A and B
        respectively": one agreement per listed counterpart, each between the subject and
        that counterpart, of the kind the head noun gives, with the same date and status.
        "between A and B" is no such list; a "trilateral" or "joint" agreement is one."""
        text = sentence.text
        for match in _LIST_SIGN.finditer(text):
            obj = _LIST_OBJECT.match(text, match.end()) or self._acronym_object(text,
                                                                                match.end())
            if obj is None:
                continue
            head, title = obj.group("head"), obj.group("title")
            if _POSSESS.match(match.group("verb")) and re.match(r"(?i)\w+(?:ed|en)\b", title):
                continue  # "have already signed MRAs with …": the signing verb's
            plural = head.lower().endswith(("s", "memoranda")) or head.lower() == "treaties"
            end_of_clause = clause_end(text, obj.end())
            members = self._listed(sentence, sentence.start + obj.end(),
                                   sentence.start + end_of_clause)
            verb = match.group("verb").lower()
            if len(members) < 2 and not ((plural or head.lower() == "one") and
                                         len(members) == 1):
                continue
            t_start, t_end = sentence.start + obj.start("title"), sentence.start + obj.end("title")
            named = [(m, k) for m, k in mentions if m.start < t_end and t_start < m.end and
                     self.result.agreements[k].mentions[0].sentence == sentence.index]
            # (a plural that refers back to an agreement told before names new ones: "CBIC
            # signed an MRA with ICP. CBIC has concluded MRAs with A, B and C")
            if _SEVERAL_PARTIES.search(title) and not plural:
                for _, key in named[:1]:  # "a trilateral agreement with A and B": one, all
                    agreement = self.result.agreements[key]
                    agreement.parties += [p for p in members if p not in agreement.parties]
                continue
            v_start = sentence.start + match.start()
            clause_start = self._clause_start(text, match.start())
            subject = self._parties_between(sentence, sentence.start + clause_start, v_start,
                                            []) or self._pronoun_subject(text, clause_start) \
                or self._shared_subject(text, match.start())
            if head.lower() == "one":  # "…, and is negotiating one with X": one more
                subject = self._shared_subject(text, match.start()) or subject[-1:]
            elif len(members) == 1:  # "A, B and C (already) have similar agreements with X"
                if len(subject) < 2 or members[0] in subject:
                    continue
                subject, members = members, subject
            if not subject or set(subject) & set(members):
                continue
            # "operates posts with Kenya and Rwanda under agreements with the Kenya Revenue
            # Authority and the Rwanda Revenue Authority": the members' countries are theirs
            theirs = {self.entities.country_of(m) for m in members} - {None}
            subject = [p for p in subject if p not in theirs] or subject
            title = re.sub(r"(?i)^similar\s+", "", title)
            like = self._such(title, head)
            if like is not None:  # "such agreements": of the kind named before
                title, head = like.title, like.head_phrase or head
                named = []
            keys = self._one_per_member(sentence, named, title, head, t_start, t_end, subject,
                                        members, like)
            if _POSSESS.match(verb):  # agreements they have: no signing told
                continue
            purpose = bool(search_before(r"(?i)\b(?:to|will|would|shall|should|could|may|"
                                         r"might|plan\s+to|plans\s+to|intend\s+to)\s+$",
                                         text, match.start()))
            if _NEGOTIATING.match(verb):  # negotiated, not signed: no signing date
                for key in keys:
                    self.result.agreements[key].negotiated = True
                continue
            dates = self.dates.get(sentence.index, [])
            date = self._date_near(dates, sentence, clause_start, end_of_clause, v_start, [])
            sample = obj.groupdict().get("sample") is not None
            if sample:  # a count's sample: agreements held, no one signing told or dated
                date = None
            self.result.actions = [a for a in self.result.actions if not (
                a.sentence == sentence.index and set(a.agreements) <= set(keys))]
            background = sample or matches_in(_BACKGROUND, text, clause_start, match.start())
            self.result.actions.append(SignAction(
                sentence.index, verb, keys, subject + members, date,
                not purpose and not background, purpose, v_start))
            for key in keys:
                agreement = self.result.agreements[key]
                if purpose:
                    continue
                if date is not None and (agreement.signed is None or
                                         agreement.signed.value is None):
                    agreement.signed = date
                if agreement.signed_in is None:
                    agreement.signed_in = sentence.index
                agreement.status = "signed"

    def _listed(self, sentence: Sentence, start: int, stop: int) -> list[str]:
        """The parties of a coordinated list starting at ``start``: "A, B and C"."""
        members: list[str] = []
        at = start
        for mention in self.entities.starting_in(sentence.index, start, stop):
            if mention.role == "inside" or mention.start < at:
                continue
            gap = self.text[at:mention.start]
            if members and re.fullmatch(r"\s*\(\s*", gap):
                close = self.text.find(")", mention.end, stop)  # "Office (OTR) and …",
                at = close + 1 if close >= 0 else mention.end  # "Hong Kong (China), …"
                continue
            if members and not _LIST_GAP.fullmatch(gap) or not members and gap.strip() and \
                    not _COLLECTIVE.fullmatch(gap):  # "with the customs administrations of A, B"
                break
            key = self._party_key(mention)
            if not key or key in members:
                break
            members.append(key)
            at = mention.end
        return members

    def counterparts(self, sentence: Sentence,
                     mentions: list[tuple[AgreementMention, str]]) -> None:
        """"(Brussels,) which is exploring a mutual recognition accord with China": an
        agreement the sentence gives no parties has the one it is "with" and the clause's
        subject (for "…, which", the party just before it)."""
        text = sentence.text
        for mention, key in mentions:
            agreement = self.result.agreements.get(key)
            if agreement is None or agreement.parties:
                continue
            with_ = re.match(r"\s+with\s+(?:the\s+)?", self.text[mention.end:mention.end + 12])
            if with_ is None:
                continue
            at = mention.end + with_.end()
            other = next((self._party_key(m) for m in self.entities.starting_in(
                sentence.index, at, at + 1)), None)
            if not other:
                continue
            before_text = text[max(0, mention.start - sentence.start - 200):
                               mention.start - sentence.start]
            relative = search_before(r",\s*(?:which|who)\b[^,]{0,150}$", text,
                                     mention.start - sentence.start, window=200)
            if relative:
                before = self._parties_between(sentence, sentence.start,
                                               sentence.start + relative.start(), [])
                subject = before[-1:]
            else:
                clause_start = self._clause_start(text, mention.start - sentence.start)
                subject = self._parties_between(sentence, sentence.start + clause_start,
                                                mention.start, [])
            agreement.parties = [p for p in subject if p != other] + [other]
            if _CONSIDERED.search(before_text[-60:]):
                agreement.negotiated = True  # "exploring the possibility of …": a draft

    def _pronoun_subject(self, text: str, clause_start: int) -> list[str]:
        """"It is negotiating such agreements with …": the signer of the last signing told."""
        match = _PRONOUN_SUBJECT.match(text, clause_start)
        if not match:
            return []
        noun = match.group(0).split()[-1].lower()
        named = [a for a in self.entities.agencies.values() if a.mentions and
                 noun in a.name.lower().split() and noun not in ("it", "they")]
        if named:  # "The Bureau is negotiating …": the body named so, the most named one
            return [max(named, key=lambda a: len(a.mentions)).key]
        last = next((a for a in reversed(self.result.actions) if a.parties), None)
        return last.parties[:1] if last is not None else []

    def _acronym_object(self, text: str, at: int) -> re.Match | None:
        """"counts with ARM in force with A, B": an acronym the article defined for an
        agreement ("Mutual Recognition Arrangement (ARM)") as the head of the list's object."""
        names = sorted((a for a in self.acronyms if a.isupper()), key=len, reverse=True)
        if not names:
            return None
        return re.compile(r"(?P<title>(?P<head>" + "|".join(re.escape(a) for a in names) +
                          r")s?(?:\s+(?:already\s+|currently\s+)?in\s+force)?)\s+with\s+"
                          r"(?:the\s+)?").match(text, at)

    def _shared_subject(self, text: str, at: int) -> list[str]:
        """"X signed …, and is negotiating one with Y": the subject of the verb before."""
        if not re.search(r"(?i),?\s+(?:and|but)\s+(?:is|are|has|have|was|were|will)\s+$",
                         text[max(0, at - 20):at]):
            return []
        last = next((a for a in reversed(self.result.actions) if a.parties), None)
        return last.parties[:1] if last is not None else []

    def _such(self, title: str, head: str) -> Agreement | None:
        """The agreement named before that "such agreements" / "similar MoUs" / "one" are of:
        the last one with the same head noun (for "one", the last one)."""
        if head.lower() == "one":
            return next((self.result.agreements[k] for k in reversed(self.order)
                         if k in self.result.agreements), None)
        if head in self.acronyms and self.acronyms[head] in self.result.agreements:
            return self.result.agreements[self.acronyms[head]]  # "ARM": the one it names
        if not re.match(r"(?i)(?:such|similar)\b", title) and not re.search(
                r"(?i)\bof\s+the\s+same\s+(?:type|kind|nature)\b", title):
            return None
        cls = _head_class(_singular(head, head))
        return next((self.result.agreements[k] for k in reversed(self.order)
                     if k in self.result.agreements and
                     cls in self.result.agreements[k].heads), None)

    def _one_per_member(self, sentence: Sentence, named: list[tuple[AgreementMention, str]],
                        title: str, head: str, t_start: int, t_end: int, subject: list[str],
                        members: list[str], like: Agreement | None = None) -> list[str]:
        """The agreements of a listed signing: the one the mention names (if any) with the
        first member, new ones with the others."""
        keys: list[str] = []
        if named:
            mention, key = named[0]
            base = self.result.agreements[key]
            base.parties = subject + [members[0]]
            base.title_parties = False
            keys.append(key)
        else:
            one = _singular(title, head)
            mention = AgreementMention(t_start, t_end, one, head, sentence.index)
            base = None
        for member in members[len(keys):]:
            key = f"agreement-{len(self.order) + 1}"
            if like is not None:
                agreement = Agreement(key=key, title=like.title, kind=like.kind,
                                      heads=set(like.heads), head_phrase=like.head_phrase,
                                      marked_new=True)
            elif base is not None:
                agreement = Agreement(key=key, title=base.title, kind=base.kind,
                                      heads=set(base.heads), aliases=list(base.aliases),
                                      acronyms=set(), head_phrase=base.head_phrase,
                                      marked_new=True)
            else:
                agreement = Agreement(key=key, title=mention.title,
                                      kind=_kind(head, mention.title),
                                      heads={_head_class(_singular(head, head))},
                                      head_phrase=_head_phrase(_singular(head, head)),
                                      marked_new=True)
            agreement.parties = subject + [member]
            agreement.mentions.append(mention)
            self.result.agreements[key] = agreement
            self.order.append(key)
            self.result.spans.setdefault(sentence.index, []).append((t_start, t_end, key))
            keys.append(key)
        return keys
