"""Country names in other languages, from pycountry's gettext catalogues."""

from __future__ import annotations

import gettext
import marshal
import os
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from graph.names.text import GENERIC_NAMES, normalise_name
from graph.store.cache import named_file, write_cache_file

# -- country names in other languages --------------------------------------------------------
TRANSLATIONS_VERSION = 1


def _locales_dir() -> Path | None:
    """pycountry's gettext catalogues, found without importing pycountry (slow to import)."""
    spec = find_spec("pycountry")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "locales"
    return folder if folder.is_dir() else None


def country_translations(folder: Path | None = None) -> dict[str, str]:
    """Every country's name in the languages of pycountry's ``iso3166-1`` catalogues,
    normalised, -> its ISO alpha-2 code; a translation two countries share is left out. Read
    once a process; with ``folder`` (a store's cache folder), kept there between runs."""
    locales = _locales_dir()
    if locales is None:
        return {}
    key = (str(locales), locales.stat().st_mtime_ns)
    if folder is not None:
        path = named_file(folder, "country-translations", TRANSLATIONS_VERSION, key)
        found = _READ.get(path)
        if found is not None:
            return found
        try:
            table = marshal.loads(path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            table = _read_translations(locales)
            write_cache_file(path, table)
        _READ[path] = table
        return table
    return _read_translations(locales)


_READ: dict[Path, dict[str, str]] = {}
"""The tables read from a cache folder in this process (a load resolving many names asked for
it once a name, unmarshalling 1 MB each time)."""


@cache
def _read_translations(locales: Path) -> dict[str, str]:
    import pycountry  # only when a name is not found otherwise (60 ms to import)

    english: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                english[value] = country.alpha_2
    table: dict[str, str] = {}
    shared: set[str] = set()
    for language in sorted(os.listdir(locales)):
        catalogue = locales / language / "LC_MESSAGES" / "iso3166-1.mo"
        if not catalogue.is_file():
            continue
        with catalogue.open("rb") as file:
            messages = gettext.GNUTranslations(file)._catalog  # type: ignore[attr-defined]
        for msgid, text in messages.items():
            code = english.get(msgid) if isinstance(msgid, str) else None
            if code is None or not isinstance(text, str):
                continue
            normal = normalise_name(text)
            if not normal or normal in GENERIC_NAMES:
                continue
            if table.setdefault(normal, code) != code:
                shared.add(normal)
    for normal in shared:
        del table[normal]
    return table


