"""Benchmark (not a test): citizen pages against a bare Flask "hello", both under gunicorn.

    python -m a11y.bench_pages [--requests 2000] [--concurrency 20]
    BENCH_GUNICORN="--workers 4 --threads 1" python -m a11y.bench_pages   # other gunicorn settings, both sides

Starts gunicorn with `make run`'s settings (2 workers, 4 threads) for Guichet (throw-away SQLite
database, content loaded) and for a bare Flask "hello" (a11y/bench_hello.py), drives both with the
same small asyncio client (keep-alive connections, cookies kept per connection like a browser,
`Accept-Encoding: gzip, deflate, br`), and prints requests per second of each page, of hello, and
their ratio. Then the démarche step cycle: GET a step and POST its answers, the ratio of cycles per
second to hello's requests per second, and the p95 of the step POST.

Both servers run side by side in one run so they share the machine's load at that moment, and each
figure is measured in rounds that alternate with hello's (the ratio is of the sums), so a change of
load during the run weighs on both sides alike. Each page is first requested a few times: what is
measured is the steady state, a page rendered once per worker and content version then reused.
"""
import argparse
import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GUNICORN_SETTINGS = os.environ.get("BENCH_GUNICORN", "--workers 2 --threads 4").split()
ACCEPT_ENCODING = "gzip, deflate, br"
TOKEN_RE = re.compile(r'name="(?:[a-z]+-)?csrf_token"[^>]*value="([^"]+)"')
CYCLE_DEMARCHE = "changement-adresse"
ROUNDS = 10


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    cookies: dict[str, str]
    body: bytes


@dataclass
class Connection:
    """One keep-alive connection with its own cookies, like one browser tab."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    step: str | None = None
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None

    async def send(self, method: str, path: str, body: bytes = b"", content_type: str = "") -> Response:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", f"Accept-Encoding: {ACCEPT_ENCODING}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{name}={value}" for name, value in self.cookies.items()))
        if body or method == "POST":
            lines += [f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        response = await self._read()
        for name, value in response.cookies.items():
            if value:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        if response.headers.get("connection", "").lower() == "close":
            self.close()
        return response

    async def _read(self) -> Response:
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers, cookies = {}, {}
        for line in filter(None, header_lines):
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookie_name, _, rest = value.partition("=")
                cookie_value = rest.split(";")[0]
                expired = "max-age=0" in value.lower() or "1970" in value
                cookies[cookie_name] = "" if expired else cookie_value
            else:
                headers[name] = value
        if headers.get("transfer-encoding") == "chunked":
            body = await self._read_chunks()
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", 0)))
        return Response(int(status_line.split()[1]), headers, cookies, body)

    async def _read_chunks(self) -> bytes:
        chunks = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            chunks.append(await self.reader.readexactly(size + 2))
            if size == 0:
                return b"".join(chunk[:-2] for chunk in chunks)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass
class Result:
    done: int
    seconds: float
    latencies: list[float]
    failures: list[str]

    @property
    def rate(self) -> float:
        return self.done / self.seconds


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else float("nan")


async def _drive(port: int, total: int, concurrency: int, one) -> Result:
    """Run `one(connection, latencies)` `total` times over `concurrency` connections; count what succeeds."""
    latencies: list[float] = []
    failures: list[str] = []
    remaining = iter(range(total))

    async def worker() -> None:
        connection = Connection(port)
        for _ in remaining:
            try:
                await one(connection, latencies)
            except Exception as error:  # a benchmark counts failures, it does not stop at the first
                failures.append(repr(error))
                connection.close()
        connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    seconds = time.perf_counter() - started
    return Result(total - len(failures), seconds, latencies, failures)


def page_load(port: int, path: str, total: int, concurrency: int) -> Result:
    """`total` GETs of `path`, each connection keeping the cookies it is given (one warm-up GET first)."""
    async def one(connection: Connection, _latencies) -> None:
        response = await connection.send("GET", path)
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
    return asyncio.run(_drive(port, total, concurrency, one))


@dataclass
class Comparison:
    """One figure of Guichet and hello's, measured in alternating rounds."""

    measured: list[Result] = field(default_factory=list)
    hello: list[Result] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return sum(result.done for result in self.measured) / sum(result.seconds for result in self.measured)

    @property
    def hello_rate(self) -> float:
        return sum(result.done for result in self.hello) / sum(result.seconds for result in self.hello)

    @property
    def ratio(self) -> float:
        return self.rate / self.hello_rate

    @property
    def failures(self) -> list[str]:
        return [failure for result in self.measured + self.hello for failure in result.failures]

    @property
    def latencies(self) -> list[float]:
        return [latency for result in self.measured for latency in result.latencies]


def alternate(hello_port: int, total: int, concurrency: int, measure) -> Comparison:
    """`measure(count)` and hello in ROUNDS alternating rounds of total / ROUNDS requests each."""
    comparison = Comparison()
    count = max(concurrency, total // ROUNDS)
    for _ in range(ROUNDS):
        comparison.hello.append(page_load(hello_port, "/", count, concurrency))
        comparison.measured.append(measure(count))
    return comparison


def _token(body: bytes, headers: dict) -> str:
    if headers.get("content-encoding") == "br":
        import brotli
        body = brotli.decompress(body)
    elif headers.get("content-encoding") == "gzip":
        import gzip
        body = gzip.decompress(body)
    return TOKEN_RE.search(body.decode()).group(1)


def step_cycles(port: int, total: int, concurrency: int, slug: str, answers: dict) -> Result:
    """`total` cycles of GET a step then POST its answers; latencies are those of the POSTs."""
    async def one(connection: Connection, latencies: list[float]) -> None:
        step = connection.step
        if step is None:
            start = await connection.send("GET", f"/demarches/{slug}")
            body = urllib.parse.urlencode({"csrf_token": _token(start.body, start.headers)}).encode()
            started = await connection.send("POST", f"/demarches/{slug}/commencer", body,
                                            "application/x-www-form-urlencoded")
            step = urllib.parse.urlsplit(started.headers["location"]).path
        shown = await connection.send("GET", step)
        if shown.status != 200:
            raise RuntimeError(f"{step} answered {shown.status}")
        body = urllib.parse.urlencode({**answers, "csrf_token": _token(shown.body, shown.headers)}).encode()
        before = time.perf_counter()
        posted = await connection.send("POST", step, body, "application/x-www-form-urlencoded")
        latencies.append(time.perf_counter() - before)
        if posted.status != 302:
            raise RuntimeError(f"POST {step} answered {posted.status}")
        connection.step = step
    return asyncio.run(_drive(port, total, concurrency, one))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(target: str, environment: dict) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", *GUNICORN_SETTINGS,
                               "--log-level", "warning", target], cwd=REPO, env=environment)
    for _ in range(150):
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn {target} stopped at start")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return server, port
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"gunicorn {target} did not answer")


def stop(server: subprocess.Popen) -> None:
    """Ask gunicorn to stop; on a machine too busy to finish in 10 s, kill it."""
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def pages_and_cycle(database_url: str) -> tuple[list[str], dict]:
    """The citizen content pages to measure (one of each kind) and the answers of the cycled step."""
    from guichet.db.bootstrap import ready_app
    from guichet.demarches import flow
    from guichet.demarches.catalogue import catalogue
    from guichet.citizen.views.system import public_urls

    from .walker import page_data
    app = ready_app(database_url)
    with app.app_context():
        urls = public_urls()
        first_page = flow.all_pages(catalogue().get(CYCLE_DEMARCHE))[0]
    answers = {name: value for name, value in page_data(first_page, "").items() if name != "csrf_token"}

    def first(prefix: str) -> str:
        return next(url for url in urls if url.startswith(prefix) and not url.startswith("/glossaire/lettre/"))
    pages = ["/", first("/evenements/"), first("/fiches/"), "/glossaire", first("/glossaire/"),
             f"/demarches/{CYCLE_DEMARCHE}", "/aide"]
    return pages, answers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000, help="requests per page (and step cycles)")
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so `finally` stops both servers when killed

    folder = tempfile.mkdtemp(prefix="guichet-bench-pages-")
    database_url = f"sqlite:///{folder}/bench.sqlite3"
    pages, answers = pages_and_cycle(database_url)
    environment = dict(os.environ, DATABASE_URL=database_url, UPLOAD_DIR=f"{folder}/uploads",
                       GUICHET_ENV="development")
    guichet, guichet_port = start_gunicorn("wsgi:app", environment)
    try:
        hello, hello_port = start_gunicorn("a11y.bench_hello:app", environment)
    except RuntimeError:
        stop(guichet)
        raise
    failures = []
    try:
        print(f"gunicorn {' '.join(GUNICORN_SETTINGS)}; {args.requests} requests per line in {ROUNDS} rounds "
              f"alternating with as many of a bare Flask hello served the same way, concurrency {args.concurrency}, "
              f"keep-alive, cookies kept")
        print(f"{'page':<50} {'req/s':>8} {'hello':>8} {'ratio':>6}")
        for path in pages:
            page_load(guichet_port, path, args.concurrency * 2, args.concurrency)  # rendered once per worker
            result = alternate(hello_port, args.requests, args.concurrency,
                               lambda count, path=path: page_load(guichet_port, path, count, args.concurrency))
            failures += result.failures
            print(f"{path[:50]:<50} {result.rate:>8.0f} {result.hello_rate:>8.0f} {result.ratio:>6.2f}")
        step_cycles(guichet_port, args.concurrency * 2, args.concurrency, CYCLE_DEMARCHE, answers)
        cycles = alternate(hello_port, args.requests, args.concurrency,
                           lambda count: step_cycles(guichet_port, count, args.concurrency, CYCLE_DEMARCHE, answers))
        failures += cycles.failures
        print(f"{'step GET+POST cycle (' + CYCLE_DEMARCHE + ', first step)':<50} {cycles.rate:>8.0f} "
              f"{cycles.hello_rate:>8.0f} {cycles.ratio:>6.2f}   POST p50 "
              f"{percentile(cycles.latencies, 0.5) * 1000:.1f} ms, p95 {percentile(cycles.latencies, 0.95) * 1000:.1f} ms")
    finally:
        stop(guichet)
        stop(hello)
    for failure in failures[:10]:
        print("FAILED", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
