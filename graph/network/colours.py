"""The colours of a partner network's communities, the same in the HTML page and in GEXF."""

from __future__ import annotations

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#86bcb6", "#d37295", "#a0cbe8")
OTHER_COLOUR = "#9a9a9a"


def community_colour(community: int) -> str:
    """The colour of community ``community`` (numbered by size, largest first)."""
    return PALETTE[community] if community < len(PALETTE) else OTHER_COLOUR
