"""A local EDGAR test server: serves a mirror directory in SEC's URL layout on 127.0.0.1, like SEC would.

Both SEC hosts are served path for path from one root (``/Archives/...`` is www.sec.gov, ``/submissions/...``
is data.sec.gov), so ``IMH_SEC_WWW_URL`` and ``IMH_SEC_DATA_URL`` both point at :attr:`EdgarTestServer.url`.
The mirror layout is described in docs/edgar.md.

Besides serving files it can

* emulate SEC's throttling: above ``throttle_rps`` requests in any one-second window it answers every request
  with 429 or the 403 "Request Rate Threshold Exceeded" page for ``block_seconds`` (each request during the
  block extends it, as SEC's does);
* inject faults at configured rates from a seed (5xx, connection resets, truncated bodies, stalls), or
  scripted per path (:meth:`EdgarTestServer.inject`);
* count requests per path and per second so tests and benchmarks can assert what the client did.

Usage::

    with EdgarTestServer(mirror_dir, throttle_rps=10) as server:
        settings = load_settings(**server.settings_overrides())

    python -m edgar.testserver MIRROR_DIR --port 8765 [--throttle-rps 10 --block-seconds 600]
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import random
import socket
import struct
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

# SEC's 403 page as described in edgar.md §f (title verbatim, body abbreviated).
THRESHOLD_PAGE = (
    b"<!DOCTYPE html><html><head><title>SEC.gov | Request Rate Threshold Exceeded</title></head><body>"
    b"<h1>Your Request Rate Threshold Exceeded</h1><p>To allow for equitable access to all users, SEC "
    b"reserves the right to limit requests originating from undeclared automated tools. Your request has "
    b"been identified as part of a network of automated tools outside of the acceptable policy and will be "
    b"managed until action is taken to declare your traffic.</p><p>Once the rate of requests has dropped "
    b"below the threshold for 10 minutes, the user may resume accessing content on SEC.gov.</p></body></html>"
)
UNDECLARED_TOOL_PAGE = (
    b"<!DOCTYPE html><html><head><title>SEC.gov | Your Request Originates from an Undeclared Automated Tool"
    b"</title></head><body><p>Please declare your traffic by updating your user agent to include company "
    b"specific information.</p></body></html>"
)
FAULT_KINDS = ("error", "reset", "truncate", "stall")

_CONTENT_TYPES = {
    ".json": "application/json",
    ".txt": "text/plain",
    ".idx": "text/plain",
    ".htm": "text/html",
    ".html": "text/html",
    ".xml": "application/xml",
}


@dataclass
class FaultConfig:
    """Random faults, decided per request by one seeded generator (reproducible for one request order)."""

    error_rate: float = 0.0  # answer 500/502/503
    reset_rate: float = 0.0  # close the connection with a TCP RST before answering
    truncate_rate: float = 0.0  # send the full Content-Length header but only half of the body
    stall_rate: float = 0.0  # wait ``stall_seconds`` before answering (client read timeout)
    stall_seconds: float = 2.0
    seed: int = 0
    path_prefix: str = "/"  # only requests under this path are eligible (e.g. "/Archives/edgar/data/")


def max_in_window(times: Sequence[float], window: float = 1.0) -> int:
    """Most events within any ``window`` seconds of each other (sliding, closed window)."""
    ordered = sorted(times)
    best = 0
    for i, start in enumerate(ordered):
        best = max(best, bisect.bisect_right(ordered, start + window) - i)
    return best


@dataclass
class ServerStats:
    """What the server saw; all times are ``time.monotonic()`` of the server process."""

    arrivals: list[float] = field(default_factory=list)
    paths: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    throttle_responses: int = 0
    # (arrival, start of the block it arrived in) of each request that arrived while blocked
    block_arrivals: list[tuple[float, float]] = field(default_factory=list)
    user_agents: Counter[str] = field(default_factory=Counter)
    events: list[tuple[float, str, int]] = field(default_factory=list)  # (arrival, path, status); 0 = reset

    @property
    def requests_during_block(self) -> int:
        return len(self.block_arrivals)

    def arrivals_between(self, start: float, end: float) -> int:
        return sum(1 for t in self.arrivals if start < t < end)

    def first_throttle_at(self) -> float | None:
        return next((t for t, _, status in self.events if status in (403, 429)), None)

    @property
    def total(self) -> int:
        return len(self.arrivals)

    def max_in_window(self, window: float = 1.0) -> int:
        """Most requests that arrived within any ``window`` seconds (a sliding, closed window)."""
        return max_in_window(self.arrivals, window)

    def per_second(self) -> list[int]:
        """Requests per whole second since the first request."""
        if not self.arrivals:
            return []
        first = min(self.arrivals)
        counts = Counter(int(t - first) for t in self.arrivals)
        return [counts.get(i, 0) for i in range(max(counts) + 1)]

    def achieved_rate(self) -> float:
        if len(self.arrivals) < 2:
            return 0.0
        return (len(self.arrivals) - 1) / (max(self.arrivals) - min(self.arrivals))


class EdgarTestServer:
    def __init__(
        self,
        mirror_dir: str | Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        throttle_rps: float | None = None,
        block_seconds: float = 600.0,
        throttle_status: int = 429,
        faults: FaultConfig | None = None,
        conditional: bool = True,
        require_user_agent: bool = True,
    ) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the EDGAR test server only listens on loopback")
        self.mirror_dir = Path(mirror_dir).resolve()
        self.throttle_rps = throttle_rps
        self.block_seconds = block_seconds
        self.throttle_status = throttle_status
        self.faults = faults or FaultConfig()
        self.conditional = conditional
        self.require_user_agent = require_user_agent
        self.stats = ServerStats()
        self._lock = threading.Lock()
        self._recent: deque[float] = deque()
        self._blocked_until = 0.0
        self._block_started = 0.0
        self._rng = random.Random(self.faults.seed)
        self._script: dict[str, deque[str]] = {}
        self._httpd = ThreadingHTTPServer((host, port), _make_handler(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    # --- lifecycle ---
    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def settings_overrides(self) -> dict[str, Any]:
        """Keyword arguments for ``load_settings`` that point both SEC hosts at this server."""
        return {"sec_www_url": self.url, "sec_data_url": self.url}

    def start(self) -> EdgarTestServer:
        # a short poll interval makes stop() return at once instead of after up to half a second
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="edgar-testserver",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> EdgarTestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- control ---
    def inject(self, path: str, *kinds: str) -> None:
        """Script the next requests of ``path``: each kind (error, reset, truncate, stall, throttle, 404) is
        used once, in order, then the path is served normally."""
        for kind in kinds:
            if kind not in (*FAULT_KINDS, "throttle", "404"):
                raise ValueError(f"unknown fault kind {kind!r}")
        with self._lock:
            self._script.setdefault(path, deque()).extend(kinds)

    def reset_stats(self) -> None:
        with self._lock:
            self.stats = ServerStats()

    def unblock(self) -> None:
        with self._lock:
            self._blocked_until = 0.0
            self._recent.clear()

    @property
    def blocked(self) -> bool:
        return time.monotonic() < self._blocked_until

    # --- decisions, under the lock ---
    def _admit(self, path: str, user_agent: str, now: float) -> str | None:
        """Record the request; return the fault/throttle to apply, or None to serve it."""
        with self._lock:
            fault = self._decide(path, user_agent, now)
            if fault == "throttle":
                self.stats.throttle_responses += 1
            elif fault:
                self.stats.faults[fault] += 1
            return fault

    def _decide(self, path: str, user_agent: str, now: float) -> str | None:
        self.stats.arrivals.append(now)
        self.stats.paths[path] += 1
        self.stats.user_agents[user_agent] += 1
        if now < self._blocked_until:
            self.stats.block_arrivals.append((now, self._block_started))
            self._blocked_until = now + self.block_seconds
            return "throttle"
        if self.throttle_rps is not None:
            self._recent.append(now)
            while self._recent and self._recent[0] < now - 1.0:
                self._recent.popleft()
            if len(self._recent) > self.throttle_rps:
                self._blocked_until, self._block_started = now + self.block_seconds, now
                return "throttle"
        scripted = self._script.get(path)
        if scripted:
            kind = scripted.popleft()
            if kind == "throttle":
                self._blocked_until, self._block_started = now + self.block_seconds, now
            return kind
        f = self.faults
        if path.startswith(f.path_prefix):
            roll = self._rng.random()
            for kind, rate in (
                ("error", f.error_rate),
                ("reset", f.reset_rate),
                ("truncate", f.truncate_rate),
                ("stall", f.stall_rate),
            ):
                if roll < rate:
                    return kind
                roll -= rate
        return None

    def _count_undeclared(self) -> None:
        with self._lock:
            self.stats.throttle_responses += 1

    def _record(self, arrival: float, path: str, status: int) -> None:
        with self._lock:
            self.stats.events.append((arrival, path, status))
            self.stats.statuses[status] += 1

    def resolve(self, url_path: str) -> Path | None:
        """The mirror file for a URL path, or None; never a path outside the mirror."""
        path = url_path.split("?", 1)[0]
        parts = [p for p in path.split("/") if p]
        if any(p in (".", "..") or "\\" in p for p in parts):
            return None
        candidate = self.mirror_dir.joinpath(*parts) if parts else self.mirror_dir
        # SEC also serves /Archives/edgar/data/<cik>/<accession>.txt (1996 filings are listed that way)
        if not candidate.is_file() and len(parts) == 5 and parts[:3] == ["Archives", "edgar", "data"]:
            accession = parts[4].removesuffix(".txt")
            candidate = self.mirror_dir.joinpath(*parts[:4], accession.replace("-", ""), parts[4])
        try:
            resolved = candidate.resolve()
        except OSError:
            return None
        if not resolved.is_file() or not resolved.is_relative_to(self.mirror_dir):
            return None
        return resolved


def _make_handler(server: EdgarTestServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "EdgarTestServer/1"
        # headers and body go out in two writes; with Nagle on, the body waited for a delayed ACK (~40 ms)
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            user_agent = self.headers.get("User-Agent", "")
            self._arrival = time.monotonic()
            self._path = path
            fault = server._admit(path, user_agent, self._arrival)
            if fault == "throttle":
                return self._throttle()
            if fault == "404":
                return self._send(404, b"Not Found", "text/plain")
            if server.require_user_agent and "@" not in user_agent:
                server._count_undeclared()
                return self._send(403, UNDECLARED_TOOL_PAGE, "text/html")
            if fault == "reset":
                server._record(self._arrival, path, 0)
                return self._reset()
            if fault == "error":
                return self._send(503, b"Service Unavailable", "text/plain")
            if fault == "stall":
                time.sleep(server.faults.stall_seconds)
            file = server.resolve(path)
            if file is None:
                return self._send(404, b"Not Found", "text/plain")
            body = file.read_bytes()
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            mtime = file.stat().st_mtime
            extra = {"ETag": etag, "Last-Modified": formatdate(mtime, usegmt=True)}
            if server.conditional and self._not_modified(etag, mtime):
                return self._send(304, b"", None, extra)
            content_type = _CONTENT_TYPES.get(file.suffix.lower(), "application/octet-stream")
            if fault == "truncate":
                return self._send(200, body, content_type, extra, cut=max(1, len(body) // 2))
            return self._send(200, body, content_type, extra)

        def _not_modified(self, etag: str, mtime: float) -> bool:
            if_none_match = self.headers.get("If-None-Match")
            if if_none_match:
                return etag in [t.strip() for t in if_none_match.split(",")]
            since = self.headers.get("If-Modified-Since")
            if since:
                try:
                    return int(mtime) <= parsedate_to_datetime(since).timestamp()
                except (TypeError, ValueError):
                    return False
            return False

        def _throttle(self) -> None:
            if server.throttle_status == 429:
                self._send(429, b"Too Many Requests", "text/plain")
            else:
                self._send(403, THRESHOLD_PAGE, "text/html")

        def _send(
            self,
            status: int,
            body: bytes,
            content_type: str | None,
            extra: dict[str, str] | None = None,
            cut: int | None = None,
        ) -> None:
            server._record(self._arrival, self._path, status)
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            if cut is not None:
                self.send_header("Connection", "close")
            self.end_headers()
            try:
                self.wfile.write(body[:cut] if cut is not None else body)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True
                return
            if cut is not None:
                self.close_connection = True

        def _reset(self) -> None:
            # SO_LINGER with a zero timeout makes close() send RST: the client sees "connection reset by peer"
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True

    return Handler


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m edgar.testserver", description=__doc__.split("\n\n")[0])
    parser.add_argument("mirror_dir", type=Path)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--throttle-rps", type=float, default=None, help="throttle above this many req/s")
    parser.add_argument("--block-seconds", type=float, default=600.0)
    parser.add_argument("--throttle-status", type=int, choices=(403, 429), default=429)
    parser.add_argument("--error-rate", type=float, default=0.0)
    parser.add_argument("--reset-rate", type=float, default=0.0)
    parser.add_argument("--truncate-rate", type=float, default=0.0)
    parser.add_argument("--stall-rate", type=float, default=0.0)
    parser.add_argument("--stall-seconds", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if not args.mirror_dir.is_dir():
        print(f"error: mirror directory {args.mirror_dir} does not exist", file=sys.stderr)
        return 2
    faults = FaultConfig(
        error_rate=args.error_rate,
        reset_rate=args.reset_rate,
        truncate_rate=args.truncate_rate,
        stall_rate=args.stall_rate,
        stall_seconds=args.stall_seconds,
        seed=args.seed,
    )
    server = EdgarTestServer(
        args.mirror_dir,
        port=args.port,
        throttle_rps=args.throttle_rps,
        block_seconds=args.block_seconds,
        throttle_status=args.throttle_status,
        faults=faults,
    )
    print(f"serving {server.mirror_dir} at {server.url}", flush=True)
    print(f"  IMH_SEC_WWW_URL={server.url} IMH_SEC_DATA_URL={server.url}", flush=True)
    try:
        server._httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server._httpd.server_close()
        stats = server.stats
        print(
            f"{stats.total} requests, max {stats.max_in_window()} in any second, "
            f"{stats.throttle_responses} throttled",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
