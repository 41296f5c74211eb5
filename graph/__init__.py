"""The knowledge graph: stores, loading, queries."""
