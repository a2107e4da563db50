"""Scale figures on a synthetic library (a benchmark, not a test).

    python benchmarks/scale.py [--passages 1000 10000 100000] [--data DIR] [--seconds 20]
                               [--soak 120] [--workers 1]

Builds a library from the sample partnership responses, each copy with its child's name, its
place, its years and its counts varied and sentences added or dropped, so passages differ;
every copy is typeset as a text-layer PDF and ingested as a real upload would be. At each size
it starts `review-assistant serve` on 127.0.0.1 and prints:

- ingest pages/s while building (text-layer PDFs, end to end);
- POST /search and POST /ask p50/p95 and throughput with 1, 4 and 16 concurrent clients;
- one 20-page upload during a search load: time until its passages are found, and the search
  p95 while it runs;
- the server's peak RSS (with its reading process) and disk per 1k passages.

The library grows in one data directory from size to size, so the 100k run reuses the 10k one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import httpx
import psutil
from bench import percentile

from review_assistant.ingest.agencies import load_gazetteer
from review_assistant.ingest.readers import read_document
from review_assistant.ingest.structure import StructureParser
from review_assistant.ingestion import Ingestor
from review_assistant.settings import Settings
from review_assistant.store.stores import Stores

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "samples" / "safeguarding"
AGENCIES = ROOT / "examples" / "southampton-hampshire-agencies.yaml"
QUESTIONS = ROOT / "benchmarks" / "questions.jsonl"
SYLLABLES = ("ka", "ri", "lo", "me", "sa", "to", "na", "vi", "de", "lu", "ro", "ba", "te",
             "mi", "ra", "fe", "no", "sha", "ly", "wen", "dor", "ash")  # fmt: skip
LINES_PER_PAGE = 46


# -- the synthetic library ---------------------------------------------------------------------
def invented_name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


class Variants:
    """Copies of the sample responses with names, places and numbers changed.

    The names to change are found by the product's own parser (the review's name and the
    partnership's place), not listed here."""

    def __init__(self) -> None:
        parser = StructureParser(load_gazetteer(AGENCIES))
        self.sources = []
        for path in sorted(SOURCES.glob("*.txt")):
            doc = parser.parse(read_document(path))
            names = {w for w in re.findall(r"[A-Z][a-z]+", doc.review) if w != "Child"}
            names |= set(re.findall(r"\bChild [A-Z]\b", doc.review))  # "Child M" as a whole
            places = set(re.findall(r"[A-Z][a-z]+", doc.partnership or "")) - {
                "Safeguarding", "Children", "Partnership", "Board", "Local",
            }  # fmt: skip
            self.sources.append((path.read_text(encoding="utf-8"), names, places))

    def text(self, n: int) -> str:
        rng = random.Random(n)
        source, names, places = self.sources[n % len(self.sources)]
        text = source
        for name in names:
            text = re.sub(rf"\b{name}\b", invented_name(rng), text)
        for place in places:
            text = re.sub(rf"\b{place}\b", invented_name(rng, 3), text)
        shift = rng.randint(-6, 3)
        text = re.sub(r"\b(19[89]\d|20[0-2]\d)\b", lambda m: str(int(m[1]) + shift), text)
        text = re.sub(
            r"\b(\d{2,3})( (?:days|weeks|months|staff|practitioners|families|children))",
            lambda m: f"{max(2, int(m[1]) + rng.randint(-9, 9))}{m[2]}",
            text,
        )
        paragraphs = []
        for paragraph in text.split("\n"):
            sentences = re.split(r"(?<=[.!?]) (?=[A-Z])", paragraph)
            if len(sentences) > 2 and rng.random() < 0.3:
                sentences.pop(rng.randrange(1, len(sentences)))
            if len(sentences) > 1 and rng.random() < 0.3:
                sentences.insert(
                    rng.randrange(1, len(sentences)),
                    f"{invented_name(rng)} noted this at the {rng.randint(2, 40)} "
                    f"{rng.choice(['visits', 'meetings', 'contacts', 'audits'])} held in "
                    f"{invented_name(rng, 3)}.",
                )
            paragraphs.append(" ".join(sentences))
        return "\n".join(paragraphs)


def typeset(text: str, path: Path, pages: int | None = None) -> int:
    """Write text as a text-layer PDF (wrapped, 46 lines a page); return its page count. With
    `pages`, the text is repeated or cut to exactly that many pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += textwrap.wrap(paragraph, 95) or [""]
    if pages is not None:
        while len(lines) < pages * LINES_PER_PAGE:
            lines += lines
        lines = lines[: pages * LINES_PER_PAGE]
    pdf = canvas.Canvas(str(path), pagesize=A4)
    count = 0
    for begin in range(0, len(lines), LINES_PER_PAGE):
        y = 800
        for line in lines[begin : begin + LINES_PER_PAGE]:
            pdf.setFont("Helvetica", 9)
            pdf.drawString(50, y, line)
            y -= 16.5
        pdf.showPage()
        count += 1
    pdf.save()
    return count


def grow(
    stores: Stores, variants: Variants, target: int, start: int, work: Path, state: Path
) -> dict:
    """Ingest copies until the library holds `target` passages; return the ingest figures.
    The next copy's number is kept in `state`, so a stopped run carries on where it was."""
    settings = Settings(
        REVIEW_ASSISTANT_DATA_DIR=stores.config.data_dir, REVIEW_ASSISTANT_AGENCIES=AGENCIES
    )
    n, pages, seconds = start, 0, 0.0
    with Ingestor(stores, settings.ingest) as ingestor:
        while stores.register.count_chunks() < target:
            batch = []
            for _ in range(8):
                path = work / f"synthetic-{n:06d}.pdf"
                typeset(variants.text(n), path)
                batch.append(path)
                n += 1
            started = time.perf_counter()
            report = ingestor.ingest(batch, progress=False)
            seconds += time.perf_counter() - started
            pages += report.pages
            for path in batch:
                path.unlink()
            state.write_text(json.dumps({"next": n}))
            if report.skipped:
                print("  skipped:", report.skipped, file=sys.stderr)
            print(f"  {stores.register.count_chunks()} passages", end="\r", file=sys.stderr)
    return {"next": n, "pages": pages, "seconds": seconds}


# -- the server and its clients ----------------------------------------------------------------
class Server:
    def __init__(self, data: Path, workers: int) -> None:
        self.port = _free_port()
        env = os.environ | {
            "REVIEW_ASSISTANT_DATA_DIR": str(data),
            "REVIEW_ASSISTANT_AGENCIES": str(AGENCIES),
            "API_KEYS": "",
        }
        cli = str(Path(sys.executable).parent / "review-assistant")
        command = [cli, "serve", "--port", str(self.port)]
        if workers > 1:
            command += ["--workers", str(workers)]
        self.process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.url = f"http://127.0.0.1:{self.port}"
        self.peak_rss = 0
        self._stop = threading.Event()
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/ready", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            raise RuntimeError("the server did not become ready")
        threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        root = psutil.Process(self.process.pid)
        while not self._stop.wait(0.2):
            try:
                family = [root, *root.children(recursive=True)]
                self.peak_rss = max(self.peak_rss, sum(_rss(p) for p in family))
            except psutil.Error:
                return

    def stop(self) -> None:
        self._stop.set()
        self.process.terminate()
        self.process.wait(60)


def _rss(process: psutil.Process) -> int:
    try:
        return process.memory_info().rss
    except psutil.Error:
        return 0


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def questions() -> list[str]:
    return [json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines() if line]


def load(url: str, clients: int, seconds: float, route: str, stop: threading.Event | None = None):
    """`clients` threads POSTing questions for `seconds` (or until `stop`); latencies in ms."""
    asked = questions()
    timings: list[float] = []
    errors: list[str] = []
    until = time.monotonic() + seconds

    def client(offset: int) -> None:
        with httpx.Client(base_url=url, timeout=120) as http:
            i = offset
            while time.monotonic() < until and not (stop and stop.is_set()):
                question = asked[i % len(asked)]
                body = {"query": question, "k": 5} if route == "/search" else {"question": question}
                started = time.perf_counter()
                try:
                    response = http.post(route, json=body)
                    if response.status_code != 200:
                        errors.append(str(response.status_code))
                except httpx.HTTPError as exc:
                    errors.append(type(exc).__name__)
                timings.append((time.perf_counter() - started) * 1000)
                i += 7

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "p50": statistics.median(timings) if timings else 0.0,
        "p95": percentile(timings, 0.95),
        "rps": len(timings) / elapsed,
        "requests": len(timings),
        "errors": len(errors),
    }


def upload_under_load(server: Server, variants: Variants, n: int, work: Path) -> dict:
    """One 20-page PDF uploaded while a client searches: seconds until a search finds it."""
    marker = f"zq{random.Random(n).randrange(10**8):08d}marker"
    text = variants.text(n).replace("\n", f"\nThe {marker} team kept notes.\n", 1)
    path = work / f"upload-{n}.pdf"
    pages = typeset(text, path, pages=20)
    stop = threading.Event()
    during: dict = {}
    loader = threading.Thread(
        target=lambda: during.update(load(server.url, 1, 600, "/search", stop))
    )
    loader.start()
    time.sleep(2)
    started = time.perf_counter()
    with httpx.Client(base_url=server.url, timeout=120) as http:
        with path.open("rb") as file:
            response = http.post("/documents", files={"file": (path.name, file, "application/pdf")})
        job = response.json().get("job_id")
        while job and http.get(f"/jobs/{job}").json()["state"] not in ("done", "failed"):
            time.sleep(0.2)
        accepted = time.perf_counter() - started
        found = None
        while time.perf_counter() - started < 300:
            hits = http.post("/search", json={"query": marker, "k": 3}).json()["results"]
            if any(h["document"] == path.name for h in hits):
                found = time.perf_counter() - started
                break
            time.sleep(0.2)
    stop.set()
    loader.join()
    return {"pages": pages, "status": response.status_code, "done_s": accepted,
            "searchable_s": found, "search_during": during}  # fmt: skip


def disk_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def run(args) -> None:
    data = Path(args.data or tempfile.mkdtemp(prefix="scale-")) / "data"
    work = data.parent / "work"
    work.mkdir(parents=True, exist_ok=True)
    variants = Variants()
    state_file = data.parent / "state.json"
    state = json.loads(state_file.read_text()) if state_file.exists() else {"next": 0}
    rows = []
    for target in args.passages:
        stores = Stores(Settings(REVIEW_ASSISTANT_DATA_DIR=data).store)
        grown = grow(stores, variants, target, state["next"], work, state_file)
        passages = stores.register.count_chunks()
        documents = len(stores.register.documents())
        stores.close()
        state["next"] = grown["next"]
        state_file.write_text(json.dumps(state))
        server = Server(data, args.workers)
        try:
            row = {"passages": passages, "documents": documents}
            row["ingest_pages_per_s"] = grown["pages"] / max(grown["seconds"], 1e-9)
            for clients in args.clients:
                row[f"search_{clients}"] = load(server.url, clients, args.seconds, "/search")
                row[f"ask_{clients}"] = load(server.url, clients, args.seconds, "/ask")
            # a copy never ingested before (a repeated run must not find it unchanged)
            row["upload"] = upload_under_load(server, variants, 10**6 + int(time.time()), work)
            if args.soak:
                row["soak_16"] = load(server.url, 16, args.soak, "/search")
            row["peak_rss_mb"] = server.peak_rss / 2**20
        finally:
            server.stop()
        row["disk_mb_per_1k"] = disk_bytes(data) / 2**20 / (row["passages"] / 1000)
        rows.append(row)
        print(json.dumps(row), flush=True)
    print_table(rows, args.clients)
    if not args.data:
        shutil.rmtree(data.parent, ignore_errors=True)


def print_table(rows: list[dict], clients: list[int]) -> None:
    def ms(figure: dict) -> str:
        return f"{figure['p50']:.0f} / {figure['p95']:.0f} ms, {figure['rps']:.1f}/s" + (
            f", {figure['errors']} errors" if figure["errors"] else ""
        )

    print("\n| passages | " + " | ".join(str(r["passages"]) for r in rows) + " |")
    print("|---|" + "---|" * len(rows))

    def line(label: str, cell) -> None:
        print(f"| {label} | " + " | ".join(cell(r) for r in rows) + " |")

    line("documents", lambda r: str(r["documents"]))
    line("ingest while building, text-layer pages/s", lambda r: f"{r['ingest_pages_per_s']:.1f}")
    for c in clients:
        line(f"search p50 / p95, {c} client(s)", lambda r, c=c: ms(r[f"search_{c}"]))
    for c in clients:
        line(f"/ask p50 / p95, {c} client(s)", lambda r, c=c: ms(r[f"ask_{c}"]))
    line(
        "20-page upload: searchable after",
        lambda r: f"{r['upload']['searchable_s']:.1f} s (HTTP {r['upload']['status']})",
    )
    line("search p50 / p95 during it", lambda r: ms(r["upload"]["search_during"]))
    if "soak_16" in rows[0]:
        line("16 clients, soak", lambda r: ms(r["soak_16"]) + f" ({r['soak_16']['requests']} req)")
    line("server peak RSS", lambda r: f"{r['peak_rss_mb']:.0f} MB")
    line("disk per 1k passages", lambda r: f"{r['disk_mb_per_1k']:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passages", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--seconds", type=float, default=20, help="per load level")
    parser.add_argument("--soak", type=float, default=0, help="16 clients for this long")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers")
    parser.add_argument("--data", help="keep the library here (and grow it on the next run)")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
