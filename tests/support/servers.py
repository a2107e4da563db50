"""Real servers the tests start on 127.0.0.1: PostgreSQL (Debian's packages) and Chroma."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.fake_http import free_port

INSTALL_POSTGRES = "apt-get install -y postgresql (Debian's package; .ci/run installs it)"


def wait_for_port(port: int, process: subprocess.Popen, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"{what} exited with {process.returncode}")
            time.sleep(0.2)
    process.kill()
    pytest.fail(f"{what} did not start in {seconds:.0f} s")


def _postgres_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


@contextmanager
def postgres_server(folder: Path) -> Iterator[str]:
    """initdb into `folder`, start postgres on a free loopback port; yield an admin URL.

    PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user
    the Debian package creates."""
    initdb, postgres = _postgres_bin("initdb"), _postgres_bin("postgres")
    if not (initdb and postgres):
        pytest.skip(f"PostgreSQL is not installed: {INSTALL_POSTGRES}")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed: pip install -e '.[dev]'")
    as_user: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser to drop to the postgres user")
        as_user = ["runuser", "-u", "postgres", "--"]
        folder.mkdir(parents=True, exist_ok=True)
        shutil.chown(folder, "postgres")
        for parent in folder.parents:  # the postgres user must be able to reach it
            if parent == Path(parent.anchor):
                break
            parent.chmod(parent.stat().st_mode | 0o011)
    cluster = folder / "cluster"
    subprocess.run(
        [*as_user, initdb, "-D", str(cluster), "-U", "review", "--auth=trust",
         "--locale=C", "--encoding=UTF8"],
        check=True, capture_output=True,
    )  # fmt: skip
    port = free_port()
    process = subprocess.Popen(
        [*as_user, postgres, "-D", str(cluster), "-p", str(port), "-h", "127.0.0.1",
         "-k", str(folder), "-c", "fsync=off", "-c", "max_connections=300"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port, process, "postgres")
        yield f"postgresql://review@127.0.0.1:{port}/postgres"
    finally:
        process.terminate()
        process.wait(timeout=30)


def fresh_database(admin_url: str) -> str:
    """A new empty database on the server; its URL."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


@contextmanager
def chroma_server(folder: Path) -> Iterator[int]:
    """`chroma run` on a free loopback port; yield the port."""
    executable = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    process = subprocess.Popen(
        [executable, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port, process, "chroma server")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def api_server(env: dict, workers: int = 1) -> Iterator[str]:
    """`review-assistant serve` on a free loopback port with `env`; yield its base URL once it
    answers (uvicorn answers only after the app's startup, stores opened)."""
    import httpx

    port = free_port()
    command = [str(Path(sys.executable).with_name("review-assistant")), "serve", "--port",
               str(port), "--workers", str(workers)]  # fmt: skip
    process = subprocess.Popen(
        command, env=dict(os.environ, **env), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(url + "/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None:
                pytest.fail(f"serve exited: {process.stderr.read().decode()[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail("serve did not become ready")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=60)
