"""Memory of one app worker under a long mixed load: its resident set size (VmRSS in /proc/<pid>/status) after a
warm-up and after 10,000 more requests, sampled along the way to show the trend.

    python bench/memory.py [--requests 10000] [--warm-up 500] [--sample-every 1000] [--reuse] [--keep] \\
        [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--redis redis://127.0.0.1:6379/12]

The same database, settings and requests as bench/http_load.py (helper_c_http, built unless --reuse finds it
filled; dropped at the end unless --keep): gunicorn with ONE sync worker (so every request goes through the
measured process), DEBUG off, Redis cache. The requests cycle through the four URLs of the HTTP benchmark (bare
/health/live/, the public dossier lookup rotating over 5,000 real dossiers, the demo coordinator's home page, the
API's dossier list with a token) and a few more pages of the coordinator (dossier, document, process and
nonconformity lists, the working calendar, the catalogue, the public index), one client, one request at a time;
every answer must be 200.

Targets: RSS after the run <= 150 MB, and no growth: the ratio after / warm-up is printed (about 1 when the
process keeps no per-request state; the samples show whether it is still climbing at the end).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time

import server  # bench/ is the script's folder, on the path

RSS_TARGET_MB = 150
EXTRA_PAGES = ["/dossiers/", "/documents/", "/processes/", "/improvement/", "/calendar/", "/catalog/procedures/",
               "/public/"]


def request_cycle(targets: dict) -> list[tuple[str, str, dict]]:
    """(name, path, headers) in the order the load sends them: each target in turn, the lookup rotating."""
    session_headers = targets["agency dashboard (home)"]["headers"]
    lookups = itertools.cycle(targets["public dossier lookup"]["paths"])
    fixed = [(name, target["paths"][0], target["headers"]) for name, target in targets.items()
             if name != "public dossier lookup"]
    fixed += [(path, path, session_headers) for path in EXTRA_PAGES]
    while True:
        yield ("public dossier lookup", next(lookups), {})
        yield from fixed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--warm-up", type=int, default=500)
    parser.add_argument("--sample-every", type=int, default=1000)
    server.add_database_arguments(parser)
    args = parser.parse_args()

    say = server.say
    process = None
    try:
        url, env = server.open_bench_database(args)
        server.redis_flush(args.redis)
        port = server.free_port()
        process = server.start_gunicorn(env, port=port, workers=1, worker_class="sync",
                                        log=server.BENCH_WORK / "gunicorn-memory.log")
        server.wait_ready(port, process, timeout=120)
        (worker,) = server.children(process.pid)
        booted = server.rss_kib(worker)
        targets = server.bench_targets(port, url, env)
        for path in EXTRA_PAGES:  # checked once, as bench_targets checked the others
            status, body = server.get(port, path, headers=targets["agency dashboard (home)"]["headers"], timeout=60)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}: {body[:300]!r}")
        cycle = request_cycle(targets)

        def send(count: int) -> float:
            started = time.perf_counter()
            for name, path, headers in itertools.islice(cycle, count):
                status, _body = server.get(port, path, headers=headers, timeout=60)
                if status != 200:
                    raise RuntimeError(f"{name} {path} answered {status}")
            return time.perf_counter() - started

        send(args.warm_up)
        warm = server.rss_kib(worker)
        say(f"worker {worker}: RSS {booted / 1024:.1f} MiB booted, {warm / 1024:.1f} MiB after {args.warm_up} "
            f"warm-up requests (load average {server.load_average()})")
        say(f"| requests after warm-up | RSS MiB | / warm-up | seconds for the last {args.sample_every} |")
        say("|---|---|---|---|")
        samples = []
        done = 0
        while done < args.requests:
            count = min(args.sample_every, args.requests - done)
            seconds = send(count)
            done += count
            rss = server.rss_kib(worker)
            samples.append((done, rss))
            say(f"| {done:,} | {rss / 1024:.1f} | {rss / warm:.3f} | {seconds:.1f} |")
        if server.children(process.pid) != [worker]:  # gunicorn replaces a worker that crashed or timed out
            raise RuntimeError("the worker was replaced during the run: the figures are not one process's")
        after = samples[-1][1]
        half = samples[len(samples) // 2 - 1][1] if len(samples) >= 2 else warm
        megabytes = after * 1024 / 1e6
        say(f"\nafter {args.requests:,} requests: {after / 1024:.1f} MiB = {megabytes:.1f} MB (target <= "
            f"{RSS_TARGET_MB} MB: {'met' if megabytes <= RSS_TARGET_MB else 'MISSED'}); after / warm-up "
            f"{after / warm:.3f}; second half's growth {(after - half) / 1024:+.1f} MiB "
            f"(load average {server.load_average()})")
    finally:
        server.close_bench_database(args, process)
    return 0


if __name__ == "__main__":
    sys.exit(main())
