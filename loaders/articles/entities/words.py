"""The words entity recognition knows that more than one pass uses: the heads of organisation
names, posts and their modifiers, connectors, capitalised words that start no name, the nouns
"customs" qualifies as an adjective, compass words."""

from __future__ import annotations

ORG_HEADS = frozenset({
    "customs", "service", "services", "administration", "directorate", "department",
    "committee", "commission", "subcommission", "ministry", "bureau", "agency", "office",
    "authority", "board", "government", "treasury", "bank", "organization", "organisation",
    "union", "council", "inspectorate", "police", "guard", "secretariat", "chamber", "embassy",
    "force", "enforcement", "protection", "revenue", "fund", "excise", "division",
    # bodies that approve and ratify agreements: "the Union Cabinet", "the State Duma"
    "cabinet", "duma", "parliament", "assembly", "senate", "khural", "majlis", "rada", "sejm",
    "bundestag", "storting", "riksdag", "knesset", "seimas", "saeima", "riigikogu",
})
CONNECTORS = frozenset({"of", "for", "and", "the", "on", "&", "de", "du", "des", "between"})
STOP_CAPS = frozenset({
    "the", "a", "an", "this", "that", "these", "those", "in", "on", "at", "for", "and", "but",
    "so", "after", "during", "as", "by", "with", "from", "to", "of", "it", "its", "their",
    "his", "her", "our", "we", "they", "he", "she", "i", "according", "under", "following",
    "before", "since", "while", "when", "also", "additionally", "moreover", "however",
    "meanwhile", "likewise", "through", "some", "every", "each", "both", "all", "among",
    "given", "upon", "further", "within", "between", "there", "here", "photo", "source",
    "deputy", "head", "chief", "minister", "commissioner", "chairman", "director", "member",
    "president", "vice", "ambassador", "secretary", "general", "acting", "senior", "mr", "ms",
    "mrs", "dr", "prime", "financial", "first", "executive", "official", "officer",
})
POST_WORDS = frozenset({
    "commissioner", "minister", "ambassador", "director", "director-general", "head", "chief",
    "chairman", "chairwoman", "chair", "chairperson", "president", "secretary", "member",
    "officer", "official", "governor", "premier", "counsellor", "consul", "adviser",
    "advisor", "spokesperson", "spokesman", "representative", "administrator", "commander",
    "superintendent", "inspector", "envoy", "delegate", "mayor", "undersecretary",
    "counterpart", "leader", "attaché", "attache", "comptroller", "comptroller-general",
})
POST_MODIFIERS = frozenset({"deputy", "vice", "acting", "first", "senior", "general",
                             "assistant", "executive", "prime", "financial", "chief", "special",
                             "principal", "permanent", "foreign", "finance", "trade"})
# Nouns "customs" qualifies when it is an adjective ("customs clearance"), not an agency.
CUSTOMS_COMPOUNDS = frozenset({
    "clearance", "control", "controls", "procedure", "procedures", "operation", "operations",
    "officer", "officers", "official", "officials", "duty", "duties", "matters", "affairs",
    "cooperation", "co-operation", "regime", "value", "declaration", "declarations", "union",
    "territory", "code", "statistics", "payments", "violations", "management", "check",
    "checks", "inspection", "inspections", "data", "information", "legislation", "law",
    "laws", "post", "posts", "point", "points", "border", "borders", "formalities", "fraud",
    "offences", "offenses", "issues", "sphere", "field", "house", "broker", "brokers",
    "warehouse", "tariff", "tariffs", "system", "systems", "modernization", "modernisation",
    "integrity", "risk", "enforcement", "capacity", "reform", "practices", "work", "staff",
    "bodies", "body", "agreement", "agreements", "administrations", "experts", "expert",
    "personnel", "regulations", "rules", "requirements", "processes", "process", "purposes",
    "transit", "zone", "zones", "area", "areas", "revenue", "revenues", "collection",
    "valuation", "classification", "audit", "audits", "seizures", "seizure", "payment",
    "authorities'", "activities", "activity", "sector", "community", "brokerage", "facilities",
    "facility", "administration's", "terminal", "terminals", "laboratory", "technologies",
    "technology", "service's", "and",
})
COMPASS = frozenset({"far", "north", "south", "east", "west", "northern", "southern",
                      "eastern", "western", "central", "north-western", "north-eastern",
                      "south-western", "south-eastern", "northwestern", "southeastern"})
# Words that make a demonym a region's ("Central American", "Latin American"): no country
REGION_WORDS = frozenset({"central", "latin", "south", "north", "southeast", "meso", "pan",
                          "inter"})
