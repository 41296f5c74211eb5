"""What an extracted record's evidence quotes of its sentence."""

from __future__ import annotations

# The longest sentence an evidence quotes whole (characters). Real articles' sentences stay well
# under it; a longer one (a page with no full stops) is quoted in part, with its whole span, so
# that records do not each repeat a page of text (output quadratic in the sentence's length).
EVIDENCE_SENTENCE_MAX = 1000


def quoted_sentence(text: str) -> str:
    """The sentence an evidence quotes: whole, or its first ``EVIDENCE_SENTENCE_MAX``
    characters and " …" when longer (the span still gives all of it)."""
    if len(text) <= EVIDENCE_SENTENCE_MAX:
        return text
    return text[:EVIDENCE_SENTENCE_MAX].rstrip() + " …"
