"""Name resolution: ISO codes, ids, names, aliases and loose forms ("Vietnamese customs") to
the entities of the graph.

Whose names count. Curated records, reference data and RDF files state names that resolve
anyone's mentions and queries. A source marked as extracted (loaded through the extractor, or
whose records carry an extractor's evidence) states names that are evidence for its own
mentions only: they resolve that source's mentions while it loads (``EntityIndex.within``),
never another source's or a user's, and never become names of a curated or reference entity.
An entity that only extracted sources know is found by its own names in user queries
(``EntityIndex.with_extracted``) after every curated name. Generic phrases ("customs", "the
customs service", "the government") are nobody's name (``GENERIC_NAMES``).

The package: ``text`` (normal forms, generic phrases), ``entities`` (``Entity``, ``Match``
and the errors of names), ``index`` (``EntityIndex`` and its lookups), ``rows`` (entities read
from the cache, made when asked for), ``shards`` (the index's big mappings kept in shards, a
shard read when a key is asked for), ``translations`` (country names in other languages),
``building`` (the index of a store, cached beside it and patched after each load or removal).
"""

from graph.names.building import (
    INDEX_QUERY,
    cached_index,
    extracted_sources,
    index_from_store,
    loading_index,
    patch_index,
    resolve_names,
)
from graph.names.index import (
    ALL_KINDS,
    ORGANISATION_KINDS,
    AmbiguousName,
    Entity,
    EntityIndex,
    GenericName,
    Match,
)
from graph.names.text import GENERIC_NAMES, is_generic_name, normalise_name
from graph.names.translations import country_translations

__all__ = [
    "ALL_KINDS", "GENERIC_NAMES", "INDEX_QUERY", "ORGANISATION_KINDS", "AmbiguousName",
    "Entity", "EntityIndex", "GenericName", "Match", "cached_index", "country_translations",
    "extracted_sources", "index_from_store", "is_generic_name", "loading_index", "normalise_name",
    "patch_index", "resolve_names",
]
