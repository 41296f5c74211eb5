"""Loaders: records (YAML, JSON, CSV), RDF files and reference data into the knowledge graph."""
