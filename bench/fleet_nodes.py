#!/usr/bin/env python3
"""1, 2 and 3 `jobtrawl run` nodes sharing one PostgreSQL database (issue 15 part 5).

The board: bench/make_board.py's board A, served by nginx on HOSTS loopback
addresses (127.0.0.2, 127.0.0.3, ...), one source per host, each source one
listing page of 50 postings and its 50 detail pages, with a per-host delay
(`[http] delay`), so a node's speed is bounded by politeness, as a real
crawl of many boards is. For each node count, a fresh database on a private
PostgreSQL server (scripts/pg-test-server), the nodes started together, and
the run timed until every source has one finished crawl; then SIGTERM.

--board shared (the default) serves that board as it is: every host's
postings belong to the same 16 companies, so the nodes' writers share
dedup groups (company and title family) and take turns on their locks.
--board per-host serves a board where each host is one company's
careers site (make_board.py --company-per-page): writers of different
hosts touch different groups, so group locks let them write in parallel.

Prints, per node count: wall time to crawl every source once, pages per
second, CPU seconds of the nodes and of the PostgreSQL server, database
transactions and rows written (pg_stat_database), transactions per page,
the sessions waiting for a lock (pg_locks, mean of the samples taken
every 0.2 s or so), and how the sources were spread over the nodes.

usage: bench/fleet_nodes.py --jobtrawl build/app/jobtrawl [--nodes 1,2,3]
       [--hosts 48] [--delay 100ms] [--capacity 16] [--board shared|per-host]
       [--workdir /tmp/jobtrawl-fleet-bench]
"""
import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ticks_of(pids):
    """utime + stime of the processes, in seconds."""
    hz = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
        except (OSError, IndexError, ValueError):
            pass
    return total / hz


def postgres_pids(datadir):
    """The server's processes: the postmaster and its children."""
    with open(os.path.join(datadir, "postmaster.pid")) as f:
        master = int(f.readline())
    pids = [master]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == master:
                        pids.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return pids


def psql(url, sql):
    out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-d", url, "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return out.strip()


class Nginx:
    def __init__(self, workdir, site, hosts):
        self.dir = os.path.join(workdir, "nginx")
        os.makedirs(os.path.join(self.dir, "tmp"), exist_ok=True)
        self.port = free_port()
        listens = "\n".join(f"    listen 127.0.0.{2 + k}:{self.port};" for k in range(hosts))
        with open(os.path.join(HERE, "nginx.conf.in")) as f:
            conf = f.read()
        conf = conf.replace("    listen 127.0.0.1:@PORT@;", listens)
        conf = conf.replace("@DIR@", self.dir).replace("@SITE@", site).replace("@PORT@", str(self.port))
        self.conf = os.path.join(self.dir, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(conf)

    def __enter__(self):
        subprocess.run(["nginx", "-p", self.dir, "-c", self.conf], check=True)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.2", self.port), timeout=0.1).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not start")

    def __exit__(self, *exc):
        subprocess.run(["nginx", "-p", self.dir, "-c", self.conf, "-s", "stop"], check=False)


def write_config(path, url, port, hosts, delay, capacity, node):
    with open(path, "w") as f:
        f.write(f"""[storage]
database = "{url}"
[http]
user_agent = "jobtrawl-fleet-bench"
max_connections = 256
per_host_connections = 1
delay = "{delay}"
delay_jitter = 0
obey_robots = false
allow_private_networks = true
[node]
name = "{node}"
poll = "1s"
lease_ttl = "30s"
capacity = {capacity}
""")
        for k in range(hosts):
            page = "index.html" if k == 0 else f"page-{k + 1}.html"
            f.write(f"""[[source]]
name = "h{k:02d}"
start = ["http://127.0.0.{2 + k}:{port}/a/{page}"]
every = "24h"
follow = {{ detail = "/a/jobs/", max_pages = 1 }}
""")


def run(args, site, pg_url, datadir, nodes):
    db = f"fleet{nodes}_{int(time.time())}"
    psql(pg_url, f"CREATE DATABASE {db}")
    url = re.sub(r"/[^/]*$", "/" + db, pg_url)
    with Nginx(args.workdir, site, args.hosts) as nginx:
        configs = []
        for i in range(nodes):
            cfg = os.path.join(args.workdir, f"node{i}.toml")
            write_config(cfg, url, nginx.port, args.hosts, args.delay, args.capacity, f"node-{i}")
            configs.append(cfg)
        # The schema first, so the nodes do not all wait on one migration.
        subprocess.run([args.jobtrawl, "stats", "--db", url], capture_output=True)
        pg_pids = postgres_pids(datadir)
        procs = [subprocess.Popen([args.jobtrawl, "run", "-c", c], stdout=subprocess.DEVNULL,
                                  stderr=open(c + ".log", "w")) for c in configs]
        # Once every node has joined and the sources are on the schedule,
        # the round is made due at once (a new source is otherwise first
        # due within 30 s), and the clock starts.
        while True:
            try:
                joined = psql(url, "SELECT (SELECT count(*) FROM nodes) || ',' || (SELECT count(*) FROM source_schedule)")
                if joined == f"{nodes},{args.hosts}":
                    break
            except subprocess.CalledProcessError:
                pass
            time.sleep(0.1)
        node_cpu0 = ticks_of([p.pid for p in procs])
        pg_cpu0 = ticks_of(pg_pids)
        stats0 = psql(url, "SELECT xact_commit, tup_inserted + tup_updated + tup_deleted "
                           f"FROM pg_stat_database WHERE datname = '{db}'").split("|")
        psql(url, "UPDATE source_schedule SET next_run_at = now()")
        start = time.monotonic()
        done = 0
        samples = waiting = 0
        # Polls the database (no event reaches this script when a crawl ends),
        # and samples the sessions waiting for a lock (a writer waiting for
        # a dedup group's advisory lock, or for a row) each time.
        while time.monotonic() - start < args.timeout:
            try:
                got = psql(url, "SELECT (SELECT count(DISTINCT source_id) FROM crawl_runs "
                                "WHERE status IN ('ok', 'partial')), "
                                "(SELECT count(DISTINCT pid) FROM pg_locks WHERE NOT granted)").split("|")
                done = int(got[0] or 0)
                samples += 1
                waiting += int(got[1] or 0)
            except (subprocess.CalledProcessError, IndexError, ValueError):
                done = 0
            if done >= args.hosts:
                break
            time.sleep(0.2)
        wall = time.monotonic() - start
        node_cpu = ticks_of([p.pid for p in procs]) - node_cpu0
        pg_cpu = ticks_of(postgres_pids(datadir)) - pg_cpu0
        stats1 = psql(url, "SELECT xact_commit, tup_inserted + tup_updated + tup_deleted "
                           f"FROM pg_stat_database WHERE datname = '{db}'").split("|")
        pages = int(psql(url, "SELECT coalesce(sum(pages), 0) FROM crawl_runs") or 0)
        spread = psql(url, "SELECT string_agg(name || '=' || crawls, ' ' ORDER BY name) FROM nodes")
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(timeout=60)
    xacts = int(stats1[0]) - int(stats0[0])
    rows = int(stats1[1]) - int(stats0[1])
    return {
        "nodes": nodes, "sources_done": done, "wall_s": wall, "pages": pages,
        "pages_per_s": pages / wall if wall > 0 else 0, "node_cpu_s": node_cpu, "pg_cpu_s": pg_cpu,
        "xacts": xacts, "rows": rows, "xacts_per_page": xacts / pages if pages else 0, "spread": spread,
        "waiting": waiting / samples if samples else 0,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--jobtrawl", default=os.path.join(ROOT, "build", "app", "jobtrawl"))
    ap.add_argument("--nodes", default="1,2,3")
    ap.add_argument("--hosts", type=int, default=48)
    ap.add_argument("--delay", default="100ms")
    ap.add_argument("--capacity", type=int, default=16)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--board", choices=["shared", "per-host"], default="shared",
                    help="shared: 16 companies on every host; per-host: each host its own company")
    ap.add_argument("--workdir", default="/tmp/jobtrawl-fleet-bench")
    args = ap.parse_args()
    args.jobtrawl = os.path.abspath(args.jobtrawl)
    os.makedirs(args.workdir, exist_ok=True)
    os.chmod(args.workdir, 0o755)

    per_host = args.board == "per-host"
    board = os.path.join(args.workdir, "board-per-host" if per_host else "board")
    if not os.path.exists(os.path.join(board, "site", "a", f"page-{args.hosts}.html")):
        subprocess.run([sys.executable, os.path.join(HERE, "make_board.py"), "--n", str(args.hosts * 100 + 100),
                        "--out", board] + (["--company-per-page"] if per_host else []), check=True)
    site = os.path.join(board, "site")

    pgdir = os.path.join(args.workdir, "pg")
    subprocess.run(["bash", os.path.join(ROOT, "scripts", "pg-test-server"), "stop", pgdir], capture_output=True)
    subprocess.run(["rm", "-rf", pgdir], check=True)
    pg_url = subprocess.run(["bash", os.path.join(ROOT, "scripts", "pg-test-server"), "start", pgdir,
                             str(os.getpid())], check=True, capture_output=True, text=True).stdout.strip()
    try:
        print(f"board {args.board}, {args.hosts} hosts, delay {args.delay}")
        print("nodes  sources  wall_s  pages  pages/s  node_cpu_s  pg_cpu_s  xacts  rows_written  xacts/page  "
              "lock_waiters  crawls per node")
        for n in [int(x) for x in args.nodes.split(",")]:
            r = run(args, site, pg_url, os.path.join(pgdir, "data"), n)
            print(f"{r['nodes']:5d}  {r['sources_done']:7d}  {r['wall_s']:6.1f}  {r['pages']:5d}  "
                  f"{r['pages_per_s']:7.1f}  {r['node_cpu_s']:10.2f}  {r['pg_cpu_s']:8.2f}  {r['xacts']:5d}  "
                  f"{r['rows']:12d}  {r['xacts_per_page']:10.2f}  {r['waiting']:12.2f}  {r['spread']}", flush=True)
    finally:
        subprocess.run(["bash", os.path.join(ROOT, "scripts", "pg-test-server"), "stop", pgdir], capture_output=True)


if __name__ == "__main__":
    main()
