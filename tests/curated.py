"""The IRIs and file names of the curated dataset (``data/``) that the tests ask about."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
ESTABLISHED = "established-facts.yaml"
SEED_000 = "seed-000-siberian-customs-2019.yaml"
SEED_003 = "seed-003-vietnam-russia-talks.yaml"
SEEDS = [DATA / name for name in (ESTABLISHED, SEED_000, SEED_003)]
"""The curated files the tests ask about: the established facts and the two seeds (``data/``
also holds the sourced dataset of agreements, which grows; tests of it are in
test_dataset.py)."""


ALIAS_FILE = """\
source: {id: alias-note, title: A note naming the Mongolian customs by an acronym}
agencies:
  - {name: Customs General Administration of Mongolia, country: MN, kind: customs,
     aliases: [CGAM-test]}
"""
"""A records file of one line that adds an alias to a curated agency: the smallest load that
changes what names resolve to."""


def copy_seeds(target: Path) -> Path:
    """``target`` (made if missing) holding copies of the seed files, as a project's
    ``data/`` folder would."""
    target.mkdir(parents=True, exist_ok=True)
    for path in SEEDS:
        shutil.copy2(path, target / path.name)
    return target

ID = "https://w3id.org/customs-kg/id/"
CKG = "https://w3id.org/customs-kg/ontology#"

RU, VN, MN, CN, KR, KZ, CU, AM, BY, KG = (
    ID + f"country/{c}" for c in ("RU", "VN", "MN", "CN", "KR", "KZ", "CU", "AM", "BY", "KG"))
EAEU = ID + "union/eaeu"

FCS, SIBERIAN, NOVOSIBIRSK = (ID + f"agency/ru-{a}" for a in (
    "fcs", "siberian-customs-directorate", "novosibirsk-customs"))
GDVC = ID + "agency/vn-gdvc"
GACC, SHANGHAI = ID + "agency/cn-gacc", ID + "agency/cn-shanghai-customs"
MCGA, MN_FAR_EAST = ID + "agency/mn-customs", ID + "agency/mn-far-eastern-customs-administration"
KCS, KZ_SRC = ID + "agency/kr-kcs", ID + "agency/kz-src"

AGREEMENT_2010 = ID + "agreement/vn-ru-customs-assistance-2010"
FTA = ID + "agreement/vn-eaeu-fta"
JOINT_PLAN = ID + "agreement/vn-ru-joint-plan-2019-2023"
MINUTES = ID + "agreement/vn-ru-working-minutes-2019"
TALKS = ID + "event/vn-ru-talks-2019-09-09"
DATA_CHANNEL = ID + "event/vn-ru-data-channel-phase-2-2019"
VN_RU_ANSWERS = {AGREEMENT_2010, FTA, JOINT_PLAN, MINUTES, TALKS, DATA_CHANNEL}
STAFF_TRAINING = ID + "topic/staff-training"

# Seed 000: the Siberian Customs Directorate's 2019.
EVENT_2019 = ID + "event/stu-2019-"
MEETINGS_9, MEETINGS_CHINA = EVENT_2019 + "foreign-customs-meetings", EVENT_2019 + "meetings-china"
MEETINGS_MONGOLIA, FORUMS = EVENT_2019 + "meetings-mongolia", EVENT_2019 + "forums"
MONGOLIA_MEETING = EVENT_2019 + "meeting-mongolia-border"
SHANGHAI_MEETING = EVENT_2019 + "meeting-shanghai-customs"
PLANNED_2020 = ID + "event/stu-2020-planned-cooperation"
SIBERIAN_2019 = {EVENT_2019 + name for name in (
    "international-events", "foreign-customs-meetings", "meetings-china", "meetings-mongolia",
    "meeting-korea", "meeting-kazakhstan", "forums", "meeting-mongolia-border",
    "meeting-shanghai-customs")}
