"""The customs-kg ontology (OWL, Turtle), its SHACL shapes and vocabulary helpers."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
ONTOLOGY_PATH = HERE / "customs-kg.ttl"
"""The OWL ontology in Turtle."""
SHAPES_PATH = HERE / "shapes.ttl"
"""The SHACL shapes a valid customs-kg graph conforms to."""
