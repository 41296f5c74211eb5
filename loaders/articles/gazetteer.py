"""The names the extractor knows: the agencies and unions of the reference gazetteer, country
names, aliases and demonyms, and ISO subdivisions (to place a regional body in its country)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
import yaml
from rapidfuzz import fuzz, process

from graph.names import normalise_name
from loaders.reference_data import (
    country_records,
    demonyms,
    read_reference_document,
)

# Combining forms of country names in compounds ("Sino-Russian").
COMBINING_FORMS = {"sino": "CN", "russo": "RU", "franco": "FR", "italo": "IT"}
# Capitals that news use for their governments ("Moscow and Beijing signed …"); read as
# countries only in that use (see entities.py), never as the place of an event.
CAPITALS = {
    "moscow": "RU", "beijing": "CN", "washington": "US", "london": "GB", "paris": "FR",
    "berlin": "DE", "tokyo": "JP", "seoul": "KR", "new delhi": "IN", "astana": "KZ",
    "tashkent": "UZ", "bishkek": "KG", "dushanbe": "TJ", "minsk": "BY", "yerevan": "AM",
    "baku": "AZ", "tbilisi": "GE", "kyiv": "UA", "kiev": "UA", "ankara": "TR",
    "tehran": "IR", "hanoi": "VN", "vientiane": "LA", "phnom penh": "KH", "bangkok": "TH",
    "jakarta": "ID", "kuala lumpur": "MY", "manila": "PH", "canberra": "AU",
    "wellington": "NZ", "ottawa": "CA", "mexico city": "MX", "brasilia": "BR",
    "buenos aires": "AR", "santiago": "CL", "bogota": "CO", "lima": "PE", "brussels": "BE",
    "the hague": "NL", "rome": "IT", "madrid": "ES", "lisbon": "PT", "warsaw": "PL",
    "prague": "CZ", "vienna": "AT", "budapest": "HU", "bucharest": "RO", "sofia": "BG",
    "belgrade": "RS", "athens": "GR", "helsinki": "FI", "stockholm": "SE", "oslo": "NO",
    "copenhagen": "DK", "tallinn": "EE", "riga": "LV", "vilnius": "LT", "cairo": "EG",
    "rabat": "MA", "algiers": "DZ", "tunis": "TN", "abuja": "NG", "accra": "GH",
    "nairobi": "KE", "pretoria": "ZA", "addis ababa": "ET", "riyadh": "SA",
    "abu dhabi": "AE", "doha": "QA", "islamabad": "PK", "dhaka": "BD", "colombo": "LK",
    "ulaanbaatar": "MN", "pyongyang": "KP", "taipei": "TW", "singapore": "SG",
    "havana": "CU", "caracas": "VE", "ashgabat": "TM", "chisinau": "MD",
}
_SUBDIVISION_WORDS = re.compile(
    r"\b(respublika|republic|oblast|oblast'|kray|krai|avtonomnyy okrug|province|region|state|"
    r"prefecture|county|governorate|autonomous|municipality|city)\b")


@dataclass
class KnownBody:
    """An agency, union or international organisation of the reference data."""

    key: str
    name: str
    kind: str  # agency | union | international
    agency_kind: str | None = None  # customs, regional-customs, ministry, agency, …
    country: str | None = None
    national: bool = False
    parent: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass
class Gazetteer:
    """Normalised names to reference entities, and what the fuzzy matcher compares with."""

    bodies: dict[str, KnownBody]
    body_names: dict[str, list[str]]  # normalised name -> body keys
    acronyms: dict[str, list[str]]  # acronym as written -> body keys
    countries: dict[str, str]  # normalised country name or alias -> alpha-2
    country_names: dict[str, str]  # alpha-2 -> display name
    demonyms: dict[str, str]  # normalised demonym -> alpha-2
    national_customs: dict[str, str]  # alpha-2 -> body key
    subdivisions: dict[str, str]  # normalised subdivision name -> alpha-2
    max_tokens: int = 12
    prefixes: set[str] = field(default_factory=set)  # every leading run of words of a name

    def __post_init__(self) -> None:
        possessives = [key + "s" for key in self.countries]  # "Korea's" reads "koreas"
        for key in [*self.body_names, *self.countries, *self.demonyms, *possessives]:
            words = key.split()
            for n in range(1, len(words) + 1):
                self.prefixes.add(" ".join(words[:n]))

    def fuzzy_body(self, text: str, cutoff: float = 90.0) -> str | None:
        """The body whose name is closest to ``text`` (a garbled or misspelt name), if any."""
        key = normalise_name(text)
        if len(key) < 8:
            return None
        match = process.extractOne(key, list(self.body_names), scorer=fuzz.ratio,
                                   score_cutoff=cutoff)
        return self.body_names[match[0]][0] if match else None

    def subdivision_country(self, text: str) -> str | None:
        """The country of a region named ``text`` ("Republic of Karelia" -> RU), if known."""
        key = _SUBDIVISION_WORDS.sub(" ", normalise_name(text))
        key = " ".join(w for w in key.split() if w not in {"of", "the"})
        if len(key) < 4:
            return None
        if key in self.subdivisions:
            return self.subdivisions[key]
        match = process.extractOne(key, list(self.subdivisions), scorer=fuzz.ratio,
                                   score_cutoff=88)
        return self.subdivisions[match[0]] if match else None


def _is_acronym(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z&]{1,7}", name))


BODIES = Path(__file__).with_name("bodies.yaml")


def _add_listed_bodies(bodies: dict[str, KnownBody]) -> None:
    """The blocs and international bodies of ``bodies.yaml`` the reference data lacks (the
    reference data wins where both name one)."""
    known = {normalise_name(n) for b in bodies.values() for n in [b.name, *b.aliases]}
    for record in yaml.safe_load(BODIES.read_text(encoding="utf-8")).get("bodies") or []:
        names = [record["name"], *(record.get("aliases") or [])]
        if record["id"] in bodies or any(normalise_name(n) in known for n in names):
            continue
        kind = record.get("kind") or "union"
        bodies[record["id"]] = KnownBody(key=record["id"], name=record["name"], kind=kind,
                                         agency_kind=kind, aliases=list(names[1:]))


@functools.cache
def gazetteer() -> Gazetteer:
    """The gazetteer built from the reference data shipped with customs-kg (cached)."""
    bodies: dict[str, KnownBody] = {}
    for document, section in (("unions", "unions"), ("agencies", "agencies")):
        for record in read_reference_document(document).get(section) or []:
            kind = "agency"
            if section == "unions":
                kind = "union" if (record.get("kind") or "union") == "union" else "international"
            key = record.get("id") or normalise_name(record["name"])
            bodies[key] = KnownBody(
                key=key, name=record["name"], kind=kind,
                agency_kind=record.get("kind") if section == "agencies" else kind,
                country=record.get("country"), national=bool(record.get("national")),
                parent=record.get("parent"), aliases=list(record.get("aliases") or []))
    _add_listed_bodies(bodies)
    body_names: dict[str, list[str]] = {}
    acronyms: dict[str, list[str]] = {}
    national: dict[str, str] = {}
    for body in bodies.values():
        if body.national and body.country:
            national[body.country] = body.key
        for name in [body.name, *body.aliases]:
            if _is_acronym(name):
                acronyms.setdefault(name, []).append(body.key)
                continue
            norm = normalise_name(name)
            if norm and body.key not in body_names.setdefault(norm, []):
                body_names[norm].append(body.key)
    countries: dict[str, str] = {}
    names: dict[str, str] = {}
    for record in country_records():
        names[record["code"]] = record["name"]
        for label in [record["name"], *record["aliases"]]:
            if label == record.get("alpha3"):
                continue
            countries.setdefault(normalise_name(label), record["code"])
    demonym_index = {normalise_name(d): code for d, code in demonyms().items()}
    subdivisions: dict[str, str] = {}
    for sub in pycountry.subdivisions:
        key = _SUBDIVISION_WORDS.sub(" ", normalise_name(sub.name.split(",")[0]))
        key = " ".join(key.split())
        if len(key) >= 4:
            subdivisions.setdefault(key, sub.country_code)
    return Gazetteer(bodies=bodies, body_names=body_names, acronyms=acronyms,
                     countries=countries, country_names=names, demonyms=demonym_index,
                     national_customs=national, subdivisions=subdivisions)
