"""The partner-network pictures of the README, made from a real run: the whole ``data/``
loaded into a new store, ``customs-kg network --format html`` written to ``docs/``, and that
page drawn by headless Chromium into a PNG beside it.

Run from the checkout (needs Debian's ``chromium``)::

    python docs/pictures.py

It rewrites ``docs/world-network.html`` and ``docs/world-network.png``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CUSTOMS_KG = Path(sys.executable).with_name("customs-kg")


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("needs headless Chromium (apt-get install chromium)")


def world_network(work: Path) -> Path:
    """The whole dataset's country-level partner network as the HTML page."""
    store = work / "kg"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795593600"}
    subprocess.run([str(CUSTOMS_KG), "--store", str(store), "load", "data/"], cwd=ROOT,
                   check=True, env=env, stdout=subprocess.DEVNULL)
    page = DOCS / "world-network.html"
    subprocess.run([str(CUSTOMS_KG), "--store", str(store), "network", "--level", "country",
                    "-o", str(page)], cwd=ROOT, check=True, env=env)
    return page


def screenshot(page: Path, work: Path) -> Path:
    """``page`` drawn by headless Chromium, its layout settled (virtual time), as a PNG."""
    png = page.with_suffix(".png")
    subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--hide-scrollbars", "--no-first-run",
                    f"--user-data-dir={work / 'profile'}", "--virtual-time-budget=30000",
                    "--window-size=1400,900", f"--screenshot={png}", page.as_uri()],
                   check=True, capture_output=True, timeout=300,
                   env={**os.environ, "HOME": str(work)})
    return png


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="customs-kg-pictures-") as folder:
        work = Path(folder)
        page = world_network(work)
        print(f"{page.relative_to(ROOT)}\n{screenshot(page, work).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
