"""HTTP throughput and latency of the app under wrk on loopback, against the bare stack's minimal endpoint served by
the same gunicorn with the same workers (the baseline, measured in the same run).

    python bench/http_load.py [--server gthread:2x4] [--server sync:2 ...] [--connections 64] [--duration 20] \\
        [--dossiers 500000] [--agencies 20] [--reuse] [--keep] \\
        [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--redis redis://127.0.0.1:6379/12]

Builds a dedicated PostgreSQL database (helper_c_http: migrated, administrative units, holidays, the demo province,
then --dossiers synthetic dossiers in --agencies People's Committees, VACUUM ANALYZE) and collects the static files
(var/bench_http/), unless --reuse finds it already filled; drops it at the end unless --keep. Redis (its database
flushed before and after) is the cache and the broker, as in production; DEBUG is off. For each --server
(`sync:N` = N sync workers, `gthread:NxT` = N workers of T threads; default gthread:2x4, one worker per core with
threads to overlap the database and Redis round trips, and HTTP keep-alive, which sync workers do not offer) it
starts gunicorn on a free port and runs
`wrk -t2 -c<connections> -d<duration>s --latency` (after a 3-second warm-up) on:

    bare /health/live/            no database, no session: the baseline
    public dossier lookup         /public/lookup/?code=…&digits=… rotating over 5,000 real synthetic dossiers with
                                  their phone check (bench/wrk.lua); the per-minute limit raised by
                                  EISO_DOSSIER_LOOKUP_PER_MINUTE for the run (every request still counts in Redis)
    agency dashboard (home)       / for the demo ISO coordinator (session cookie)
    API list /api/v1/dossiers/    first page (50) for an ISO coordinator of a synthetic commune (~25,000 dossiers
                                  with the defaults), personal token

Prints requests/s, p50 and p99 latency, the ratio of each throughput to the bare endpoint's, and the targets:
throughput >= 50 % of the bare endpoint's for the lookup; p99 < 50 ms at 64 connections. The load average is
printed before each measurement (other processes on the machine change the figures).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import server  # bench/ is the script's folder, on the path

WRK_SCRIPT = Path(__file__).resolve().parent / "wrk.lua"
LOOKUP_TARGET_RATIO = 0.5
P99_TARGET_MS = 50.0


def parse_server(text: str) -> tuple[str, int, int]:
    kind, _, size = text.partition(":")
    if kind == "sync" and size.isdigit():
        return "sync", int(size), 1
    workers, _, threads = size.partition("x")
    if kind == "gthread" and workers.isdigit() and threads.isdigit():
        return "gthread", int(workers), int(threads)
    raise argparse.ArgumentTypeError(f"{text}: expected sync:N or gthread:NxT")


def run_wrk(port: int, target: dict, *, connections: int, duration: int, threads: int = 2) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as paths:
        paths.write("\n".join(target["paths"]) + "\n")
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s",
               "-s", str(WRK_SCRIPT)]
    for header, value in target["headers"].items():
        command += ["-H", f"{header}: {value}"]
    command += [f"http://127.0.0.1:{port}/", "--", paths.name]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=True)
    finally:
        Path(paths.name).unlink()
    # wrk closes its connections at the end, but the requests already queued in the listen backlog are still
    # served: wait for them (a request of ours answers once they are done) before the next measurement.
    server.get(port, "/health/live/", timeout=120)
    line = next(line for line in result.stdout.splitlines() if line.startswith("WRK-JSON "))
    figures = json.loads(line.removeprefix("WRK-JSON "))
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["errors"] = sum(figures[k] for k in figures if k.startswith("errors_"))
    return figures


def measure(port: int, targets: dict, *, connections: int, duration: int, say) -> dict:
    results = {}
    for name, target in targets.items():
        run_wrk(port, target, connections=connections, duration=3)  # warm-up: connections, caches, plans
        say(f"  {name}: load average {server.load_average()} before")
        results[name] = run_wrk(port, target, connections=connections, duration=duration)
    return results


def report(title: str, results: dict, *, connections: int) -> list[str]:
    bare = results["bare /health/live/"]["rps"]
    lines = [f"\n{title}, {connections} connections",
             f"| {'endpoint':<28} | {'req/s':>8} | {'p50 ms':>7} | {'p99 ms':>7} | {'/ bare':>6} | errors | target",
             f"|{'-' * 30}|{'-' * 10}|{'-' * 9}|{'-' * 9}|{'-' * 8}|--------|-------"]
    for name, r in results.items():
        ratio = r["rps"] / bare
        p99 = r["p99_us"] / 1000
        targets = []
        if name != "bare /health/live/":
            if name == "public dossier lookup":
                met = ratio >= LOOKUP_TARGET_RATIO
                targets.append(f"ratio >= {LOOKUP_TARGET_RATIO:.0%}: {'met' if met else 'MISSED'}")
            if connections == 64:
                targets.append(f"p99 < {P99_TARGET_MS:.0f} ms: {'met' if p99 < P99_TARGET_MS else 'MISSED'}")
        lines.append(f"| {name:<28} | {r['rps']:>8.0f} | {r['p50_us'] / 1000:>7.1f} | {p99:>7.1f} | {ratio:>6.2f} "
                     f"| {r['errors']:>6} | {'; '.join(targets)}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", action="append", type=parse_server, dest="servers",
                        help="sync:N or gthread:NxT (repeatable; default gthread:2x4)")
    parser.add_argument("--connections", default="64", help="comma-separated wrk connection counts (64)")
    parser.add_argument("--duration", type=int, default=20, help="seconds per measurement (20)")
    server.add_database_arguments(parser)
    args = parser.parse_args()
    servers = args.servers or [("gthread", 2, 4)]
    connections = [int(c) for c in args.connections.split(",")]

    say = server.say
    process = None
    try:
        url, env = server.open_bench_database(args)
        lines = []
        for kind, workers, threads in servers:
            server.redis_flush(args.redis)
            port = server.free_port()
            title = f"gunicorn {kind}, {workers} workers" + (f" x {threads} threads" if kind == "gthread" else "")
            say(f"{title}: starting on port {port}")
            process = server.start_gunicorn(env, port=port, workers=workers, worker_class=kind, threads=threads,
                                            log=server.BENCH_WORK / "gunicorn.log")
            server.wait_ready(port, process, timeout=120)
            targets = server.bench_targets(port, url, env)
            for count in connections:
                results = measure(port, targets, connections=count, duration=args.duration, say=say)
                for name, r in results.items():
                    say(f"  {name}: {json.dumps(r)}")
                block = report(title, results, connections=count)
                say("\n".join(block))
                lines += block
            server.stop(process)
            process = None
        say("\nSummary (load average now " + server.load_average() + ")" + "\n".join(lines))
    finally:
        server.close_bench_database(args, process)
    return 0


if __name__ == "__main__":
    sys.exit(main())
