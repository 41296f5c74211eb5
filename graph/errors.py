"""The exceptions customs-kg raises: one base class, a few meaningful subclasses."""

from __future__ import annotations


class CustomsKGError(Exception):
    """Base class of every error customs-kg reports to a user."""


class UsageProblem(CustomsKGError):
    """A question asked wrongly (the same entity named twice, options that exclude each
    other): the command line reports it as a usage error, exit code 2."""


class OutputError(CustomsKGError):
    """An answer cannot be written where it was asked to go."""


class RecordError(CustomsKGError):
    """A record in an input file is wrong: names the file, the record and the field."""

    def __init__(
        self, message: str, *, file: str | None = None, record: str | None = None,
        field: str | None = None,
    ) -> None:
        self.file, self.record, self.field, self.reason = file, record, field, message
        where = ", ".join(
            part for part in (
                file,
                f"record {record}" if record else None,
                f"field '{field}'" if field else None,
            ) if part
        )
        super().__init__(f"{where}: {message}" if where else message)


class SourceError(CustomsKGError):
    """A whole input file cannot be read or parsed (malformed YAML, bad RDF syntax, …)."""


class EntityNotFound(CustomsKGError):
    """A name matches no entity in the graph."""

    def __init__(self, name: str, suggestions: list[str] | None = None) -> None:
        self.name, self.suggestions = name, suggestions or []
        message = f"no entity '{name}'"
        if self.suggestions:
            message += " — did you mean " + " or ".join(self.suggestions) + "?"
        super().__init__(message)


class StoreError(CustomsKGError):
    """The store cannot be opened, read or written."""


class StoreLocked(StoreError):
    """Another process holds the store."""


class QueryError(CustomsKGError):
    """A SPARQL query is malformed or fails."""


class MirrorError(CustomsKGError):
    """The Neo4j mirror cannot be reached, logged into or written: one line saying which."""
