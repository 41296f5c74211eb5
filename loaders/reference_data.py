"""Reference data that ships with customs-kg, as records: countries, unions, a customs gazetteer.

ISO 3166 data comes from pycountry; ``reference/countries.yaml`` adds the names analysts use,
and ``reference/unions.yaml`` and ``reference/agencies.yaml`` are records-format documents.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import pycountry
import yaml

from graph.names import normalise_name

# In load order: unions and agencies refer to countries.
REFERENCE_DOCUMENTS: tuple[str, ...] = ("countries", "unions", "agencies")
_YAML_DOCUMENTS = ("unions", "agencies")
_COUNTRIES_SOURCE = {
    "id": "reference-countries",
    "title": "ISO 3166-1 countries (pycountry) with the names and demonyms analysts use",
    "reliability": "high",
}
# Names analysts and the press use that neither pycountry nor reference/countries.yaml holds:
# abbreviations (RF, SRV, ROC) and a country's own short name where pycountry's catalogues
# translate only its formal name (Russian has "Российская Федерация", not "Россия"). Other
# languages' names resolve through those catalogues in the name index (graph.names), not as
# stored aliases: all of them would make the countries' graph twelve times larger and every
# index build twenty times slower.
EXTRA_COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "RU": ("RF", "Россия", "Росія"),
    "VN": ("SRV",),
    "TW": ("ROC",),
    "KR": ("한국",),
}


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it: the same documents, ten times faster (every load
reads the reference files to see whether they changed)."""


def _read_yaml(filename: str) -> Any:
    resource = resources.files("loaders") / "reference" / filename
    return yaml.load(resource.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)  # noqa: S506


@functools.cache
def _country_extras() -> dict[str, dict[str, Any]]:
    return {str(code): entry or {} for code, entry in _read_yaml("countries.yaml").items()}


def _unique(names: list[str], exclude: str) -> list[str]:
    """Names in order, without repeats or the excluded name (compared normalised)."""
    seen = {normalise_name(exclude)}
    kept = []
    for name in names:
        key = normalise_name(name)
        if key and key not in seen:
            seen.add(key)
            kept.append(name)
    return kept


def country_records() -> list[dict[str, Any]]:
    """One records-format country object per ISO 3166-1 country, with names and demonyms."""
    extras = _country_extras()
    records = []
    for country in pycountry.countries:
        extra = extras.get(country.alpha_2, {})
        common_name = getattr(country, "common_name", None)
        name = extra.get("name") or common_name or country.name
        candidates = [getattr(country, "official_name", None), country.name, common_name,
                      country.alpha_3, *extra.get("aliases", []),
                      *EXTRA_COUNTRY_NAMES.get(country.alpha_2, ())]
        records.append({
            "code": country.alpha_2,
            "alpha3": country.alpha_3,
            "numeric": country.numeric,
            "name": name,
            "aliases": _unique([c for c in candidates if c], exclude=name),
            "demonyms": list(extra.get("demonyms", [])),
        })
    return records


def country_index() -> dict[str, str]:
    """Normalised country name, alias or alpha-3 code -> alpha-2 code."""
    index: dict[str, str] = {}
    for record in country_records():
        for label in [record["name"], *record["aliases"]]:
            index.setdefault(normalise_name(label), record["code"])
    return index


def demonyms() -> dict[str, str]:
    """Lower-cased demonym ("vietnamese") -> alpha-2 code."""
    return {demonym.casefold(): code
            for code, entry in _country_extras().items()
            for demonym in entry.get("demonyms", [])}


def read_reference_document(name: str) -> dict[str, Any]:
    """The records document shipped as ``reference/<name>.yaml`` ("unions" or "agencies")."""
    if name not in _YAML_DOCUMENTS:
        choices = ", ".join(_YAML_DOCUMENTS)
        raise ValueError(f"no reference YAML document {name!r}; choose one of: {choices}")
    document: dict[str, Any] = _read_yaml(f"{name}.yaml")
    return document


def reference_document(name: str) -> dict[str, Any]:
    """The records document ``name``, one of ``REFERENCE_DOCUMENTS``, ready to load."""
    if name == "countries":
        return {"source": dict(_COUNTRIES_SOURCE), "countries": country_records()}
    if name not in REFERENCE_DOCUMENTS:
        choices = ", ".join(REFERENCE_DOCUMENTS)
        raise ValueError(f"no reference document {name!r}; choose one of: {choices}")
    return read_reference_document(name)
