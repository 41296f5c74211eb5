"""News articles to records: read an article, find what it states, measure how well."""

from loaders.articles.extract import (
    EXTRACTOR_VERSION,
    extract,
    extract_article,
    extract_file,
    extract_files,
    strip_evidence,
    write_records_files,
)

__all__ = ["EXTRACTOR_VERSION", "extract", "extract_article", "extract_file", "extract_files",
           "strip_evidence", "write_records_files"]
