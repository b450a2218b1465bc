#!/usr/bin/env python3
"""The crawl benchmark: jobtrawl (and optionally Scrapy) against generated
job boards served by nginx on 127.0.0.1. Called by bench/run, which installs
what it needs and builds jobtrawl in Release first. See bench/README.md.
"""
import argparse
import json
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCRAPY_PYTHON = "/usr/bin/python3"  # Debian's python3-scrapy lives there


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_site(workdir, n):
    out = os.path.join(workdir, f"board-{n}")
    marker = os.path.join(out, "truth.json")
    if not os.path.exists(marker):
        log(f"generating {n} detail pages in {out}")
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run([sys.executable, os.path.join(HERE, "make_board.py"), "--n", str(n),
                        "--out", out], check=True)
    return out


class Nginx:
    def __init__(self, workdir, site):
        self.dir = os.path.join(workdir, "nginx")
        os.makedirs(os.path.join(self.dir, "tmp"), exist_ok=True)
        self.port = free_port()
        with open(os.path.join(HERE, "nginx.conf.in")) as f:
            conf = f.read()
        conf = conf.replace("@DIR@", self.dir).replace("@SITE@", site).replace("@PORT@", str(self.port))
        self.conf = os.path.join(self.dir, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(conf)

    def __enter__(self):
        subprocess.run(["nginx", "-p", self.dir, "-c", self.conf], check=True)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not start")

    def __exit__(self, *exc):
        subprocess.run(["nginx", "-p", self.dir, "-c", self.conf, "-s", "stop"], check=False)

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"


def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time -v; returns wall s, cpu s, peak RSS MiB, stdout."""
    start = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, env=env)
    wall = time.monotonic() - start
    if p.returncode != 0:
        log(p.stdout[-2000:] + p.stderr[-4000:])
        raise RuntimeError(f"{cmd[0]} failed with {p.returncode}")
    def field(name):
        m = re.search(rf"{re.escape(name)}: ([0-9.]+)", p.stderr)
        return float(m.group(1)) if m else 0.0
    cpu = field("User time (seconds)") + field("System time (seconds)")
    rss = field("Maximum resident set size (kbytes)") / 1024
    return {"wall": wall, "cpu": cpu, "rss": rss, "stdout": p.stdout}


def jobtrawl_config(path, db, base, n):
    pages = max(10, n // 50 + 10)
    with open(path, "w") as f:
        f.write(f"""[storage]
database = "{db}"
[http]
user_agent = "jobtrawl-bench"
max_connections = 64
per_host_connections = 64
delay = "0s"
delay_jitter = 0
obey_robots = false          # Scrapy runs with ROBOTSTXT_OBEY = False too
allow_private_networks = true
""")
        for board in ("a", "b"):
            f.write(f"""[[source]]
name = "board-{board}"
start = ["{base}/{board}/index.html"]
follow = {{ detail = "/{board}/jobs/", next = "/{board}/page-[0-9]+\\\\.html$", max_pages = {pages} }}
""")


def run_jobtrawl(binary, workdir, base, n, db_name):
    db = os.path.join(workdir, db_name)
    cfg = os.path.join(workdir, db_name + ".toml")
    jobtrawl_config(cfg, db, base, n)
    return timed([binary, "crawl", "--config", cfg, "--quiet"]), db


def run_scrapy(workdir, base, db_name):
    db = os.path.join(workdir, db_name)
    return timed([SCRAPY_PYTHON, "-m", "scrapy", "runspider", os.path.join(HERE, "scrapy_jobs.py"),
                  "-a", f"base={base}", "-a", f"db={db}"]), db


def fresh(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def check_jobtrawl(db, truth, base):
    """Every detail page stored once, with the right title and company."""
    con = sqlite3.connect(db)
    rows = dict(((url, (title, company)) for url, title, company in con.execute(
        "SELECT l.url, p.title, p.company FROM listings l JOIN postings p ON p.id = l.posting_id")))
    postings = con.execute("SELECT count(*) FROM postings").fetchone()[0]
    listings = con.execute("SELECT count(*) FROM listings").fetchone()[0]
    con.close()
    wrong = sum(1 for page in truth["pages"]
                if rows.get(base + page["path"]) != (page["title"], page["company"]))
    return {"postings": postings, "listings": listings, "wrong_or_missing": wrong}


def scrapy_count(db):
    con = sqlite3.connect(db)
    n = con.execute("SELECT count(*) FROM postings").fetchone()[0]
    con.close()
    return n


def wrk(base, paths, seconds):
    p = subprocess.run(["wrk", "-t2", "-c64", f"-d{seconds}s", "-s", os.path.join(HERE, "wrk_paths.lua"),
                        base + "/"], capture_output=True, text=True, env=dict(os.environ, PATHS_FILE=paths),
                       check=True)
    return float(re.search(r"Requests/sec:\s+([0-9.]+)", p.stdout).group(1))


def fetch_only(binary_dir, base, paths, seconds):
    p = subprocess.run([os.path.join(binary_dir, "bench", "jobtrawl_fetch_bench"), base, paths, "64",
                        str(seconds)], capture_output=True, text=True, check=True)
    return json.loads(p.stdout)["requests_per_s"]


def figures(r, pages):
    return {"wall_s": r["wall"], "pages_per_s": pages / r["wall"], "cpu_s": r["cpu"],
            "cpu_ms_per_page": 1000 * r["cpu"] / pages, "rss_mib": r["rss"]}


def median(runs, key):
    return statistics.median(r[key] for r in runs)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default=os.path.join(ROOT, "build-bench"))
    ap.add_argument("--workdir", default="/tmp/jobtrawl-bench")
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--peer", action="store_true", help="also run Scrapy, alternating with jobtrawl")
    ap.add_argument("--large", type=int, default=0, help="also measure peak RSS at this N (e.g. 50000)")
    ap.add_argument("--seconds", type=int, default=5, help="length of the wrk and fetch-only runs")
    ap.add_argument("--no-micro", action="store_true")
    args = ap.parse_args()
    binary = os.path.join(args.build, "app", "jobtrawl")
    os.makedirs(args.workdir, exist_ok=True)
    site_dir = make_site(args.workdir, args.n)
    with open(os.path.join(site_dir, "truth.json")) as f:
        truth = json.load(f)
    pages = truth["detail_pages"] + truth["listing_pages"]
    paths = os.path.join(site_dir, "paths.txt")
    results = {"n": args.n, "pages": pages}

    with Nginx(args.workdir, os.path.join(site_dir, "site")) as server:
        base = server.base
        log(f"nginx on {base}")
        # Alternating, three times each: the machine is noisy.
        wrk_runs, fetch_runs = [], []
        for _ in range(3):
            wrk_runs.append(wrk(base, paths, args.seconds))
            fetch_runs.append(fetch_only(args.build, base, paths, args.seconds))
        results["wrk_rps"] = statistics.median(wrk_runs)
        results["fetch_only_rps"] = statistics.median(fetch_runs)
        log(f"wrk {results['wrk_rps']:.0f} req/s, jobtrawl fetch-only {results['fetch_only_rps']:.0f} req/s")

        runs = {"jobtrawl": [], "jobtrawl_re": [], "scrapy": [], "scrapy_re": []}
        for i in range(args.runs):
            db = os.path.join(args.workdir, "jobtrawl.db")
            fresh(db)
            first, db = run_jobtrawl(binary, args.workdir, base, args.n, "jobtrawl.db")
            again, _ = run_jobtrawl(binary, args.workdir, base, args.n, "jobtrawl.db")
            runs["jobtrawl"].append(figures(first, pages))
            runs["jobtrawl_re"].append(figures(again, pages))
            results["check"] = check_jobtrawl(db, truth, base)
            log(f"run {i + 1}: jobtrawl {first['wall']:.2f} s, recrawl {again['wall']:.2f} s, "
                f"{results['check']}")
            if args.peer:
                sdb = os.path.join(args.workdir, "scrapy.db")
                fresh(sdb)
                s_first, sdb = run_scrapy(args.workdir, base, "scrapy.db")
                s_again, _ = run_scrapy(args.workdir, base, "scrapy.db")
                runs["scrapy"].append(figures(s_first, pages))
                runs["scrapy_re"].append(figures(s_again, pages))
                results["scrapy_postings"] = scrapy_count(sdb)
                log(f"run {i + 1}: scrapy {s_first['wall']:.2f} s, recrawl {s_again['wall']:.2f} s, "
                    f"{results['scrapy_postings']} postings")
        results["runs"] = runs

        if args.large:
            large_dir = make_site(args.workdir, args.large)
            with Nginx(os.path.join(args.workdir, "large"), os.path.join(large_dir, "site")) as big:
                db = os.path.join(args.workdir, "large.db")
                fresh(db)
                r, _ = run_jobtrawl(binary, args.workdir, big.base, args.large, "large.db")
                with open(os.path.join(large_dir, "truth.json")) as f:
                    big_truth = json.load(f)
                big_pages = big_truth["detail_pages"] + big_truth["listing_pages"]
                results["large"] = dict(figures(r, big_pages), n=args.large,
                                        check=check_jobtrawl(db, big_truth, big.base))
                log(f"N={args.large}: {results['large']}")

    if not args.no_micro:
        micro = subprocess.run([os.path.join(args.build, "bench", "jobtrawl_micro_bench"),
                                f"--page={site_dir}/site/a/jobs/A000001.html",
                                "--benchmark_format=json", "--benchmark_min_time=0.2"],
                               capture_output=True, text=True, check=True)
        # real_time is in each benchmark's own time_unit (the hostile inputs
        # report milliseconds).
        to_ns = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
        results["micro"] = [{"name": b["name"], "ns": b["real_time"] * to_ns[b.get("time_unit", "ns")],
                             "mb_per_s": b.get("bytes_per_second", 0) / 1e6,
                             "items_per_s": b.get("items_per_second", 0)}
                            for b in json.loads(micro.stdout)["benchmarks"]]

    print(report(results, args))
    with open(os.path.join(args.workdir, "results.json"), "w") as f:
        json.dump(results, f, indent=1)


def report(results, args):
    runs = results["runs"]
    lines = [f"## Benchmark: N = {results['n']} detail pages ({results['pages']} pages with listings), "
             f"{args.runs} runs, medians", ""]
    header = "| figure | jobtrawl | Scrapy | jobtrawl/Scrapy |" if args.peer else "| figure | jobtrawl |"
    lines += [header, "|---|---|---|---|" if args.peer else "|---|---|"]
    for phase, label in (("", "first crawl"), ("_re", "recrawl (unchanged)")):
        for key, name, fmt in (("wall_s", "wall time (s)", "{:.2f}"), ("pages_per_s", "pages/s", "{:.0f}"),
                               ("cpu_s", "CPU user+sys (s)", "{:.2f}"),
                               ("cpu_ms_per_page", "CPU ms per page", "{:.3f}"),
                               ("rss_mib", "peak RSS (MiB)", "{:.1f}")):
            ours = median(runs["jobtrawl" + phase], key)
            row = f"| {label}: {name} | {fmt.format(ours)} |"
            if args.peer:
                theirs = median(runs["scrapy" + phase], key)
                row += f" {fmt.format(theirs)} | {ours / theirs:.3f} |"
            lines.append(row)
    lines.append("")
    check = results["check"]
    lines.append(f"Correctness: {check['listings']} listings and {check['postings']} postings stored for "
                 f"{results['pages'] - 0} pages; {check['wrong_or_missing']} detail pages missing or wrong.")
    if args.peer:
        lines.append(f"Scrapy stored {results.get('scrapy_postings')} postings.")
    lines.append("")
    lines.append(f"Fetch-only (medians of 3 alternating runs): jobtrawl (one event-loop thread, 64 connections) "
                 f"{results['fetch_only_rps']:.0f} req/s; wrk (2 threads, 64 connections) "
                 f"{results['wrk_rps']:.0f} req/s; ratio {results['fetch_only_rps'] / results['wrk_rps']:.2f}.")
    if "large" in results:
        big = results["large"]
        small_rss = median(runs["jobtrawl"], "rss_mib")
        lines.append(f"Peak RSS: {small_rss:.1f} MiB at N = {results['n']}, {big['rss_mib']:.1f} MiB at "
                     f"N = {big['n']} ({big['pages_per_s']:.0f} pages/s; {big['check']['wrong_or_missing']} "
                     f"pages missing or wrong).")
    if "micro" in results:
        lines += ["", "| micro-benchmark | time per op | throughput |", "|---|---|---|"]
        for b in results["micro"]:
            tput = f"{b['mb_per_s']:.0f} MB/s" if b["mb_per_s"] else f"{b['items_per_s']:.0f} items/s"
            lines.append(f"| {b['name']} | {b['ns'] / 1000:.1f} µs | {tput} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
