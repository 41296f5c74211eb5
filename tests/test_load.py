"""Loading files: one named graph per file with its provenance, reloads and removal, the gold
corpus, entities merged across files, RDF and CSV inputs, partial dates, all-or-nothing loads
and the repair of what a crashed load leaves behind."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import textwrap
import uuid
import warnings
from pathlib import Path

import pytest
import yaml
from curated import SEEDS
from needs import CORPUS, corpus_files
from pyoxigraph import Literal, NamedNode, Quad
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib import Literal as RdfLiteral

from cli import cli
from graph.errors import CustomsKGError, RecordError, SourceError, StoreError
from graph.store import OxigraphStore
from graph.store.loaded import loaded_sources
from loaders.load import load_paths, remove_source, repair
from ontology.vocab import GRAPH, ID, PROV, XSD

ROOT = Path(__file__).resolve().parents[1]
GOLD_FILES = sorted((CORPUS / "gold").glob("*.yaml"))
EX = Namespace("http://example.org/")

REPORT_A = """\
    source: {id: report-a, title: Report A, reliability: high}
    countries: [RU, VN]
    agencies:
      - {name: FCS of Russia, country: RU}
    events:
      - id: talks-a
        kind: talks
        date: "2019-05"
        participants: [FCS of Russia, General Department of Vietnam Customs]
    """
REPORT_B = """\
    source: {id: report-b, title: Report B}
    agencies:
      - {name: Federal Customs Service of Russia, country: RU}
    agreements:
      - id: plan-b
        title: Plan B
        kind: cooperation-plan
        parties: [Federal Customs Service of Russia, VN]
        signed: "2019"
    """


def iri(path: str) -> NamedNode:
    return NamedNode(str(ID[path]))


def ex(name: str) -> NamedNode:
    return NamedNode(str(EX[name]))


def local(node: NamedNode) -> str:
    """The last part of an IRI (after its '#' or last '/')."""
    return node.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def source_of(store, path: Path):
    """The one loaded source of ``path``."""
    found = [s for s in loaded_sources(store) if s.path == str(path.resolve())]
    assert len(found) == 1, [s.path for s in loaded_sources(store)]
    return found[0]


def all_quads(store) -> set[Quad]:
    return set(store.quads())


def graph_quads(store, graph: str) -> list[Quad]:
    return list(store.quads(NamedNode(graph)))


def mentions(store, node: NamedNode) -> int:
    """How many quads anywhere have ``node`` as subject or object."""
    return sum(1 for q in store.quads() if node in (q.subject, q.object))


def values(store, query: str, **bindings: NamedNode) -> list[str]:
    """The distinct values of ``?x``, sorted."""
    return sorted({row["x"].value for row in store.select(query, bindings)})


# -- one named graph per file, with its provenance ------------------------------------------------
def test_each_file_is_its_own_named_graph_with_path_hash_time_and_triple_count(
        memory_store, tmp_path):
    a = write(tmp_path / "a.yaml", REPORT_A)
    b = write(tmp_path / "b.yaml", REPORT_B)
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    results = load_paths(memory_store, [a, b])
    after = dt.datetime.now(dt.timezone.utc)

    assert [r.status for r in results if not r.path.startswith("reference:")] == \
        ["loaded", "loaded"]
    sources = {Path(s.path).name: s for s in loaded_sources(memory_store)
               if not s.path.startswith("reference:")}
    assert set(sources) == {"a.yaml", "b.yaml"}
    assert sources["a.yaml"].graph != sources["b.yaml"].graph
    graphs = {g.value for g in memory_store.named_graphs()}
    for path in (a, b):
        source = sources[path.name]
        assert source.path == str(path.resolve())
        assert source.hash == hashlib.sha256(path.read_bytes()).hexdigest()
        assert source.format == "yaml"
        assert source.loader == "records"
        assert source.graph in graphs
        assert source.graph.startswith(str(GRAPH) + "file/")
        assert before <= dt.datetime.fromisoformat(source.loaded_at) <= after
        # The triple count is the file's own statements: the graph less its LoadedFile record.
        quads = graph_quads(memory_store, source.graph)
        own = [q for q in quads if q.subject != NamedNode(source.graph)]
        assert source.triples == len(own) > 0
        assert next(r for r in results if r.graph == source.graph).triples == source.triples

    # The same facts, read from the LoadedFile record itself with SPARQL.
    rows = memory_store.select("""
        SELECT ?g ?path ?hash ?format ?n ?time ?loader ?doc WHERE {
          GRAPH ?g { ?g a ckg:LoadedFile, prov:Entity ; ckg:path ?path ; ckg:contentHash ?hash ;
                        ckg:format ?format ; ckg:tripleCount ?n ; prov:generatedAtTime ?time ;
                        prov:wasAttributedTo ?loader ; prov:wasDerivedFrom ?doc }
          FILTER(!STRSTARTS(?path, "reference:"))
        }""")
    by_path = {row["path"].value: row for row in rows}
    assert set(by_path) == {str(a.resolve()), str(b.resolve())}
    for path, doc in ((a, "source/report-a"), (b, "source/report-b")):
        row = by_path[str(path.resolve())]
        source = sources[path.name]
        assert row["g"].value == source.graph
        assert row["hash"].value == source.hash
        assert row["format"].value == "yaml"
        assert row["n"] == Literal(str(source.triples), datatype=NamedNode(str(XSD.integer)))
        assert row["time"].datatype == NamedNode(str(XSD.dateTime))
        assert row["time"].value == source.loaded_at
        assert row["loader"] == iri("loader/records")
        assert row["doc"] == iri(doc)

    # Each file's statements are in its graph and only there.
    graph_of = memory_store.select(
        "SELECT ?g WHERE { GRAPH ?g { ?e a ckg:Talks } }", {"e": iri("event/talks-a")})
    assert [r["g"].value for r in graph_of] == [sources["a.yaml"].graph]
    graph_of = memory_store.select(
        "SELECT ?g WHERE { GRAPH ?g { ?e a ckg:CooperationPlan } }", {"e": iri("agreement/plan-b")})
    assert [r["g"].value for r in graph_of] == [sources["b.yaml"].graph]


def test_reference_data_is_loaded_as_reference_sources(memory_store, tmp_path):
    load_paths(memory_store, [write(tmp_path / "a.yaml", REPORT_A)])
    reference = {s.path: s for s in loaded_sources(memory_store)
                 if s.path.startswith("reference:")}
    assert set(reference) == {"reference:countries", "reference:unions", "reference:agencies"}
    assert all(s.loader == "reference" and s.triples > 0 for s in reference.values())
    assert len({s.graph for s in reference.values()}) == 3


def test_loading_an_unchanged_file_again_is_a_no_op(memory_store, tmp_path):
    a = write(tmp_path / "a.yaml", REPORT_A)
    load_paths(memory_store, [a])
    first = source_of(memory_store, a)
    quads = all_quads(memory_store)
    sources = loaded_sources(memory_store)

    a.write_bytes(a.read_bytes())  # rewritten: a new mtime, the same content
    results = load_paths(memory_store, [a])

    assert [(r.status, r.graph, r.triples) for r in results] == \
        [("unchanged", first.graph, first.triples)]
    again = source_of(memory_store, a)
    assert (again.graph, again.loaded_at, again.hash) == \
        (first.graph, first.loaded_at, first.hash)
    assert loaded_sources(memory_store) == sources
    assert all_quads(memory_store) == quads


def test_loading_a_changed_file_replaces_its_graph(memory_store, tmp_path):
    a = write(tmp_path / "a.yaml", REPORT_A)
    load_paths(memory_store, [a])
    old = source_of(memory_store, a)
    write(a, REPORT_A.replace("talks-a", "talks-a-revised").replace('"2019-05"', '"2019-06"'))

    results = load_paths(memory_store, [a])

    assert [r.status for r in results] == ["replaced"]
    new = source_of(memory_store, a)  # still one source for the file
    assert new.graph != old.graph
    assert new.hash == hashlib.sha256(a.read_bytes()).hexdigest() != old.hash
    assert results[0].graph == new.graph
    assert NamedNode(old.graph) not in memory_store.named_graphs()
    assert graph_quads(memory_store, old.graph) == []
    assert mentions(memory_store, iri("event/talks-a")) == 0
    assert not memory_store.ask("ASK { ?e schema:startDate ?d FILTER(STR(?d) = '2019-05') }")
    rows = memory_store.select("SELECT ?g ?d WHERE { GRAPH ?g { ?e schema:startDate ?d } }",
                               {"e": iri("event/talks-a-revised")})
    assert [(r["g"].value, r["d"].value) for r in rows] == [(new.graph, "2019-06")]
    # The agency the file named is still there (it is the reference data's).
    assert memory_store.ask("ASK { ?e prov:wasDerivedFrom ?doc }",
                            {"e": iri("agency/ru-fcs"), "doc": iri("source/report-a")})


def test_remove_source_drops_the_files_graph(memory_store, tmp_path):
    a = write(tmp_path / "a.yaml", REPORT_A)
    b = write(tmp_path / "b.yaml", REPORT_B)
    load_paths(memory_store, [a, b])
    source_a, source_b = source_of(memory_store, a), source_of(memory_store, b)
    quads_b = set(graph_quads(memory_store, source_b.graph))

    removed = remove_source(memory_store, "a.yaml")

    assert removed == source_a
    assert str(a.resolve()) not in {s.path for s in loaded_sources(memory_store)}
    assert NamedNode(source_a.graph) not in memory_store.named_graphs()
    assert mentions(memory_store, iri("event/talks-a")) == 0
    assert mentions(memory_store, iri("source/report-a")) == 0
    assert set(graph_quads(memory_store, source_b.graph)) == quads_b
    with pytest.raises(StoreError, match="no loaded source 'a.yaml'"):
        remove_source(memory_store, "a.yaml")
    # By graph IRI too; the reference data stays.
    assert remove_source(memory_store, source_b.graph) == source_b
    assert {s.path for s in loaded_sources(memory_store)} == \
        {"reference:countries", "reference:unions", "reference:agencies"}


def test_cli_remove_drops_the_source(runner, tmp_path):
    store = str(tmp_path / "kg")
    a = write(tmp_path / "a.yaml", REPORT_A)
    b = write(tmp_path / "b.yaml", REPORT_B)
    loaded = runner.invoke(cli, ["--store", store, "load", str(a), str(b)])
    assert loaded.exit_code == 0, loaded.output
    listed = runner.invoke(cli, ["--store", store, "sources", "--format", "json"])
    triples = next(s["triples"] for s in json.loads(listed.output)
                   if s["path"].endswith("a.yaml"))

    result = runner.invoke(cli, ["--store", store, "remove", str(a)])

    assert result.exit_code == 0, result.output
    assert result.output == f"removed a.yaml ({triples:,} triples)\n"  # beside the store
    listed = runner.invoke(cli, ["--store", store, "sources", "--format", "json"])
    paths = [s["path"] for s in json.loads(listed.output)]
    assert not any(p.endswith("a.yaml") for p in paths)
    assert any(p.endswith("b.yaml") for p in paths)
    ask = runner.invoke(cli, ["--store", store, "sparql",
                              f"ASK {{ <{ID['event/talks-a']}> ?p ?o }}"])
    assert ask.output == "false\n"
    ask = runner.invoke(cli, ["--store", store, "sparql",
                              f"ASK {{ <{ID['agreement/plan-b']}> ?p ?o }}"])
    assert ask.output == "true\n"
    again = runner.invoke(cli, ["--store", store, "remove", str(a)])
    assert again.exit_code == 1
    assert again.output.startswith("Error: no loaded source ")


# -- the gold corpus ------------------------------------------------------------------------------
def test_the_gold_corpus_is_there(corpus):
    assert GOLD_FILES, f"no gold files under {corpus / 'gold'}"


@pytest.mark.usefixtures("corpus")
@pytest.mark.parametrize("gold", corpus_files("gold"))
def test_gold_file_loads_as_records(memory_store, gold):
    document = yaml.safe_load(gold.read_text(encoding="utf-8"))

    results = load_paths(memory_store, [gold])

    assert results[-1].status == "loaded"
    source = source_of(memory_store, gold)
    assert (source.format, source.loader) == ("yaml", "records")
    graph = NamedNode(source.graph)
    counts = {}
    for name, cls in (("agreements", "Agreement"), ("events", "Event")):
        rows = memory_store.select(
            f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH ?g {{ ?e a ckg:{cls} }} }}",
            {"g": graph})
        counts[name] = int(rows[0]["n"].value)
    assert counts == {"agreements": len(document.get("agreements") or []),
                      "events": len(document.get("events") or [])}
    assert counts["agreements"] + counts["events"] > 0
    # Every agreement has its parties (or, where the gold lists none, says so), every event
    # its kind, as entities of the graph.
    assert not memory_store.ask("""ASK { GRAPH ?g { ?e a ckg:Agreement }
                                         FILTER NOT EXISTS { ?e ckg:party ?p }
                                         FILTER NOT EXISTS { ?e ckg:partiesUnlisted true } }""",
                                {"g": graph})
    unlisted = {a["title"] for a in document.get("agreements") or [] if a.get("parties") == []}
    rows = memory_store.select("""SELECT ?t WHERE { GRAPH ?g { ?e ckg:partiesUnlisted true ;
                                                               dct:title ?t } }""", {"g": graph})
    assert {row["t"].value for row in rows} == unlisted
    assert not memory_store.ask("""ASK { GRAPH ?g { ?e a ckg:Event }
                                         FILTER NOT EXISTS { ?e ckg:kind ?k } }""",
                                {"g": graph})


def test_the_whole_gold_corpus_loads_with_the_curated_data_in_one_load(memory_store, corpus):
    results = load_paths(memory_store, [*SEEDS, corpus / "gold"])
    files = [r for r in results if not r.path.startswith("reference:")]
    assert len(files) == len(GOLD_FILES) + len(SEEDS)
    assert {r.status for r in files} == {"loaded"}
    assert len({s.graph for s in loaded_sources(memory_store)}) == len(results)


# -- one entity, many names and sources -----------------------------------------------------------
@pytest.mark.parametrize("together", [True, False], ids=["one-load", "two-loads"])
def test_the_same_agency_named_differently_in_two_files_is_one_entity(
        memory_store, tmp_path, together):
    a = write(tmp_path / "a.yaml", REPORT_A)  # "FCS of Russia"
    b = write(tmp_path / "b.yaml", REPORT_B)  # "Federal Customs Service of Russia"
    if together:
        load_paths(memory_store, [a, b])
    else:
        load_paths(memory_store, [a])
        load_paths(memory_store, [b])

    stated = values(memory_store, """
        SELECT DISTINCT ?x WHERE { ?x a ckg:CustomsAdministration ; prov:wasDerivedFrom ?doc
                                   FILTER(?doc IN (?a, ?b)) }""",
                    a=iri("source/report-a"), b=iri("source/report-b"))
    assert stated == [str(ID["agency/ru-fcs"])]
    docs = values(memory_store, "SELECT ?x WHERE { ?e prov:wasDerivedFrom ?x }",
                  e=iri("agency/ru-fcs"))
    # Both files' sources (and the gazetteer's, which knows the agency under both names).
    assert docs == [str(ID["source/reference-gazetteer"]), str(ID["source/report-a"]),
                    str(ID["source/report-b"])]
    # The event of one file and the agreement of the other name that one entity.
    assert memory_store.ask("ASK { ?ev ckg:participant ?fcs . ?ag ckg:party ?fcs }", {
        "ev": iri("event/talks-a"), "ag": iri("agreement/plan-b"), "fcs": iri("agency/ru-fcs")})
    named = values(memory_store, """
        SELECT DISTINCT ?x WHERE { ?x skos:prefLabel|skos:altLabel ?l
            FILTER(STR(?l) IN ("FCS of Russia", "Federal Customs Service of Russia")) }""")
    assert named == [str(ID["agency/ru-fcs"])]
    labels = values(memory_store, "SELECT ?x WHERE { ?e skos:prefLabel ?x }",
                    e=iri("agency/ru-fcs"))
    assert labels == ["Federal Customs Service of Russia"]


def test_regional_units_chain_up_to_the_national_administration(curated_store):
    novosibirsk = values(curated_store,
                         "SELECT ?x WHERE { ?x skos:prefLabel 'Novosibirsk Customs' }")
    assert len(novosibirsk) == 1
    chain = []
    node = NamedNode(novosibirsk[0])
    while True:
        parents = values(curated_store, "SELECT ?x WHERE { ?e org:subOrganizationOf ?x }",
                         e=node)
        if not parents:
            break
        assert len(parents) == 1
        node = NamedNode(parents[0])
        chain.append(node)
    labels = [values(curated_store, "SELECT ?x WHERE { ?e skos:prefLabel ?x }", e=n)
              for n in chain]
    assert labels == [["Siberian Customs Directorate"], ["Federal Customs Service of Russia"]]
    assert chain[-1] == iri("agency/ru-fcs")
    assert curated_store.ask("ASK { ?u a ckg:RegionalCustomsUnit ; ckg:country ?ru }",
                             {"u": NamedNode(novosibirsk[0]), "ru": iri("country/RU")})
    assert curated_store.ask("ASK { ?u org:subOrganizationOf+ ?top }",
                             {"u": NamedNode(novosibirsk[0]), "top": iri("agency/ru-fcs")})
    assert curated_store.ask("ASK { ?ru ckg:nationalCustomsAdministration ?fcs }",
                             {"ru": iri("country/RU"), "fcs": iri("agency/ru-fcs")})


# -- RDF files ------------------------------------------------------------------------------------
RDF_CASES = [
    ("turtle", ".ttl", "Turtle"),
    ("nt", ".nt", "N-Triples"),
    ("nquads", ".nq", "N-Quads"),
    ("trig", ".trig", "TriG"),
    ("json-ld", ".jsonld", "JSON-LD"),
    ("xml", ".rdf", "RDF/XML"),
]


def small_graph(rdflib_format: str) -> str:
    """Three triples in ``rdflib_format``; in two named graphs for the dataset formats."""
    triples = [(EX.a, EX.name, RdfLiteral(f"A in {rdflib_format}", lang="en")),
               (EX.a, EX.partOf, EX.b),
               (EX.b, EX["count"], RdfLiteral(3))]
    if rdflib_format not in ("nquads", "trig"):
        graph = Graph()
        for triple in triples:
            graph.add(triple)
        return graph.serialize(format=rdflib_format)
    dataset = Dataset()
    first, second = dataset.graph(URIRef(EX.g1)), dataset.graph(URIRef(EX.g2))
    first.add(triples[0])
    first.add(triples[1])
    second.add(triples[2])
    with warnings.catch_warnings():  # rdflib's own serializers use its deprecated API
        warnings.filterwarnings("ignore", "Dataset.* is deprecated", DeprecationWarning)
        return dataset.serialize(format=rdflib_format)


@pytest.mark.parametrize(("rdflib_format", "suffix", "name"), RDF_CASES,
                         ids=[c[0] for c in RDF_CASES])
def test_rdf_file_loads_into_its_own_graph(memory_store, tmp_path, rdflib_format, suffix, name):
    path = write(tmp_path / f"small{suffix}", small_graph(rdflib_format))

    results = load_paths(memory_store, [path], with_reference=False)

    assert [(r.status, r.triples) for r in results] == [("loaded", 3)]
    source = source_of(memory_store, path)
    assert (source.format, source.loader, source.triples) == (name, "rdf", 3)
    assert source.hash == hashlib.sha256(path.read_bytes()).hexdigest()
    rows = memory_store.select("""
        SELECT ?g ?name ?count WHERE {
          GRAPH ?g { <http://example.org/a> <http://example.org/name> ?name ;
                                            <http://example.org/partOf> ?b .
                     ?b <http://example.org/count> ?count } }""")
    assert len(rows) == 1
    assert rows[0]["g"].value == source.graph
    assert rows[0]["name"] == Literal(f"A in {rdflib_format}", language="en")
    assert rows[0]["count"] == Literal("3", datatype=NamedNode(str(XSD.integer)))
    # A dataset file's own graphs all go into the file's one graph.
    assert [g.value for g in memory_store.named_graphs()] == [source.graph]
    assert len(graph_quads(memory_store, source.graph)) > 3  # with its LoadedFile record


# -- records as JSON and CSV ----------------------------------------------------------------------
def test_a_json_records_file_loads(memory_store, tmp_path):
    document = yaml.safe_load(textwrap.dedent(REPORT_B))
    path = tmp_path / "b.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    load_paths(memory_store, [path])
    assert source_of(memory_store, path).format == "json"
    assert memory_store.ask("ASK { ?ag a ckg:CooperationPlan ; ckg:party ?fcs }",
                            {"ag": iri("agreement/plan-b"), "fcs": iri("agency/ru-fcs")})


def test_a_csv_of_agencies_loads(memory_store, tmp_path):
    path = write(tmp_path / "agencies.csv", """\
        name,country,aliases,kind,parent
        Omsk Customs,RU,Omsk customs post;Omskaya tamozhnya,regional-customs,Siberian Customs Directorate
        Hanoi Customs Department,VN,,regional-customs,General Department of Vietnam Customs
        """)  # noqa: E501

    load_paths(memory_store, [*SEEDS, path])

    assert source_of(memory_store, path).format == "csv"
    rows = memory_store.select("""
        SELECT ?e ?parent ?country WHERE { GRAPH ?g {
          ?e a ckg:RegionalCustomsUnit ; skos:prefLabel ?name ; org:subOrganizationOf ?parent ;
             ckg:country ?country } }""", {"g": NamedNode(source_of(memory_store, path).graph)})
    found = {r["e"].value.rsplit("/", 1)[-1]: (r["parent"].value.rsplit("/", 1)[-1],
                                               r["country"].value.rsplit("/", 1)[-1])
             for r in rows}
    assert found == {"ru-omsk-customs": ("ru-siberian-customs-directorate", "RU"),
                     "vn-hanoi-customs-department": ("vn-gdvc", "VN")}
    aliases = values(memory_store, "SELECT ?x WHERE { ?e skos:altLabel ?x }",
                     e=iri("agency/ru-omsk-customs"))
    assert aliases == ["Omsk customs post", "Omskaya tamozhnya"]


def test_a_csv_of_agreements_loads(memory_store, tmp_path):
    path = write(tmp_path / "agreements.csv", """\
        id,title,kind,parties,signed,in_force
        csv-one,CSV agreement one,memorandum,RU;VN,2019-09,
        csv-two,CSV agreement two,protocol,FCS of Russia;KZ,2020,2020-02-03
        """)

    load_paths(memory_store, [path])

    graph = NamedNode(source_of(memory_store, path).graph)
    rows = memory_store.select("""
        SELECT ?e ?party WHERE { GRAPH ?g { ?e a ckg:Agreement ; ckg:party ?party } }""",
                               {"g": graph})
    parties: dict[str, set[str]] = {}
    for row in rows:
        parties.setdefault(row["e"].value, set()).add(row["party"].value)
    assert parties == {
        str(ID["agreement/csv-one"]): {str(ID["country/RU"]), str(ID["country/VN"])},
        str(ID["agreement/csv-two"]): {str(ID["agency/ru-fcs"]), str(ID["country/KZ"])},
    }
    assert memory_store.ask("ASK { ?e a ckg:MemorandumOfUnderstanding }",
                            {"e": iri("agreement/csv-one")})
    assert memory_store.ask("ASK { ?e a ckg:Protocol ; ckg:entryIntoForceDate ?d }",
                            {"e": iri("agreement/csv-two"),
                             "d": Literal("2020-02-03", datatype=NamedNode(str(XSD.date)))})
    assert not memory_store.ask("ASK { ?e ckg:entryIntoForceDate ?d }",
                                {"e": iri("agreement/csv-one")})


# -- dates ----------------------------------------------------------------------------------------
def test_partial_dates_keep_their_precision(memory_store, tmp_path):
    path = write(tmp_path / "dates.yaml", """\
        source: {id: dates}
        agreements:
          - id: dated
            title: Dated agreement
            parties: [RU, VN]
            signed: "2019"
            in_force: "2019-09"
            valid_from: 2019-09-09
            valid_to: 2023
        events:
          - {id: month, kind: meeting, date: "2019-05", participants: [RU]}
          - {id: span, kind: forum, date: "2019-06-27/2019-06-29", participants: [RU]}
          - {id: years, kind: forum, date: "2019/2020", participants: [RU]}
        unions:
          - {name: Test Union, members: [{member: RU, since: "2015", until: "2016-03"}]}
        """)

    load_paths(memory_store, [path])

    rows = memory_store.select("""
        SELECT ?e ?p ?d WHERE { ?e ?p ?d
          FILTER(?p IN (ckg:signingDate, ckg:entryIntoForceDate, ckg:validFrom, ckg:validUntil,
                        schema:startDate, schema:endDate, time:inXSDgYear,
                        time:inXSDgYearMonth, time:inXSDDate))
          FILTER(?e IN (?dated, ?month, ?span, ?years) || STRSTARTS(STR(?e), STR(?member))) }""",
                               {"dated": iri("agreement/dated"), "month": iri("event/month"),
                                "span": iri("event/span"), "years": iri("event/years"),
                                "member": iri("membership/ru-test-union")})
    found = {(r["e"].value.removeprefix(str(ID)), local(r["p"])):
             (r["d"].value, local(r["d"].datatype)) for r in rows}
    membership = "membership/ru-test-union"
    assert found == {
        ("agreement/dated", "signingDate"): ("2019", "gYear"),
        ("agreement/dated", "entryIntoForceDate"): ("2019-09", "gYearMonth"),
        ("agreement/dated", "validFrom"): ("2019-09-09", "date"),
        ("agreement/dated", "validUntil"): ("2023", "gYear"),
        ("event/month", "startDate"): ("2019-05", "gYearMonth"),
        ("event/span", "startDate"): ("2019-06-27", "date"),
        ("event/span", "endDate"): ("2019-06-29", "date"),
        ("event/years", "startDate"): ("2019", "gYear"),
        ("event/years", "endDate"): ("2020", "gYear"),
        (membership, "startDate"): ("2015", "gYear"),
        (membership, "endDate"): ("2016-03", "gYearMonth"),
        (membership + "/start", "inXSDgYear"): ("2015", "gYear"),
        (membership + "/end", "inXSDgYearMonth"): ("2016-03", "gYearMonth"),
    }


# -- provenance -----------------------------------------------------------------------------------
UNSOURCED_RECORDS = """
    SELECT ?path ?e WHERE {
      GRAPH ?g { ?g a ckg:LoadedFile ; ckg:path ?path ; prov:wasAttributedTo ?loader .
                 ?e a ?class
                 FILTER NOT EXISTS { ?e prov:wasDerivedFrom ?doc . ?doc a ckg:SourceDocument } }
      VALUES ?class { ckg:Agreement ckg:Event }
    }"""


def test_every_agreement_and_event_of_the_curated_data_has_its_source_document(curated_store):
    loader = iri("loader/records")
    assert curated_store.select(UNSOURCED_RECORDS, {"loader": loader}) == []
    rows = curated_store.select("""
        SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g {
          ?e a ?class ; prov:wasDerivedFrom ?doc . ?doc a ckg:SourceDocument .
          ?g a ckg:LoadedFile ; prov:wasDerivedFrom ?doc ; ckg:path ?path }
          VALUES ?class { ckg:Agreement ckg:Event } FILTER(!STRSTARTS(?path, "reference:")) }""")
    assert int(rows[0]["n"].value) > 10


def test_a_record_with_its_own_source_points_at_it(memory_store, tmp_path):
    path = write(tmp_path / "mixed.yaml", """\
        source: {id: the-file, title: The file's source}
        events:
          - {id: from-file, kind: meeting, date: "2019", participants: [RU]}
          - id: from-record
            kind: meeting
            date: "2019"
            participants: [VN]
            source: {id: the-record, title: The record's own source, reliability: low}
        """)
    load_paths(memory_store, [path])
    for event, doc in (("from-file", "the-file"), ("from-record", "the-record")):
        assert values(memory_store, "SELECT ?x WHERE { ?e prov:wasDerivedFrom ?x }",
                      e=iri(f"event/{event}")) == [str(ID[f"source/{doc}"])]
    assert memory_store.select(UNSOURCED_RECORDS, {"loader": iri("loader/records")}) == []


def test_records_without_a_source_still_derive_from_a_source_document(memory_store, corpus):
    """The gold files carry no ``source``: their agreements and events must still point at a
    ckg:SourceDocument (the model contract: every record's subject has its source)."""
    gold = corpus / "gold" / "19_usembassy_us_uk_cmaa.yaml"
    load_paths(memory_store, [gold])
    unsourced = memory_store.select(UNSOURCED_RECORDS, {"loader": iri("loader/records")})
    assert [r["e"].value for r in unsourced] == []


# -- all or nothing -------------------------------------------------------------------------------
BAD_LAST = {
    "bad-record": ("bad.yaml", "agreements:\n  - {id: a1, title: T, parties: [RU], "
                               "signed: 2019-13-45}\n", RecordError),
    "unknown-field": ("bad.yaml", "agreements:\n  - {id: a1, title: T, sigend: '2019'}\n",
                      RecordError),
    "malformed-yaml": ("bad.yaml", "agreements:\n  - id: a1\n   title: [\n", SourceError),
    "bad-turtle": ("bad.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c\nex:d ex:e .\n",
                   SourceError),
}


@pytest.mark.parametrize("bad", list(BAD_LAST), ids=list(BAD_LAST))
def test_a_load_whose_last_file_is_bad_leaves_nothing(memory_store, tmp_path, bad):
    name, text, error = BAD_LAST[bad]
    good = [write(tmp_path / "a.yaml", REPORT_A), write(tmp_path / "b.yaml", REPORT_B),
            write(tmp_path / "small.ttl", small_graph("turtle"))]
    broken = tmp_path / name
    broken.write_text(text, encoding="utf-8")

    with pytest.raises(error, match=name):
        load_paths(memory_store, [*good, *SEEDS, broken])

    assert len(memory_store) == 0
    assert memory_store.named_graphs() == []
    assert loaded_sources(memory_store) == []


@pytest.mark.parametrize("bad", list(BAD_LAST), ids=list(BAD_LAST))
def test_a_failed_load_leaves_the_store_as_it_was(memory_store, tmp_path, bad):
    name, text, error = BAD_LAST[bad]
    a = write(tmp_path / "a.yaml", REPORT_A)
    load_paths(memory_store, [*SEEDS, a])
    before = all_quads(memory_store)
    # A changed file (its old graph must survive), a new file, then the bad one.
    write(a, REPORT_A.replace("talks-a", "talks-changed"))
    new = write(tmp_path / "b.yaml", REPORT_B)
    broken = tmp_path / name
    broken.write_text(text, encoding="utf-8")

    with pytest.raises(error):
        load_paths(memory_store, [a, new, write(tmp_path / "c.ttl", small_graph("turtle")),
                                  broken])

    assert all_quads(memory_store) == before


# -- repair after a crash -------------------------------------------------------------------------
def test_repair_drops_the_graph_of_an_interrupted_load(memory_store, tmp_path):
    a = write(tmp_path / "a.yaml", REPORT_A)
    load_paths(memory_store, [a])
    before = all_quads(memory_store)
    assert repair(memory_store) == []
    # A crash while writing: a file graph without its LoadedFile record.
    partial = NamedNode(f"{GRAPH}file/{uuid.uuid4().hex}")
    memory_store.add_quads([Quad(ex("x"), ex("p"), Literal("half-written"), partial),
                            Quad(iri("event/talks-a"), ex("p"), Literal("x"), partial)])

    assert repair(memory_store) == [partial.value]

    assert partial not in memory_store.named_graphs()
    assert all_quads(memory_store) == before


def test_the_next_load_repairs_an_interrupted_one(memory_store, tmp_path):
    a = write(tmp_path / "a.yaml", REPORT_A)
    load_paths(memory_store, [a])
    before = all_quads(memory_store)
    partial = NamedNode(f"{GRAPH}file/{uuid.uuid4().hex}")
    memory_store.add_quads([Quad(ex("x"), ex("p"), Literal("half-written"), partial)])

    assert [r.status for r in load_paths(memory_store, [a])] == ["unchanged"]

    assert all_quads(memory_store) == before


def test_repair_keeps_only_the_newest_copy_of_a_file(memory_store, tmp_path):
    """A crash after writing a changed file's new graph and before dropping its old one."""
    a = write(tmp_path / "a.yaml", REPORT_A)
    load_paths(memory_store, [a])
    old = source_of(memory_store, a)
    write(a, REPORT_A.replace("talks-a", "talks-new"))
    scratch = OxigraphStore(None)
    try:
        load_paths(scratch, [a])
        new = source_of(scratch, a)
        later = Literal("2999-01-01T00:00:00+00:00", datatype=NamedNode(str(XSD.dateTime)))
        time = NamedNode(str(PROV.generatedAtTime))
        memory_store.add_quads(
            Quad(q.subject, q.predicate, later if q.predicate == time else q.object, q.graph_name)
            for q in scratch.quads(NamedNode(new.graph)))
    finally:
        scratch.close()
    assert len([s for s in loaded_sources(memory_store) if s.path == old.path]) == 2

    assert repair(memory_store) == [old.graph]

    assert source_of(memory_store, a).graph == new.graph
    assert mentions(memory_store, iri("event/talks-a")) == 0
    assert mentions(memory_store, iri("event/talks-new")) > 0


def test_load_errors_are_customs_kg_errors(memory_store, tmp_path):
    with pytest.raises(CustomsKGError, match="no such file or folder"):
        load_paths(memory_store, [tmp_path / "missing.yaml"])
    assert len(memory_store) == 0
