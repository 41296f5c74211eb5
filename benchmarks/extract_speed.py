"""Speed of the article extractor on long synthetic articles: seconds per 100 KB of text.

    python benchmarks/extract_speed.py [--kb 200] [--runs 1] [--only NAME,...]
                                       [--profile NAME] [--out FILE]

Inputs written here (no corpus text), each about ``--kb`` kilobytes (characters of the file
as read, markup included for the two HTML pages):

- ``one-sentence``: a single sentence of clauses joined by commas and "and", no full stop;
- ``sentences``: ordinary news sentences (bodies, posts, dates, agreements, meetings);
- ``name-list``: one sentence listing customs bodies separated by commas, then signing;
- ``agreement-sentence``: one sentence of signings, each naming two or three agreements;
- ``date-sentence``: one sentence of meetings, each with three dates;
- ``capitalised``: one sentence of people and bodies no gazetteer knows ("Arvel Tomasz of
  the Kestrin Valde Board met Orlan Vesk");
- ``html-table``: an HTML page holding one table, a row per meeting (body, body, date, text);
- ``html-paragraph``: an HTML page of one paragraph of ordinary sentences with inline links.

Extraction time grows with the length of a sentence when a rule rescans it for each token;
the figures should stay flat per 100 KB when the size grows (try ``--kb 50`` and ``--kb
200``). Wall clock and CPU time are both given: on a busy machine the CPU time is the
steadier figure. ``--profile NAME`` prints the cProfile of that input's run instead.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import log, report, timed  # noqa: E402

from loaders.articles import extract_article  # noqa: E402

HEADER = "source: https://example.org/benchmark\npublished: 2024-05-20\n---\nCustoms news\n"
BODIES = ["the Federal Customs Service of Russia", "the State Revenue Committee of Kazakhstan",
          "Japan Customs", "the General Administration of Customs of China",
          "the Customs Committee of the Republic of Uzbekistan", "the Korea Customs Service",
          "the Mongolian Customs General Administration", "the Lao Customs Department",
          "the Bureau of Customs of the Philippines", "the South African Revenue Service",
          "the Eurasian Economic Commission", "the World Customs Organization"]
CLAUSES = ["{a} and {b} discussed cooperation in risk management on {day} May 2024",
           "{a} signed a memorandum of understanding on mutual assistance with {b}",
           "the delegation of {a} visited {b} in Tashkent",
           "{a} and {b} agreed to hold the next meeting of the working group in October",
           "Deputy Head of {a} Ivan Petrov met the Chairman of {b}",
           "{a} will exchange electronic data on goods in transit with {b} from March 2025"]


AGREEMENTS = ["a memorandum of understanding on mutual administrative assistance",
              "an agreement on the exchange of customs information",
              "a protocol on the mutual recognition of Authorized Economic Operators",
              "an action plan for 2024-2026", "a roadmap on transit facilitation",
              "a Mutual Recognition Arrangement", "a letter of intent on risk management"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
SYLLABLES = ["ar", "vel", "tom", "asz", "kes", "trin", "val", "de", "or", "lan", "vesk", "mir",
             "dun", "ebo", "ra", "sil", "ko", "than", "wen", "ul", "pry", "go"]
UNITS = ["Board", "Authority", "Agency", "Directorate", "Office", "Council", "Commission"]


def _clause(rng: random.Random) -> str:
    a, b = rng.sample(BODIES, 2)
    return rng.choice(CLAUSES).format(a=a, b=b, day=rng.randint(1, 28))


def _fill(size: int, piece, joiner: str) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        part = piece()
        parts.append(part)
        length += len(part) + len(joiner)
    return joiner.join(parts)


def _signing(rng: random.Random) -> str:
    a, b = rng.sample(BODIES, 2)
    documents = rng.sample(AGREEMENTS, rng.randint(2, 3))
    return f"{a} signed {', '.join(documents[:-1])} and {documents[-1]} with {b}"


def _date(rng: random.Random) -> str:
    return f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2015, 2025)}"


def _meetings(rng: random.Random) -> str:
    a, b = rng.sample(BODIES, 2)
    return f"{a} met {b} on {_date(rng)}, on {_date(rng)} and again on {_date(rng)}"


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _unknown_names(rng: random.Random) -> str:
    return (f"{_word(rng)} {_word(rng)} of the {_word(rng)} {_word(rng)} {rng.choice(UNITS)} "
            f"met {_word(rng)} {_word(rng)} in {_word(rng)}")


def _sentence(rng: random.Random) -> str:
    clause = _clause(rng)
    return clause[0].upper() + clause[1:] + "."


def _one(size: int, piece) -> str:
    text = _fill(size, piece, ", and ")
    return text[0].upper() + text[1:] + ".\n"


def _row(rng: random.Random) -> str:
    a, b = rng.sample(BODIES, 2)
    return (f"<tr><td>{a}</td><td>{b}</td><td>{_date(rng)}</td>"
            f"<td>{_sentence(rng)}</td></tr>")


def _linked(rng: random.Random) -> str:
    a, b = rng.sample(BODIES, 2)
    return (f'<a href="https://example.org/{rng.randint(1, 999)}">{a[0].upper() + a[1:]}</a> '
            f"and <b>{b}</b> met on {_date(rng)} and discussed risk management.")


def inputs(kb: float, seed: int = 7) -> dict[str, str]:
    """The synthetic articles, each about ``kb`` kilobytes of text after the header."""
    size = int(kb * 1000) - len(HEADER) - 100
    rng = random.Random(seed)
    one = _fill(size, lambda: _clause(rng), ", and ")
    many = _fill(size, lambda: _clause(rng)[0].upper() + _clause(rng)[1:] + ".", " ")
    names = _fill(size - 80, lambda: rng.choice(BODIES), ", ")
    page = "<html><head><title>Customs news</title></head><body>\n<h1>Customs news</h1>\n"
    return {"one-sentence": HEADER + one[0].upper() + one[1:] + ".\n",
            "sentences": HEADER + many + "\n",
            "name-list": HEADER + names[0].upper() + names[1:]
            + " signed a memorandum of cooperation on 12 May 2024.\n",
            "agreement-sentence": HEADER + _one(size, lambda: _signing(rng)),
            "date-sentence": HEADER + _one(size, lambda: _meetings(rng)),
            "capitalised": HEADER + _one(size, lambda: _unknown_names(rng)),
            "html-table": HEADER + page + "<table>\n"
            + _fill(size - len(page) - 40, lambda: _row(rng), "\n") + "\n</table></body></html>\n",
            "html-paragraph": HEADER + page + "<p>"
            + _fill(size - len(page) - 40, lambda: _linked(rng), " ") + "</p></body></html>\n"}


def extract(text: str) -> dict:
    return extract_article(text, name="benchmark.txt")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=float, default=200.0, help="size of each input (KB)")
    parser.add_argument("--runs", type=int, default=1, help="runs per input (the best counts)")
    parser.add_argument("--only", metavar="NAME,...", help="measure only these inputs")
    parser.add_argument("--profile", metavar="NAME", help="print the cProfile of one input")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key")
    parser.add_argument("--out", type=Path, help="also write the JSON to this file")
    options = parser.parse_args()
    texts = inputs(options.kb)
    extract(texts["sentences"][:2000])  # warm the gazetteer and the regexes
    if options.profile:
        profile = cProfile.Profile()
        profile.runcall(extract, texts[options.profile])
        pstats.Stats(profile).sort_stats(options.sort).print_stats(40)
        return
    figures: dict[str, dict[str, float]] = {}
    names = options.only.split(",") if options.only else list(texts)
    for name in names:
        text = texts[name]
        log(f"{name}: {len(text):,} characters")
        runs = []
        for _ in range(options.runs):
            cpu = time.process_time()
            wall = timed(lambda text=text: extract(text))[0]
            runs.append((wall, time.process_time() - cpu))
        wall, cpu = min(runs)
        figures[name] = {"characters": len(text), "seconds": round(wall, 3),
                         "cpu_seconds": round(cpu, 3),
                         "seconds_per_100kb": round(wall * 100_000 / len(text), 3),
                         "cpu_seconds_per_100kb": round(cpu * 100_000 / len(text), 3)}
    report(figures, options.out)


if __name__ == "__main__":
    main()
