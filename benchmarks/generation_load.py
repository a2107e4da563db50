"""What waits while a model generates: /ask walls against LLM_TIMEOUT, and /health meanwhile.

    python benchmarks/generation_load.py --data DIR --llm-url http://127.0.0.1:8080/v1 \
        [--llm-model M] [--llm-timeout 30] [--questions 10]

Starts `review-assistant serve` on a free loopback port with the model configured, asks the
first N questions of benchmarks/questions.jsonl one after another while a second thread calls
/health every 0.2 s, and prints: the longest /ask wall and how many exceeded LLM_TIMEOUT + 1 s,
and /health p50/p95/max (and how many took over 100 ms) while the model was generating.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from bench import ROOT, percentile

from review_assistant.evaluation import load_questions


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--llm-url", required=True)
    parser.add_argument("--llm-model", default="local")
    parser.add_argument("--llm-timeout", type=float, default=30.0)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument(
        "--agencies", type=Path, default=ROOT / "examples" / "southampton-hampshire-agencies.yaml"
    )
    args = parser.parse_args()

    port = free_port()
    env = {
        **os.environ,
        "REVIEW_ASSISTANT_DATA_DIR": str(args.data),
        "REVIEW_ASSISTANT_AGENCIES": str(args.agencies),
        "LLM_BASE_URL": args.llm_url,
        "LLM_MODEL": args.llm_model,
        "LLM_TIMEOUT": str(args.llm_timeout),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "review_assistant.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=args.llm_timeout + 30) as client:
            for _ in range(600):
                try:
                    if client.get("/ready").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.5)
            questions = load_questions(ROOT / "benchmarks" / "questions.jsonl")[: args.questions]
            asking = threading.Event()
            done = threading.Event()
            health: list[float] = []

            def poll() -> None:
                with httpx.Client(base_url=base, timeout=10) as prober:
                    while not done.is_set():
                        started = time.perf_counter()
                        prober.get("/health").raise_for_status()
                        if asking.is_set():
                            health.append((time.perf_counter() - started) * 1000)
                        time.sleep(0.2)

            prober = threading.Thread(target=poll, daemon=True)
            prober.start()
            walls: list[float] = []
            answerers: list[str] = []
            for q in questions:
                asking.set()
                started = time.perf_counter()
                answer = client.post("/ask", json={"question": q.question}).json()
                walls.append(time.perf_counter() - started)
                asking.clear()
                answerers.append(answer.get("answerer", "?"))
            done.set()
            prober.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    late = sum(w > args.llm_timeout + 1 for w in walls)
    p95 = percentile(health, 0.95)
    print(
        f"/ask: {len(walls)} questions, longest wall {max(walls):.1f} s, "
        f"{late} over LLM_TIMEOUT + 1 s ({args.llm_timeout + 1:g} s); answered by "
        + ", ".join(f"{answerers.count(a)} {a}" for a in sorted(set(answerers)))
    )
    print(
        f"/health while /ask ran: {len(health)} calls, p50 {statistics.median(health):.1f} ms, "
        f"p95 {p95:.1f} ms, max {max(health):.1f} ms, {sum(h > 100 for h in health)} over 100 ms"
    )


if __name__ == "__main__":
    main()
