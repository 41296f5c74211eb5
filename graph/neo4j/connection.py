"""The connection to a Neo4j server (or any Bolt server the mirror can write to, such as
ArcadeDB): where it is (``Neo4jSettings``), connecting (``connect``), and driver and server
errors as one-line ``MirrorError`` messages (``translated_errors``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import neo4j
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConfigurationError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
)

from graph.errors import MirrorError

URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


@dataclass(frozen=True)
class Neo4jSettings:
    """Where the mirror is: a Bolt URI, a login and a database."""

    uri: str = "bolt://localhost:7687"
    user: str = "neo4j"
    password: str = ""
    database: str = "neo4j"


def _reason(err: Exception) -> str:
    """The useful end of a driver message, on one line."""
    text = " ".join(str(err).split())
    errno = re.findall(r"\[Errno -?\d+\] ([^)\]]+)", text)
    if errno:
        return errno[-1].strip().rstrip(".")
    message = getattr(err, "message", None)
    if message:
        text = " ".join(str(message).split())
    return text if len(text) <= 200 else text[:197] + "…"


@contextmanager
def translated_errors(settings: Neo4jSettings, doing: str) -> Iterator[None]:
    """Driver and server errors as one-line :class:`MirrorError` messages."""
    try:
        yield
    except AuthError as err:
        raise MirrorError(f"Neo4j at {settings.uri} refused the login of '{settings.user}': "
                          f"wrong user name or password") from err
    except ServiceUnavailable as err:
        raise MirrorError(f"cannot reach Neo4j at {settings.uri}: {_reason(err)}") from err
    except ClientError as err:
        if (err.code or "").endswith("DatabaseNotFound"):
            raise MirrorError(f"Neo4j at {settings.uri} has no database "
                              f"'{settings.database}'") from err
        raise MirrorError(f"Neo4j refused {doing}: {_reason(err)}") from err
    except (Neo4jError, DriverError) as err:
        raise MirrorError(f"Neo4j failed {doing}: {_reason(err)}") from err


def connect(settings: Neo4jSettings) -> neo4j.Driver:
    """A driver for ``settings``, once the server has answered a query in the database."""
    scheme = settings.uri.split("://", 1)[0].lower() if "://" in settings.uri else ""
    if scheme not in URI_SCHEMES:
        raise MirrorError(f"'{settings.uri}' is not a Bolt URI: use bolt://HOST:7687 or "
                          f"neo4j://HOST:7687 (or {', '.join(URI_SCHEMES[1:3])}, …)")
    try:
        driver = neo4j.GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password),
                                            connection_timeout=15)
    except (ConfigurationError, ValueError) as err:
        raise MirrorError(f"'{settings.uri}' is not a usable Bolt URI: {_reason(err)}") from err
    try:
        with translated_errors(settings, "the connection"):
            driver.verify_connectivity()
            # Auto-commit, so a missing database is reported at once and not retried.
            with driver.session(database=settings.database) as session:
                session.run("RETURN 1").consume()
    except BaseException:
        driver.close()
        raise
    return driver
