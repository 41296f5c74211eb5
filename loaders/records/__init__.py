"""Records (YAML, JSON, CSV) to RDF: parse a document, check every field, resolve references,
and build the quads of one named graph.

Modules: ``documents`` (parse, read and write records documents; a record's fields),
``schema`` (the JSON Schema check), ``identity`` (IRIs of declared and referred entities),
``quads`` (the quads of a document). The names below are the package's interface."""

from loaders.records.documents import (
    RECORD_SUFFIXES,
    SECTIONS,
    format_records,
    parse_record_documents,
    parse_records,
    read_record_documents,
    read_records,
)
from loaders.records.identity import extractor_agent, n, slugify
from loaders.records.quads import RecordsConverter
from loaders.records.schema import check_schema, records_schema

__all__ = ["RECORD_SUFFIXES", "SECTIONS", "RecordsConverter", "check_schema", "extractor_agent",
           "format_records", "n", "parse_record_documents", "parse_records",
           "read_record_documents", "read_records", "records_schema", "slugify"]
