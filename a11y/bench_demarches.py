"""Benchmark (not a test): N complete démarches over HTTP, C at a time, against gunicorn.

    python -m a11y.bench_demarches [--requests 100] [--concurrency 20] [--workers 4]

Starts gunicorn on a throw-away SQLite database on 127.0.0.1, walks every démarche like a
person with JS off, and prints throughput and p50/p95 latency of each step's POST.
"""
import argparse
import http.cookiejar
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


class HttpResponse:
    """The part of Flask's test response the walker reads."""

    def __init__(self, status: int, headers, body: bytes):
        self.status_code = status
        self.headers = headers
        self._body = body

    def get_data(self, as_text: bool = False):
        return self._body.decode("utf-8") if as_text else self._body


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class HttpClient:
    """A browser without JS: cookies kept, redirects not followed, timings recorded per step."""

    def __init__(self, base_url: str, timings: dict):
        self.base_url = base_url
        self.timings = timings
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirect)

    def _send(self, request: urllib.request.Request) -> HttpResponse:
        try:
            with self.opener.open(request, timeout=30) as response:
                return HttpResponse(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return HttpResponse(error.code, error.headers, error.read())

    def get(self, path: str) -> HttpResponse:
        return self._send(urllib.request.Request(self.base_url + path))

    def post(self, path: str, data: dict, content_type: str | None = None) -> HttpResponse:
        body, header = _multipart(data) if content_type == "multipart/form-data" else (
            urllib.parse.urlencode(data).encode(), "application/x-www-form-urlencoded")
        request = urllib.request.Request(self.base_url + path, data=body, headers={"Content-Type": header})
        started = time.perf_counter()
        response = self._send(request)
        self.timings[_step_name(path)].append(time.perf_counter() - started)
        return response


def _step_name(path: str) -> str:
    parts = path.split("?")[0].strip("/").split("/")
    return "/".join(parts[1:4]) if len(parts) > 2 else path


def _multipart(data: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    chunks = []
    for name, value in data.items():
        if isinstance(value, tuple):
            stream, filename = value
            chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                          f"Content-Type: application/octet-stream\r\n\r\n".encode() + stream.read() + b"\r\n")
        else:
            chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped at start")
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


def start_gunicorn(environment: dict, workers: int = 1) -> tuple[subprocess.Popen, str]:
    """gunicorn on a free port of 127.0.0.1 with this environment; returns once it answers /healthz."""
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--bind",
                               f"127.0.0.1:{port}", "--workers",
                               str(workers), "--threads", "4", "--log-level", "warning", "wsgi:app"],
                              cwd=REPO, env=environment)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base_url, server)
    except RuntimeError:
        stop(server)
        raise
    return server, base_url


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=10)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=100, help="complete démarches to submit")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    args = parser.parse_args()

    from guichet.db.bootstrap import ready_app
    from guichet.demarches.catalogue import catalogue

    from .walker import submit, walk_to_check

    folder = tempfile.mkdtemp(prefix="guichet-bench-")
    database_url = f"sqlite:///{folder}/bench.sqlite3"
    app = ready_app(database_url)
    with app.app_context():
        demarches = catalogue().all()
    environment = dict(os.environ, DATABASE_URL=database_url, UPLOAD_DIR=f"{folder}/uploads",
                       GUICHET_ENV="development")
    server, base_url = start_gunicorn(environment, args.workers)
    timings: dict[str, list[float]] = defaultdict(list)
    lock = threading.Lock()
    failures = []
    try:
        def one(index: int) -> None:
            local: dict[str, list[float]] = defaultdict(list)
            client = HttpClient(base_url, local)
            demarche = demarches[index % len(demarches)]
            try:
                response = submit(client, demarche, walk_to_check(client, demarche))
                if response.status_code != 302:
                    failures.append(f"{demarche.slug}: submit answered {response.status_code}")
            except Exception as error:  # a benchmark reports failures, it does not stop at the first
                failures.append(f"{demarche.slug}: {error!r}")
            with lock:
                for step, values in local.items():
                    timings[step].extend(values)

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            list(pool.map(one, range(args.requests)))
        elapsed = time.perf_counter() - started
    finally:
        stop(server)

    all_posts = [value for values in timings.values() for value in values]
    print(f"{args.requests} démarches, concurrency {args.concurrency}, {args.workers} gunicorn workers, SQLite")
    print(f"{elapsed:.1f} s, {args.requests / elapsed:.1f} démarches/s, {len(all_posts) / elapsed:.0f} POST/s, "
          f"{len(failures)} failure(s)")
    print(f"{'step (POST)':<55} {'n':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for step in sorted(timings):
        values = timings[step]
        print(f"{step[:55]:<55} {len(values):>5} {statistics.median(values) * 1000:>8.1f} "
              f"{percentile(values, 0.95) * 1000:>8.1f}")
    print(f"{'all steps':<55} {len(all_posts):>5} {statistics.median(all_posts) * 1000:>8.1f} "
          f"{percentile(all_posts, 0.95) * 1000:>8.1f}")
    for failure in failures[:10]:
        print("FAILED", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
