"""The files loaded into a store, as the provenance record each file's graph holds."""

from __future__ import annotations

from dataclasses import dataclass

from graph.store import GraphStore

LOADED_FILES_QUERY = """
SELECT ?g ?path ?hash ?format ?triples ?time ?loader WHERE {
  GRAPH ?g { ?g a ckg:LoadedFile ; ckg:path ?path ; ckg:contentHash ?hash ;
                prov:generatedAtTime ?time .
             OPTIONAL { ?g ckg:format ?format } OPTIONAL { ?g ckg:tripleCount ?triples }
             OPTIONAL { ?g prov:wasAttributedTo ?loader } }
}
"""


@dataclass
class SourceInfo:
    """A file loaded into the store: its graph and provenance."""

    path: str
    graph: str
    hash: str
    format: str
    triples: int
    loaded_at: str
    loader: str = ""


def loaded_sources(store: GraphStore) -> list[SourceInfo]:
    """Every loaded file, oldest load first."""
    rows = store.select(LOADED_FILES_QUERY)
    sources = [SourceInfo(
        path=r["path"].value, graph=r["g"].value, hash=r["hash"].value,
        format=r["format"].value if "format" in r else "",
        triples=int(r["triples"].value) if "triples" in r else 0,
        loaded_at=r["time"].value,
        loader=r["loader"].value.rsplit("/", 1)[-1] if "loader" in r else "",
    ) for r in rows]
    return sorted(sources, key=lambda s: (s.loaded_at, s.path))
