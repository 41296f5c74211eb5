"""The ``evidence`` field extracted records carry, as a JSON Schema addition to the records
schema: the source document, the span and text of the sentence, the extractor, a confidence.

``customs-kg``'s records schema does not have this field yet; ``records_schema_with_evidence``
is the schema with the proposed addition, so tests can check extracted documents in full.
"""

from __future__ import annotations

import copy
from typing import Any

from loaders.records import records_schema

# The proposed `$defs/evidence` of loaders/records.schema.json.
EVIDENCE_SCHEMA: dict[str, Any] = {
    "title": "Evidence",
    "description": "Where an extracted record comes from: the source document, the "
                   "character span of the sentence in it, the extractor and its confidence.",
    "type": ["object", "null"],
    "additionalProperties": False,
    "required": ["source"],
    "properties": {
        "source": {"title": "Source id", "description": "The id of the source document.",
                   "type": "string", "minLength": 1},
        "span": {"title": "Sentence span",
                 "description": "Start and end offsets (characters) of the sentence in the "
                                "source text.",
                 "type": "array", "items": {"type": "integer", "minimum": 0},
                 "minItems": 2, "maxItems": 2},
        "sentence": {"title": "Sentence", "description": "The sentence itself.",
                     "type": "string"},
        "extractor": {"title": "Extractor", "description": "The extractor and its version.",
                      "type": "string"},
        "confidence": {"title": "Confidence", "description": "0 to 1.", "type": "number",
                       "minimum": 0, "maximum": 1},
    },
}
# Record kinds that carry evidence (country objects too).
EVIDENCE_RECORDS = ("country", "agency", "person", "agreement", "event")


def records_schema_with_evidence() -> dict[str, Any]:
    """The records schema with ``evidence`` allowed on every record kind."""
    schema = copy.deepcopy(records_schema())
    schema["$defs"]["evidence"] = copy.deepcopy(EVIDENCE_SCHEMA)
    for name in EVIDENCE_RECORDS:
        schema["$defs"][name]["properties"]["evidence"] = {"$ref": "#/$defs/evidence"}
    return schema
