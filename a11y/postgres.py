"""A throw-away PostgreSQL server in a temporary directory: for the tests (tests/conftest.py) and the benchmarks."""
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def postgres_available() -> bool:
    return bool(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres_user(command: list[str]) -> list[str]:
    """initdb refuses to run as root: run the server as the `postgres` system user when we are root."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Start a server on a free local port, yield its URL, stop it and delete its files."""
    bin_dir = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))[-1]).parent
    # Not under a private temporary folder: the `postgres` user must be able to enter it.
    data_dir = Path(tempfile.mkdtemp(prefix="guichet-postgres-"))
    if os.geteuid() == 0:
        shutil.chown(data_dir, "postgres", "postgres")
    port = _free_port()
    subprocess.run(_as_postgres_user([str(bin_dir / "initdb"), "-D", str(data_dir / "data"), "-A", "trust",
                                      "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"]),
                   check=True, capture_output=True)
    subprocess.run(_as_postgres_user([str(bin_dir / "pg_ctl"), "-D", str(data_dir / "data"), "-w", "-l",
                                      str(data_dir / "server.log"), "-o",
                                      f"-p {port} -k {data_dir} -c listen_addresses=127.0.0.1", "start"]),
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres_user([str(bin_dir / "pg_ctl"), "-D", str(data_dir / "data"), "-m", "fast",
                                          "stop"]), capture_output=True)
        shutil.rmtree(data_dir, ignore_errors=True)


def on_each_database(choice: str, measure) -> list:
    """Benchmarks: `measure(app, label)` on a throw-away SQLite database and/or PostgreSQL ("sqlite",
    "postgresql" or "both"); returns their results one after the other."""
    from guichet.db.bootstrap import ready_app
    overrides = {"TESTING": True}
    results = []
    if choice in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            results += measure(ready_app(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", overrides), "SQLite")
    if choice in ("postgresql", "both"):
        if not postgres_available():
            print("PostgreSQL is not installed (Debian package postgresql): skipped")
        else:
            with throwaway_postgres() as url:
                results += measure(ready_app(url, overrides), "PostgreSQL")
    return results
