"""Hostile files and requests against a real `review-assistant serve` (a benchmark, not a test).

    python benchmarks/attacks.py

Starts the server on 127.0.0.1 with API keys and one small document, sends each attack, and
prints a table: what was sent, the status and message, the time to answer, the server's peak
resident memory while it ran, and whether the server still answers /health afterwards.
"""

from __future__ import annotations

import contextlib
import io
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.documents import (  # noqa: E402
    RESPONSE_TEXT,
    docx_file,
    huge_page_pdf,
    many_paragraphs_docx,
)

KEY = "bench-key"
AUTH = {"Authorization": f"Bearer {KEY}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PeakMemory:
    """The largest resident memory of a process and its children while the block runs."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._running = True

    def _rss(self) -> int:
        total = 0
        for proc in [self.process, *self.process.children(recursive=True)]:
            with contextlib.suppress(psutil.NoSuchProcess):
                total += proc.memory_info().rss
        return total

    def _watch(self) -> None:
        while self._running:
            self.peak = max(self.peak, self._rss())
            time.sleep(0.02)

    def __enter__(self) -> PeakMemory:
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._running = False
        self._thread.join()


def zip_bomb(path: Path, gigabytes: float) -> Path:
    docx_file(path)
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/padding.bin", "w", force_zip64=True) as member,
    ):
        block = b"\0" * 10_000_000
        for _ in range(int(gigabytes * 100)):
            member.write(block)
    return path


def image_pages_pdf(path: Path, pages: int) -> Path:
    """Many pages, each only an image: a scan that would need OCR on every page."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (200, 100), 255)
    for x in range(20, 180):
        image.putpixel((x, 50), 0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    reader = ImageReader(io.BytesIO(buffer.getvalue()))
    pdf = canvas.Canvas(str(path))
    for _ in range(pages):
        pdf.drawImage(reader, 100, 500, width=200, height=100)
        pdf.showPage()
    pdf.save()
    return path


def raw_request(port: int, head: bytes) -> tuple[str, float]:
    """Send only a request's headers; the status line must come back without the body."""
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        reply = sock.recv(4096).split(b"\r\n", 1)[0].decode()
    return reply, time.perf_counter() - started


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="ra-attacks-"))
    port = free_port()
    env = dict(os.environ, REVIEW_ASSISTANT_DATA_DIR=str(work / "data"), API_KEYS=KEY)
    cli = str(Path(sys.executable).with_name("review-assistant"))
    (work / "child-q.txt").write_text(RESPONSE_TEXT)
    subprocess.run([cli, "ingest", "--quiet", str(work / "child-q.txt")], env=env, check=True)
    server = subprocess.Popen(
        [cli, "serve", "--port", str(port)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    client = httpx.Client(base_url=base, timeout=900)
    for _ in range(300):
        try:
            if client.get("/health").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)

    print("building hostile files…", flush=True)
    files = {
        "one 14400×14400 pt page": ("huge.pdf", huge_page_pdf(work / "huge.pdf").read_bytes()),
        "DOCX zip bomb (1 GB unzipped)": (
            "bomb.docx",
            zip_bomb(work / "bomb.docx", 1).read_bytes(),
        ),
        "PDF of 10,000 image-only pages": (
            "scan.pdf",
            image_pages_pdf(work / "scan.pdf", 10_000).read_bytes(),
        ),
        "DOCX of 400k empty paragraphs": (
            "empty.docx",
            many_paragraphs_docx(work / "empty.docx", 400_000).read_bytes(),
        ),
        "HTML of 740 KB (20k list items)": (
            "big.html",
            (
                "<html><body><ul>"
                + "".join(f"<li><b>Team {i}</b> met on the plan.</li>" for i in range(20_000))
                + "</ul></body></html>"
            ).encode(),
        ),
        "executable renamed .pdf": ("tool.pdf", b"\x7fELF\x02\x01\x01" + b"\0" * 5000),
        "encrypted-looking garbage PDF": ("x.pdf", b"%PDF-1.7\n" + os.urandom(20000)),
    }
    rows = []

    def attack(name: str, send) -> None:
        with PeakMemory(server.pid) as memory:
            started = time.perf_counter()
            status, message = send()
            seconds = time.perf_counter() - started
        alive = client.get("/health").status_code == 200
        rows.append((name, status, message[:70], seconds, memory.peak / 1e6, alive))
        print(f"  {name}: {status} in {seconds:.2f} s", flush=True)

    def upload(name: str, data: bytes, path: str = "/documents", headers=AUTH):
        def send():
            response = client.post(path, files={"file": (name, data)}, headers=headers)
            body = response.json()
            if response.status_code == 202:  # a background job: wait for its outcome
                job = body
                while job["state"] not in ("done", "failed"):
                    time.sleep(0.2)
                    job = client.get(f"/jobs/{job['job_id']}", headers=AUTH).json()
                return f"202→{job['state']}", job.get("error") or str(job.get("outcome"))
            return response.status_code, body.get("error", {}).get("message", body.get("status"))

        return send

    for label, (name, data) in files.items():
        attack(label, upload(name, data))
    attack(
        "unauthenticated 200 MB upload (headers only)",
        lambda: (
            raw_request(
                port,
                (
                    b"POST /documents HTTP/1.1\r\nHost: x\r\n"
                    b"Content-Type: multipart/form-data; boundary=b\r\n"
                    b"Content-Length: 200000000\r\n\r\n"
                ),
            )[0],
            "answered before the body",
        ),
    )
    attack(
        "authenticated 300 MB JSON (headers only)",
        lambda: (
            raw_request(
                port,
                (
                    b"POST /ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    b"Authorization: Bearer "
                    + KEY.encode()
                    + b"\r\nContent-Length: 300000000\r\n\r\n"
                ),
            )[0],
            "answered before the body",
        ),
    )
    changed = RESPONSE_TEXT.replace("log of births", "birth register").encode()
    attack("same name, new content", upload("child-q.txt", changed))
    attack("../child-q.txt", upload("../child-q.txt", changed))
    attack("same content, second name", upload("copy.txt", RESPONSE_TEXT.encode()))
    attack(
        "cross-origin form POST",
        upload("evil.txt", changed, headers=AUTH | {"Origin": "https://evil.example"}),
    )
    attack(
        "unknown review + recommendation filter",
        lambda: (
            (
                r := client.post(
                    "/ask",
                    headers=AUTH,
                    json={
                        "question": "what was done?",
                        "filters": {"review": "Child Z", "recommendation": "3"},
                    },
                )
            ).status_code,
            r.json()["answer"],
        ),
    )
    attack(
        "wrong key",
        lambda: (
            (r := client.get("/reviews", headers={"Authorization": "Bearer nope"})).status_code,
            r.json()["error"]["message"],
        ),
    )
    server.terminate()
    server.wait(timeout=30)

    print()
    print("| attack | status | message | time | server peak RSS | alive after |")
    print("|---|---|---|---|---|---|")
    for name, status, message, seconds, peak, alive in rows:
        print(
            f"| {name} | {status} | {message} | {seconds:.2f} s | {peak:.0f} MB | "
            f"{'yes' if alive else 'NO'} |"
        )


if __name__ == "__main__":
    main()
