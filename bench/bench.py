#!/usr/bin/env python3
"""Alert Relay benchmarks: ingest, accept → delivered, alert storm, embedded store size (soak), footprint.
Started by bench/run.sh.

Everything listens on 127.0.0.1. Every process started here is written to OUT/pids as soon as it exists, so
that run.sh's trap can stop it whatever happens; on a normal end this script stops them itself. The figures
go to OUT/results.json; bench/report.py turns them into bench/RESULTS.md.

Two builds: the current one (OUT/app, store "embedded", SQLite since H2 was replaced) and, unless
BENCH_BASELINE_REF=none, the baseline one (--baseline-app, built by run.sh from BENCH_BASELINE_REF, by default
92656ee, the last commit whose embedded store is H2: store "h2-baseline"). Both run the same way (extracted
layers, JarLauncher); only the working directory, i.e. the jar's classes, differs.

Phases (the storm only waits for Telegram's rate limits most of the time and the soak and accept → delivered
runs are light, so those three share one time window; the CPU-bound ingest runs come after all of them):

  1. footprint   three relays (current build, embedded store, the default log channel) started one after the
                 other on a quiet machine: time to ready and idle RSS. The first one serves the embedded
                 ingest runs later.
  2. start       fake Telegram APIs, the fake Kakao API, PostgreSQL, the PostgreSQL and h2-baseline ingest
                 relays, the accept→delivered (Telegram, Kakao), storm and soak relays, and the storm's
                 Alertmanagers, in parallel.
  3. storm       STORM_RUNS side-by-side repetitions; each posts 2,000 alerts in 200 groups within 10 s to
                 two Alertmanagers: (a) webhook → relay → fake, (b) Alertmanager's telegram_configs → fake.
                 Measured until STORM_BOUND seconds after the first alert. While Alertmanager waits for
                 group_wait, the three ingest relays are warmed up (JIT; not measured).
  4. soak        after the warm-up, SOAK_RUNS times (fresh relays and data dirs each time): two relays in the
                 same time window, "embedded" (current build) and "h2-baseline" (baseline build), each its own
                 JVM with APP_ROLES=relay, the default log channel muted, retention and dedupe window 1m,
                 pruning every 10 s. After SOAK_WARMUP parse-only requests each (JIT; they store nothing),
                 each gets SOAK_RATE notifications/s (10 alerts, each its own groupKey and instance labels)
                 for SOAK_SECONDS, paced, a thread each. Every SOAK_SAMPLE seconds (and every minute): the
                 on-disk size of its data dir (st_blocks, and apparent size) and the retained notification
                 count (gauge relay_store_notifications; where the build lacks it, an estimate, marked so).
                 Runs in the background, alongside the storm and then the accept → delivered runs.
  5. e2e         once the storm is over (it is a latency; the storm's relays fsync hundreds of commits):
                 accept → delivered: 20 notifications/s for 60 s, RUNS times, to two relays side by side in
                 the same time window (a thread each): one whose only channel is Telegram (fake without
                 limits), one whose only channel is KakaoTalk (fake kapi/kauth, daily limit far above the
                 run). Each relay's figures come from its own channel's histogram and its own fake.
  6. ingest      once the storm's bound and the soak are over: RUNS rounds on the same three relays
                 (embedded, h2-baseline, PostgreSQL); each round: wrk, 16 connections, 30 s per combination
                 (1 and 10 alerts durable and parse-only on the embedded relay, 10 alerts durable on the
                 h2-baseline relay, 1 and 10 alerts durable on PostgreSQL), waiting for the delivery backlog
                 to drain after each durable run so that it never runs into the next measurement.
  7. console     only when asked for (BENCH_PHASES=console; not in the default list: it seeds two stores),
                 last: two relays side by side, the embedded store and PostgreSQL (database "console" on the
                 benchmark's PostgreSQL), admin token set, channels log, ops (Telegram, every alert) and db
                 (Telegram, team=db alerts only, its chat answers 400 "chat not found": dead letters), routes
                 infra and app, each relay its own fake Telegram API. Both are seeded at once with
                 CONSOLE_NOTIFICATIONS generated notifications (bounded by CONSOLE_SEED_SECONDS), left until
                 their delivery queues are empty (at most CONSOLE_SETTLE_SECONDS), then logged into like a
                 browser (GET /login, the form's _csrf, POST /login, the session cookie) and every console URL
                 (console_urls) is fetched CONSOLE_WARMUP + CONSOLE_N times, one request at a time, the
                 two stores taking turns request by request:
                 p50/p95/p99/max against the 200 ms target. At the end the console's statements
                 (bench/console/explain-*.sql) are EXPLAINed on both filled stores.
"""
import argparse
import concurrent.futures
import datetime
import http.client
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)

# Knobs (environment). The defaults are the benchmark as specified; smaller values only for trying it out.
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
INGEST_SECONDS = int(os.environ.get("BENCH_INGEST_SECONDS", "30"))
INGEST_CONNECTIONS = int(os.environ.get("BENCH_INGEST_CONNECTIONS", "16"))
WRK_THREADS = int(os.environ.get("BENCH_WRK_THREADS", "2"))
WARMUP_SECONDS = int(os.environ.get("BENCH_WARMUP_SECONDS", "2"))  # per path and payload …
WARMUP_CYCLES = int(os.environ.get("BENCH_WARMUP_CYCLES", "2"))  # … and this many times over (embedded, h2-baseline)
E2E_RATE = float(os.environ.get("BENCH_E2E_RATE", "20"))
E2E_SECONDS = int(os.environ.get("BENCH_E2E_SECONDS", "60"))
STORM_RUNS = int(os.environ.get("BENCH_STORM_RUNS", "3"))
STORM_GROUPS = int(os.environ.get("BENCH_STORM_GROUPS", "200"))
STORM_ALERTS_PER_GROUP = int(os.environ.get("BENCH_STORM_ALERTS_PER_GROUP", "10"))
STORM_POST_SECONDS = float(os.environ.get("BENCH_STORM_POST_SECONDS", "10"))
STORM_BOUND = int(os.environ.get("BENCH_STORM_BOUND", "210"))
STORM_GROUP_WAIT = os.environ.get("BENCH_STORM_GROUP_WAIT", "10s")
DRAIN_TIMEOUT = int(os.environ.get("BENCH_DRAIN_TIMEOUT", "120"))
IDLE_SECONDS = float(os.environ.get("BENCH_IDLE_SECONDS", "3"))
SOAK_RATE = float(os.environ.get("BENCH_SOAK_RATE", "20"))
SOAK_SECONDS = int(os.environ.get("BENCH_SOAK_SECONDS", "360"))
SOAK_SAMPLE = int(os.environ.get("BENCH_SOAK_SAMPLE", "10"))  # seconds between size samples
SOAK_RUNS = int(os.environ.get("BENCH_SOAK_RUNS", "1"))
SOAK_WARMUP = int(os.environ.get("BENCH_SOAK_WARMUP", "400"))  # parse-only requests to each soak relay first
PHASES = os.environ.get("BENCH_PHASES", "footprint,storm,soak,e2e,ingest").split(",")  # and "console" (opt-in)
JFR = os.environ.get("BENCH_JFR", "")  # "ingest": record the ingest relays with JFR (profiling, not for figures)

# The Dockerfile's JVM options (ENV JAVA_TOOL_OPTIONS) and entry point (the extracted layers + JarLauncher).
DOCKER_JAVA_TOOL_OPTIONS = "-XX:MaxRAMPercentage=75"
BOT_TOKEN = "123456789:BENCHfakeTelegramTokenForTheRelayBenchmarks"
KAKAO_REST_API_KEY = "bench-fake-kakao-rest-api-key"
KAKAO_CLIENT_SECRET = "bench-fake-kakao-client-secret"
# messages a day for the Kakao channel (the most the relay accepts): far above what the runs send
# (RUNS × E2E_SECONDS × E2E_RATE plus the warm-up), so neither the quota nor its critical-only share
# (80 %, then digests) ever comes into play
KAKAO_DAILY_LIMIT = 100000
PAYLOADS = {"1": os.path.join(BENCH, "payloads", "firing-1.json"),
            "10": os.path.join(BENCH, "payloads", "firing-10.json")}


# ---------------------------------------------------------------------------------------------- processes

class Procs:
    """Every process this run started: registered in OUT/pids at once, stopped at the end."""

    def __init__(self, out):
        self.pidfile = os.path.join(out, "pids")
        self.procs = []
        self.extra = []  # pids not our children (the postmaster), stopped through their owner
        self.lock = threading.Lock()

    def spawn(self, name, cmd, log, env=None, cwd=None):
        logf = open(log, "ab")
        logf.write(("$ " + " ".join(cmd) + "\n").encode())
        logf.flush()
        p = subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             env=env, cwd=cwd, start_new_session=True)
        logf.close()
        p.bench_name = name
        with self.lock:
            self.procs.append(p)
            with open(self.pidfile, "a") as f:
                f.write(f"{p.pid} {name}\n")
        return p

    def register_extra(self, pid, name):
        with self.lock:
            self.extra.append(pid)
            with open(self.pidfile, "a") as f:
                f.write(f"{pid} {name}\n")

    def kill(self, p, sig=signal.SIGTERM, wait=15):
        if p.poll() is not None:
            return
        try:
            p.send_signal(sig)
            p.wait(wait)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(10)
        except ProcessLookupError:
            pass

    def stop_all(self):
        live = [p for p in self.procs if p.poll() is None]
        for p in live:
            try:
                p.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.time() + 20
        for p in live:
            try:
                p.wait(max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(10)
        for pid in self.extra:
            if pid_alive(pid):
                try:
                    os.kill(pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass


def pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    """utime + stime of a process, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return None


def tree_cpu_seconds(root_pid):
    """CPU seconds of a process and its live children, plus what its exited children used (PostgreSQL)."""
    total = 0.0
    tck = os.sysconf("SC_CLK_TCK")
    try:
        with open(f"/proc/{root_pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += sum(int(x) for x in fields[11:15]) / tck
    except OSError:
        return 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == root_pid:
                total += (int(fields[11]) + int(fields[12])) / tck
        except OSError:
            pass
    return total


def machine_cpu():
    """(busy, total) jiffies of the whole machine."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]
    return sum(v) - idle, sum(v)


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ------------------------------------------------------------------------------------------------- http

def http_get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.read()


def http_post_json(url, body, timeout=10):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.read()


def post_json(conn, port, path, body):
    """POSTs body on a keep-alive connection: (the connection to use next, the status or None when the request
    failed, in which case the connection is replaced by a new one)."""
    try:
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        resp.read()
        return conn, resp.status
    except (OSError, http.client.HTTPException):
        conn.close()
        return http.client.HTTPConnection("127.0.0.1", port, timeout=10), None


def wait_until(check, timeout, what, interval=0.05, proc=None):
    deadline = time.time() + timeout
    while True:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what}: process exited with {proc.returncode}")
        try:
            if check():
                return
        except (OSError, urllib.error.URLError, http.client.HTTPException, ValueError):
            pass
        if time.time() > deadline:
            raise RuntimeError(f"{what}: not ready within {timeout} s")
        time.sleep(interval)


def prometheus(url):
    """Samples of a Prometheus text exposition: {(name, frozenset(labels)): value}."""
    _, body = http_get(url)
    out = {}
    for line in body.decode().splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)', line)
        if not m:
            continue
        labels = frozenset(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
        try:
            out[(m.group(1), labels)] = float(m.group(4))
        except ValueError:
            pass
    return out


def metric_sum(samples, name, **labels):
    want = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and want <= set(ls))


# ------------------------------------------------------------------------------------------------ stats

def percentile(values, p):
    if not values:
        return None
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    f, c = math.floor(k), math.ceil(k)
    return s[f] if f == c else s[f] + (s[c] - s[f]) * (k - f)


def histogram_quantile(q, before, after, name, **labels):
    """histogram_quantile over the increase of a Prometheus histogram between two scrapes (seconds)."""
    def buckets(samples):
        b = {}
        for (n, ls), v in samples.items():
            d = dict(ls)
            if n == name + "_bucket" and all(d.get(k) == w for k, w in labels.items()):
                le = float("inf") if d["le"] == "+Inf" else float(d["le"])
                b[le] = b.get(le, 0) + v
        return b
    b0, b1 = buckets(before), buckets(after)
    bounds = sorted(b1)
    counts = [b1[le] - b0.get(le, 0) for le in bounds]
    if not counts or counts[-1] <= 0:
        return None
    rank = q * counts[-1]
    prev_le, prev_count = 0.0, 0.0
    for le, c in zip(bounds, counts):
        if c >= rank:
            if le == float("inf"):
                return prev_le
            return prev_le + (le - prev_le) * ((rank - prev_count) / (c - prev_count) if c > prev_count else 0)
        prev_le, prev_count = le, c
    return prev_le


# ------------------------------------------------------------------------------------------------ relay

class Relay:
    def __init__(self, name, proc, port, data_dir, log_path, spawned_at):
        self.name, self.proc, self.port = name, proc, port
        self.data_dir, self.log_path, self.spawned_at = data_dir, log_path, spawned_at
        self.ready_s = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def metrics(self):
        return prometheus(self.url + "/actuator/prometheus")

    def started_log_line(self):
        with open(self.log_path, errors="replace") as f:
            for line in f:
                m = re.search(r"Started AlertRelayApplication in ([\d.]+) seconds \(process running for ([\d.]+)\)", line)
                if m:
                    return float(m.group(1)), float(m.group(2))
        return None, None


class Bench:
    def __init__(self, out, baseline_app=None):
        self.out = out
        self.procs = Procs(out)
        self.app = os.path.join(out, "app")
        self.baseline_app = baseline_app  # None: no baseline build (BENCH_BASELINE_REF=none)
        self.classpath = open(os.path.join(out, "bench-classpath.txt")).read().strip()
        self.results = {"phases": {}, "config": {}}
        self.logs = os.path.join(out, "logs")
        os.makedirs(self.logs, exist_ok=True)

    # ---- processes we need

    def start_relay(self, name, args, env_extra=None, jfr=None, app=None):
        """A relay as the Docker image runs it, from the extracted layers in `app` (default: the current
        build, OUT/app; the baseline build is Bench.baseline_app)."""
        port = free_port()
        data_dir = os.path.join(self.out, "data", name)
        os.makedirs(data_dir, exist_ok=True)
        env = dict(os.environ)
        env.pop("SPRING_DATASOURCE_URL", None)
        env.update({"JAVA_TOOL_OPTIONS": DOCKER_JAVA_TOOL_OPTIONS, "RELAY_DATADIR": data_dir,
                    "SERVER_PORT": str(port), "APP_ROLES": "relay"})
        env.update(env_extra or {})
        cmd = ["java"]
        if jfr:
            cmd.append(f"-XX:StartFlightRecording=filename={jfr},settings=profile")
        cmd += ["org.springframework.boot.loader.launch.JarLauncher", "--server.address=127.0.0.1"] + args
        log_path = os.path.join(self.logs, f"relay-{name}.log")
        spawned_at = time.time()
        proc = self.procs.spawn(f"relay-{name}", cmd, log_path, env=env, cwd=app or self.app)
        return Relay(name, proc, port, data_dir, log_path, spawned_at)

    def await_relay(self, relay, timeout=120):
        def ready():
            status, _ = http_get(relay.url + "/actuator/health/readiness", timeout=2)
            return status == 200
        wait_until(ready, timeout, f"relay {relay.name}", interval=0.05, proc=relay.proc)
        relay.ready_s = time.time() - relay.spawned_at
        return relay

    def start_java_helper(self, name, main, args, xmx="512m"):
        info = os.path.join(self.out, f"{name}.json")
        # the JDK's HttpServer (the fake Telegram API) leaves Nagle on unless told: its response would then
        # wait ~40 ms for a delayed ACK, a property of the fake, not of the relay (Telegram's servers do not)
        cmd = ["java", f"-Xmx{xmx}", "-Dsun.net.httpserver.nodelay=true", "-cp", os.path.join(self.out, "bench-classes") + ":" + self.classpath, main] + args + [info]
        proc = self.procs.spawn(name, cmd, os.path.join(self.logs, f"{name}.log"))
        return proc, info

    @staticmethod
    def await_info(proc, info, what, timeout=120):
        wait_until(lambda: os.path.exists(info), timeout, what, interval=0.1, proc=proc)
        with open(info) as f:
            return json.load(f)

    def start_alertmanager(self, name, config_text):
        d = os.path.join(self.out, "alertmanager", name)
        os.makedirs(os.path.join(d, "data"), exist_ok=True)
        config = os.path.join(d, "alertmanager.yml")
        with open(config, "w") as f:
            f.write(config_text)
        check = subprocess.run(["amtool", "check-config", config], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"amtool check-config {config}:\n{check.stdout}{check.stderr}")
        port = free_port()
        cmd = ["prometheus-alertmanager", f"--config.file={config}", f"--storage.path={d}/data",
               f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=", "--log.level=info"]
        proc = self.procs.spawn(f"alertmanager-{name}", cmd, os.path.join(self.logs, f"alertmanager-{name}.log"))
        return {"name": name, "proc": proc, "url": f"http://127.0.0.1:{port}", "config": config}

    # ---- drain: the delivery backlog of a relay

    def drain(self, relay, timeout=DRAIN_TIMEOUT):
        t0 = time.time()
        while True:
            m = relay.metrics()
            received = metric_sum(m, "relay_notifications_received_total") - metric_sum(m, "relay_notifications_duplicate_total")
            done = sum(metric_sum(m, "relay_deliveries_total", outcome=o) for o in ("delivered", "dead"))
            if done >= received:
                return time.time() - t0, True
            if time.time() - t0 > timeout:
                return time.time() - t0, False
            time.sleep(0.1)


# ------------------------------------------------------------------------------------------------- wrk

def run_wrk(url, payload, seconds, run_id, out_json):
    env = dict(os.environ, WRK_OUT=out_json)
    if os.path.exists(out_json):
        os.remove(out_json)
    cmd = ["wrk", f"-t{WRK_THREADS}", f"-c{INGEST_CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s",
           "-s", os.path.join(BENCH, "wrk", "webhook.lua"), url, "--", payload, run_id]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0 or not os.path.exists(out_json):
        raise RuntimeError(f"wrk failed ({p.returncode}): {out.decode(errors='replace')}")
    with open(out_json) as f:
        r = json.load(f)
    r["wrk_cpu_s"] = usage.ru_utime + usage.ru_stime
    return r


# ------------------------------------------------------------------------------------------------ phases

def phase_footprint(b, relays):
    """RUNS relays of the current build with the default configuration (embedded store, log channel), started
    one after the other while nothing else runs: time to ready, and RSS IDLE_SECONDS after ready (sampled
    while the next one starts)."""
    res = []
    samplers = []
    for i in range(RUNS):
        r = b.start_relay(f"embedded-{i + 1}", ["--logging.level.relay.alerts=WARN"],
                          jfr=os.path.join(b.out, f"jfr-embedded-{i + 1}.jfr") if JFR == "ingest" else None)
        b.await_relay(r)
        spring_started, jvm_running = r.started_log_line()
        entry = {"relay": r.name, "ready_s": r.ready_s, "spring_started_s": spring_started,
                 "jvm_running_s": jvm_running}
        res.append(entry)

        def sample(relay=r, e=entry, at=time.time() + IDLE_SECONDS):
            time.sleep(max(0, at - time.time()))
            e["rss_idle_mib"] = rss_mib(relay.proc.pid)
            log(f"footprint {relay.name}: ready in {e['ready_s']:.2f} s, idle RSS {e['rss_idle_mib']:.0f} MiB")

        t = threading.Thread(target=sample)
        t.start()
        samplers.append(t)
        relays.append(r)
    for t in samplers:
        t.join()
    # the first one serves every ingest round (one JVM, warmed up once); the others have done their part
    for r in relays[1:]:
        b.procs.kill(r.proc, signal.SIGKILL)
    return res


def storm_alerts(run):
    """STORM_GROUPS groups of STORM_ALERTS_PER_GROUP alerts; every alert has a unique, searchable instance."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ends = (now + datetime.timedelta(hours=1)).isoformat()
    groups = []
    for g in range(STORM_GROUPS):
        alerts = []
        for a in range(STORM_ALERTS_PER_GROUP):
            alerts.append({
                "labels": {"alertname": f"StormAlert{g:03d}", "job": "storm", "cluster": f"bench-{run}",
                           "severity": "critical" if g % 5 == 0 else "warning",
                           "instance": f"s{run}g{g:03d}a{a:02d}.storm.example:9100"},
                "annotations": {"summary": f"폭주 테스트 경보 {g:03d}: 응답 지연",
                                "description": f"인스턴스 {a:02d}의 p99 지연 시간이 {200 + a * 10}ms 입니다"},
                "startsAt": now.isoformat(), "endsAt": ends,
                "generatorURL": f"http://prometheus.example:9090/graph?g0.expr=storm_{g}",
            })
        groups.append(alerts)
    return groups


def alert_token(run, g, a):
    return f"s{run}g{g:03d}a{a:02d}.storm"


def am_route(receiver):
    return f"""route:
  receiver: {receiver}
  group_by: ['alertname']
  group_wait: {STORM_GROUP_WAIT}
  group_interval: 5m
  repeat_interval: 4h
"""


def start_storm(b, limited):
    """Relays and Alertmanagers of every storm repetition (not yet posting)."""
    runs = []
    for run in range(1, STORM_RUNS + 1):
        chat_relay = f"-100100000000{run}"
        chat_am = f"-100200000000{run}"
        relay = b.start_relay(f"storm-{run}", [
            "--relay.channels.log.enabled=false",
            "--relay.channels.tg.type=telegram",
            f"--relay.channels.tg.bot-token={BOT_TOKEN}",
            f"--relay.channels.tg.chat-id={chat_relay}",
            f"--relay.channels.tg.api-url={limited['api']}",
            "--relay.channels.tg.time-zone=Asia/Seoul"])
        runs.append({"run": run, "relay": relay, "chat_relay": chat_relay, "chat_am": chat_am})
    return runs


def start_storm_alertmanagers(b, runs, limited):
    for s in runs:
        s["am_a"] = b.start_alertmanager(f"storm-{s['run']}-relay", am_route("relay") + f"""receivers:
  - name: relay
    webhook_configs:
      - url: {s['relay'].url}/webhook
        send_resolved: false
""")
        s["am_b"] = b.start_alertmanager(f"storm-{s['run']}-telegram", am_route("telegram") + f"""receivers:
  - name: telegram
    telegram_configs:
      - api_url: {limited['api']}
        bot_token: {BOT_TOKEN}
        chat_id: {s['chat_am']}
        parse_mode: HTML
        send_resolved: false
""")
    for s in runs:
        for am in (s["am_a"], s["am_b"]):
            wait_until(lambda: http_get(am["url"] + "/-/ready", timeout=2)[0] == 200, 60,
                       f"alertmanager {am['name']}", proc=am["proc"])


def post_storm(runs):
    """Posts every repetition's groups, spread evenly over STORM_POST_SECONDS, to both its Alertmanagers."""
    plan = {s["run"]: storm_alerts(s["run"]) for s in runs}
    t0 = time.time()
    errors = []

    def poster(s, am_key):
        url = s[am_key]["url"] + "/api/v2/alerts"
        for g, alerts in enumerate(plan[s["run"]]):
            at = t0 + g * STORM_POST_SECONDS / STORM_GROUPS
            delay = at - time.time()
            if delay > 0:
                time.sleep(delay)
            try:
                http_post_json(url, alerts)
            except Exception as e:  # noqa: BLE001 - reported, not fatal
                errors.append(f"{s[am_key]['name']} group {g}: {e}")

    threads = [threading.Thread(target=poster, args=(s, k)) for s in runs for k in ("am_a", "am_b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return t0, time.time(), errors


def analyse_storm(runs, limited, t0, posted_until, post_errors):
    _, raw = http_get(limited["control"] + "/messages", timeout=30)
    messages = json.loads(raw)
    _, raw = http_get(limited["control"] + "/requests", timeout=30)
    requests = json.loads(raw)
    out = []
    for s in runs:
        for side, chat, am in (("relay", s["chat_relay"], s["am_a"]), ("alertmanager", s["chat_am"], s["am_b"])):
            msgs = [m for m in messages if m["chat"] == chat]
            reqs = [r for r in requests if r["chat"] == chat]
            first_seen = {}
            for m in msgs:
                texts = [m["text"]] + m["edits"]
                for text in texts:
                    for token in re.findall(r"s\d+g\d{3}a\d{2}\.storm", text):
                        if token not in first_seen or m["at_us"] < first_seen[token]:
                            first_seen[token] = m["at_us"]
            expected = [alert_token(s["run"], g, a) for g in range(STORM_GROUPS) for a in range(STORM_ALERTS_PER_GROUP)]
            missing = [t for t in expected if t not in first_seen]
            visible = [first_seen[t] / 1e6 - t0 for t in expected if t in first_seen]
            first_msg = min((m["at_us"] for m in msgs), default=None)
            r429 = [r for r in reqs if r["status"] == 429]
            warm = first_msg / 1e6 + 60 if first_msg else None
            am_metrics = {}
            try:
                pm = prometheus(am["url"] + "/metrics")
                integration = "webhook" if side == "relay" else "telegram"
                am_metrics = {
                    "notifications": metric_sum(pm, "alertmanager_notifications_total", integration=integration),
                    "notifications_failed": metric_sum(pm, "alertmanager_notifications_failed_total", integration=integration),
                    "requests": metric_sum(pm, "alertmanager_notification_requests_total", integration=integration),
                    "requests_failed": metric_sum(pm, "alertmanager_notification_requests_failed_total", integration=integration),
                }
            except Exception as e:  # noqa: BLE001
                am_metrics = {"error": str(e)}
            # Telegram counts its 4096 in UTF-16 units; the lower bound is the text sent in messages that were full
            sent_texts = [m["text"] for m in msgs]
            text_units = sum(len(t.encode("utf-16-le")) // 2 for t in sent_texts)
            entry = {
                "run": s["run"], "side": side, "chat": chat,
                "alerts": len(expected),
                "text_units": text_units,
                "lower_bound_messages": -(-text_units // 4096),
                "messages_sent": sum(1 for r in reqs if r["method"] == "sendMessage" and r["status"] == 200),
                "edits": sum(1 for r in reqs if r["method"] == "editMessageText" and r["status"] == 200),
                "requests": len(reqs),
                "status_429": len(r429),
                "status_429_after_first_minute": sum(1 for r in r429 if warm and r["at_us"] / 1e6 > warm),
                "other_errors": sum(1 for r in reqs if r["status"] not in (200, 429)),
                "alerts_never_shown": len(missing),
                "all_visible_s": max(visible) if not missing else None,
                "last_visible_s": max(visible) if visible else None,
                "first_visible_s": min(visible) if visible else None,
                "visible_at_60s": sum(1 for v in visible if v <= 60),
                "visible_at_120s": sum(1 for v in visible if v <= 120),
                "alertmanager": am_metrics,
            }
            if side == "relay":
                try:
                    m = s["relay"].metrics()
                    entry["relay"] = {
                        "received": metric_sum(m, "relay_notifications_received_total"),
                        "delivered": metric_sum(m, "relay_deliveries_total", outcome="delivered"),
                        "retried": metric_sum(m, "relay_deliveries_total", outcome="retried"),
                        "dead": metric_sum(m, "relay_deliveries_total", outcome="dead"),
                    }
                except Exception as e:  # noqa: BLE001
                    entry["relay"] = {"error": str(e)}
            out.append(entry)
    return {"started_at": t0, "posting_s": posted_until - t0, "post_errors": post_errors[:20],
            "bound_s": STORM_BOUND, "runs": out}


def e2e_payload(template, token):
    """The 1-alert payload with a unique instance (shown in the message) and groupKey."""
    p = json.loads(template)
    p["alerts"][0]["labels"]["instance"] = token
    p["commonLabels"]["instance"] = token
    p["groupKey"] = p["groupKey"][:-1] + f', e2e="{token}"}}'
    return json.dumps(p, ensure_ascii=False).encode()


def fmt_ms(v):
    return "–" if v is None else f"{v:.1f}"


def e2e_side_by_side(b, sides, run, seconds, warmup=False):
    """phase_e2e for every side at once, a thread each, on one common schedule: {side key: result}."""
    start_at = time.time() + 0.5  # after every thread has taken its "before" scrape
    with concurrent.futures.ThreadPoolExecutor(len(sides)) as ex:
        futures = {s["key"]: ex.submit(phase_e2e, b, s["relay"], s["fake"], s["channel"], run, seconds, E2E_RATE,
                                       warmup=warmup, start_at=start_at) for s in sides}
        return {key: f.result() for key, f in futures.items()}


def phase_e2e(b, relay, fake, channel, run, seconds, rate, warmup=False, start_at=None):
    """accept → delivered on one relay: `rate` notifications/s for `seconds`, each found again in what the
    relay's fake (`fake`, its control endpoint) received; the relay's figures are those of `channel` only."""
    with open(PAYLOADS["1"], encoding="utf-8") as f:
        template = f.read()
    n = int(seconds * rate)
    prefix = f"e2e{'w' if warmup else ''}{run}-"
    conn = http.client.HTTPConnection("127.0.0.1", relay.port, timeout=10)
    before = relay.metrics()
    sent = []
    if start_at is not None:
        time.sleep(max(0.0, start_at - time.time()))
    t0 = time.time()
    for i in range(n):
        at = t0 + i / rate
        delay = at - time.time()
        if delay > 0:
            time.sleep(delay)
        token = f"{prefix}{i:05d}.e2e.example"
        body = e2e_payload(template, token)
        ts = time.time()
        conn, status = post_json(conn, relay.port, "/webhook", body)
        sent.append((token, ts, time.time(), status))
    conn.close()
    # everything accepted must arrive; give the last ones a moment
    deadline = time.time() + 30
    while True:
        _, raw = http_get(fake["control"] + "/messages", timeout=30)
        seen = {}
        for m in json.loads(raw):
            for tok in re.findall(re.escape(prefix) + r"\d{5}\.e2e\.example", m["text"]):
                seen.setdefault(tok, m["at_us"] / 1e6)
        if all(t in seen for t, _, _, st in sent if st == 200) or time.time() > deadline:
            break
        time.sleep(0.2)
    time.sleep(0.3)
    after = relay.metrics()
    lat = [(seen[t] - t200) * 1000 for t, _, t200, st in sent if st == 200 and t in seen]
    ingest = [(t200 - ts) * 1000 for _, ts, t200, st in sent if st == 200]
    name = "relay_delivery_latency_seconds"

    def increase(metric, **labels):
        return metric_sum(after, metric, channel=channel, **labels) - metric_sum(before, metric, channel=channel, **labels)

    out = {
        "run": run, "channel": channel, "sent": n, "accepted": sum(1 for s in sent if s[3] == 200),
        "errors": sum(1 for s in sent if s[3] != 200),
        "delivered_seen_by_fake": len(lat), "missing": sum(1 for t, _, _, st in sent if st == 200 and t not in seen),
        "send_span_s": sent[-1][1] - sent[0][1] if sent else 0,
        "fake_p50_ms": percentile(lat, 50), "fake_p99_ms": percentile(lat, 99), "fake_max_ms": max(lat) if lat else None,
        "relay_p50_ms": (histogram_quantile(0.5, before, after, name, channel=channel) or 0) * 1000,
        "relay_p99_ms": (histogram_quantile(0.99, before, after, name, channel=channel) or 0) * 1000,
        "relay_count": increase(name + "_count"),
        "relay_retried": increase("relay_deliveries_total", outcome="retried"),
        "relay_dead": increase("relay_deliveries_total", outcome="dead"),
        "webhook_p50_ms": percentile(ingest, 50), "webhook_p99_ms": percentile(ingest, 99),
    }
    quota = [v for (n2, ls), v in after.items() if n2 == "relay_kakao_quota_remaining" and ("channel", channel) in ls]
    if quota:
        out["kakao_quota_remaining"] = quota[0]  # messages the channel may still send today, after this run
    return out


# ------------------------------------------------------------------------------------------------- soak

# --relay.delivery.* of the soak relays (both builds): delivered notifications older than a minute are pruned
# every 10 s, so the retained set stays at about SOAK_RATE × 65 s while the store keeps being written
SOAK_RETENTION, SOAK_DEDUPE_WINDOW, SOAK_PRUNE_INTERVAL = "1m", "1m", "10s"


def start_soak_relays(b, run):
    """The soak relays of one run, {store: Relay}, each its own JVM and (fresh) data dir; "h2-baseline" only
    when there is a baseline build. Default log channel, output muted as in the ingest runs."""
    args = ["--logging.level.relay.alerts=WARN", f"--relay.delivery.retention={SOAK_RETENTION}",
            f"--relay.delivery.dedupe-window={SOAK_DEDUPE_WINDOW}",
            f"--relay.delivery.prune-interval={SOAK_PRUNE_INTERVAL}"]
    relays = {"embedded": b.start_relay(f"soak-embedded-{run}", args)}
    if b.baseline_app:
        relays["h2-baseline"] = b.start_relay(f"soak-h2-baseline-{run}", args, app=b.baseline_app)
    return relays


def soak_body(template, token):
    """The 10-alert payload as its own notification: its own groupKey and, on every alert, its own instance."""
    p = json.loads(template)
    for i, a in enumerate(p["alerts"]):
        a["labels"]["instance"] = f"{token}-a{i:02d}.soak.example:9100"
    if "instance" in p.get("commonLabels", {}):
        p["commonLabels"]["instance"] = token
    p["groupKey"] = p["groupKey"][:-1] + f', soak="{token}"}}'
    return json.dumps(p, ensure_ascii=False).encode()


def soak_sender(relay, store, run, t0, st, n=None, path="/webhook", rate=None):
    """`rate` (default SOAK_RATE) notifications/s, n of them (default SOAK_SECONDS' worth), on one keep-alive
    connection, each at t0 + i / rate (a late one is sent at once; how late the latest was is recorded)."""
    rate = rate or SOAK_RATE
    with open(PAYLOADS["10"], encoding="utf-8") as f:
        template = f.read()
    conn = http.client.HTTPConnection("127.0.0.1", relay.port, timeout=10)
    prefix = "soakw" if "dry-run" in path else "soak"
    for i in range(int(SOAK_SECONDS * SOAK_RATE) if n is None else n):
        body = soak_body(template, f"{prefix}{run}-{store}-{i:06d}")
        delay = t0 + i / rate - time.time()
        if delay > 0:
            time.sleep(delay)
        else:
            st["max_lag_s"] = max(st["max_lag_s"], -delay)
            st["late_over_100ms"] += delay < -0.1
        ts = time.time()
        conn, status = post_json(conn, relay.port, path, body)
        st["latency_ms"].append((time.time() - ts) * 1000)
        st["sent"] += 1
        if status == 200:
            st["accepted"] += 1
        else:
            st["errors"] += 1
    conn.close()


def dir_usage(path):
    """(bytes on disk: sum of st_blocks × 512, apparent bytes: sum of st_size, {file: [on disk, apparent]})
    of every file under `path`; a file that disappears while being listed (a checkpointed WAL) is skipped."""
    disk = apparent = 0
    files = {}
    for dirpath, _, names in os.walk(path):
        for name in names:
            fp = os.path.join(dirpath, name)
            try:
                st = os.lstat(fp)
            except OSError:
                continue
            disk += st.st_blocks * 512
            apparent += st.st_size
            files[os.path.relpath(fp, path)] = [st.st_blocks * 512, st.st_size]
    return disk, apparent, files


def soak_steady_retained():
    """What a store keeps at SOAK_RATE once pruning runs: the retention period plus, on average, half a
    prune interval."""
    return SOAK_RATE * (parse_seconds(SOAK_RETENTION) + parse_seconds(SOAK_PRUNE_INTERVAL) / 2)


def soak_sample(relay, st, tick):
    disk, apparent, files = dir_usage(relay.data_dir)
    e = {"t_s": tick, "disk_bytes": disk, "apparent_bytes": apparent, "files": files,
         "sent": st["sent"], "accepted": st["accepted"]}
    gauge = []
    try:
        m = relay.metrics()
        gauge = [v for (n, _), v in m.items() if n == "relay_store_notifications" and not math.isnan(v)]
        received = metric_sum(m, "relay_notifications_received_total") - metric_sum(m, "relay_notifications_duplicate_total")
        e["delivered"] = metric_sum(m, "relay_deliveries_total", outcome="delivered")
        e["dead"] = metric_sum(m, "relay_deliveries_total", outcome="dead")
        e["backlog"] = received - e["delivered"] - e["dead"]
    except Exception as ex:  # noqa: BLE001 - a missed scrape is recorded, not fatal
        e["metrics_error"] = repr(ex)
    if gauge:
        e["retained"], e["retained_estimated"] = sum(gauge), False
    else:
        # no gauge (the H2 baseline has none): rate × (retention + prune interval / 2), and never more than
        # were accepted so far (the first minute, before anything is old enough to be pruned)
        e["retained"], e["retained_estimated"] = min(float(st["accepted"]), soak_steady_retained()), True
    return e


def phase_soak(run, relays):
    """One soak run on ready relays ({store: Relay}), all in the same time window: a sender thread each, and
    this thread sampling every relay every SOAK_SAMPLE s (and at every full minute) from t0 to SOAK_SECONDS."""
    def new_stats():
        return {"sent": 0, "accepted": 0, "errors": 0, "max_lag_s": 0.0, "late_over_100ms": 0, "latency_ms": []}

    # JIT warm-up that stores nothing: SOAK_WARMUP parse-only requests (?dry-run=true) to each relay at 5×
    # the rate, so that the first minute is not spent interpreting the request path
    t0 = time.time() + 0.2
    warm = [threading.Thread(target=soak_sender, args=(r, k, run, t0, new_stats()),
                             kwargs={"n": SOAK_WARMUP, "path": "/webhook?dry-run=true", "rate": 5 * SOAK_RATE},
                             daemon=True) for k, r in relays.items()]
    for t in warm:
        t.start()
    for t in warm:
        t.join(120)
    t0 = time.time() + 0.5
    stats = {k: new_stats() for k in relays}
    senders = [threading.Thread(target=soak_sender, args=(r, k, run, t0, stats[k]), daemon=True)
               for k, r in relays.items()]
    for t in senders:
        t.start()
    ticks = sorted(set(range(0, SOAK_SECONDS + 1, SOAK_SAMPLE)) | set(range(60, SOAK_SECONDS + 1, 60)) | {SOAK_SECONDS})
    samples = {k: [] for k in relays}
    for tick in ticks:
        time.sleep(max(0.0, t0 + tick - time.time()))
        for k, r in relays.items():
            samples[k].append(soak_sample(r, stats[k], tick))
        if tick and tick % 60 == 0:
            log(f"soak r{run} minute {tick // 60}: " + ", ".join(
                f"{k} {samples[k][-1]['disk_bytes'] / 2**20:.1f} MiB, {'≈' if samples[k][-1]['retained_estimated'] else ''}"
                f"{samples[k][-1]['retained']:.0f} retained" for k in relays))
    for t in senders:
        t.join(30)
    out = {}
    for k, r in relays.items():
        lat = stats[k].pop("latency_ms")
        stats[k].update(webhook_p50_ms=percentile(lat, 50), webhook_p99_ms=percentile(lat, 99),
                        webhook_max_ms=max(lat) if lat else None)
        minutes = [dict(minute=x["t_s"] // 60, **{f: x[f] for f in ("disk_bytes", "apparent_bytes", "retained",
                                                                    "retained_estimated")})
                   for x in samples[k] if x["t_s"] and x["t_s"] % 60 == 0]
        out[k] = {"relay": r.name, "build": "baseline" if k == "h2-baseline" else "current",
                  "gauge": any(not x["retained_estimated"] for x in samples[k]),
                  "minutes": minutes, "samples": samples[k], **stats[k]}
        log(f"soak r{run} {k}: sent {stats[k]['sent']}, accepted {stats[k]['accepted']}, errors {stats[k]['errors']}, "
            f"max lag {stats[k]['max_lag_s']:.2f} s, webhook p50 {fmt_ms(stats[k]['webhook_p50_ms'])} "
            f"p99 {fmt_ms(stats[k]['webhook_p99_ms'])} ms, final {samples[k][-1]['disk_bytes'] / 2**20:.1f} MiB on disk")
    return {"run": run, "started_at": t0, "stores": out}


def soak_all(b, first, res):
    """Every soak run, one after the other (run 1 on the relays started with everything else, later runs on
    new ones): res["soak"]. Each run's relays are killed at its end (no graceful stop: H2 would compact)."""
    runs = []
    try:
        for run in range(1, SOAK_RUNS + 1):
            relays = first if run == 1 else start_soak_relays(b, run)
            try:
                for r in relays.values():
                    b.await_relay(r)
                log(f"soak run {run}: {SOAK_RATE:.0f} notifications/s × {SOAK_SECONDS} s to " + ", ".join(relays))
                runs.append(phase_soak(run, relays))
            finally:
                for r in relays.values():
                    b.procs.kill(r.proc, signal.SIGKILL)
    except Exception as e:  # noqa: BLE001 - recorded; the other phases go on
        log(f"soak failed: {e!r}")
        res["soak_error"] = repr(e)
    res["soak"] = {"rate": SOAK_RATE, "seconds": SOAK_SECONDS, "sample_s": SOAK_SAMPLE, "payload": "10",
                   "warmup_parse_only": SOAK_WARMUP,
                   "retention": SOAK_RETENTION, "dedupe_window": SOAK_DEDUPE_WINDOW,
                   "prune_interval": SOAK_PRUNE_INTERVAL, "steady_retained_estimate": soak_steady_retained(),
                   "runs": runs}


def ingest_run(b, relay, store, path, payload_key, rnd, other_relays, pg_pid=None):
    url = relay.url + path
    run_id = f"r{rnd}-{store}-{'dry' if 'dry-run' in path else 'dur'}-{payload_key}-{int(time.time())}"
    pid = relay.proc.pid
    c0, m0, l0 = cpu_seconds(pid), machine_cpu(), os.getloadavg()[0]
    others0 = sum(cpu_seconds(r.proc.pid) for r in other_relays if r.proc.poll() is None)
    pg0 = tree_cpu_seconds(pg_pid) if pg_pid else 0.0
    r = run_wrk(url, PAYLOADS[payload_key], INGEST_SECONDS, run_id,
                os.path.join(b.out, "wrk", f"{run_id}.json"))
    c1, m1 = cpu_seconds(pid), machine_cpu()
    others1 = sum(cpu_seconds(r2.proc.pid) for r2 in other_relays if r2.proc.poll() is None)
    pg1 = tree_cpu_seconds(pg_pid) if pg_pid else 0.0
    drain_s, drained = (0.0, True)
    if "dry-run" not in path:
        drain_s, drained = b.drain(relay)
    c2 = cpu_seconds(pid)
    tck = os.sysconf("SC_CLK_TCK")
    busy_s = (m1[0] - m0[0]) / tck
    wall = r["duration_us"] / 1e6
    lat = r["latency_us"]
    res = {
        "round": rnd, "store": store, "path": "parse-only" if "dry-run" in path else "durable",
        "payload": payload_key, "requests": r["requests"], "duration_s": wall,
        "rps": r["requests"] / wall, "p50_ms": lat["p50"] / 1000, "p90_ms": lat["p90"] / 1000,
        "p99_ms": lat["p99"] / 1000, "max_ms": lat["max"] / 1000, "mean_ms": lat["mean"] / 1000,
        "errors": r["errors"], "errors_total": sum(r["errors"].values()),
        "relay_cpu_ms_per_req": (c1 - c0) * 1000 / max(1, r["requests"]),
        "relay_cpu_ms_per_req_incl_drain": (c2 - c0) * 1000 / max(1, r["requests"]),
        "wrk_cpu_s": r["wrk_cpu_s"],
        "machine_busy_cores": busy_s / wall,
        "postgres_cpu_ms_per_req": (pg1 - pg0) * 1000 / max(1, r["requests"]),
        "other_cpu_cores": max(0.0, busy_s - (c1 - c0) - r["wrk_cpu_s"] - (others1 - others0) - (pg1 - pg0)) / wall,
        "loadavg_1m_before": l0, "drain_s": drain_s, "drained": drained,
    }
    log(f"ingest r{rnd} {store:11s} {res['path']:10s} {payload_key:>2s} alerts: {res['rps']:7.0f} req/s "
        f"p50 {res['p50_ms']:5.1f} p99 {res['p99_ms']:6.1f} max {res['max_ms']:6.1f} ms err {res['errors_total']} "
        f"cpu {res['relay_cpu_ms_per_req']:.2f} ms/req (+pg {res['postgres_cpu_ms_per_req']:.2f}), drain {drain_s:.1f} s, others {res['other_cpu_cores']:.2f} cores")
    return res


def warmup(relay, seconds, paths=("/webhook", "/webhook?dry-run=true")):
    """JIT warm-up, not measured: `seconds` of wrk per path and payload."""
    for path in paths:
        for key in ("10", "1"):
            run_wrk(relay.url + path, PAYLOADS[key], seconds, f"warm-{relay.name}-{key}-{int(time.time() * 1000)}",
                    os.path.join(BENCH_OUT, "wrk", "warmup.json"))


# ---------------------------------------------------------------------------------------------- console

# Console list pages against a realistically filled store: CONSOLE_NOTIFICATIONS notifications seeded through
# POST /webhook (bounded by CONSOLE_SEED_SECONDS), deliveries allowed to settle (bounded by CONSOLE_SETTLE_SECONDS),
# then every console URL CONSOLE_WARMUP + CONSOLE_N times in a row, logged in like a browser. The embedded and
# the PostgreSQL relay side by side: seeded at the same time, measured URL by URL in turn.
CONSOLE_NOTIFICATIONS = int(os.environ.get("BENCH_CONSOLE_NOTIFICATIONS", "100000"))
CONSOLE_SEED_SECONDS = int(os.environ.get("BENCH_CONSOLE_SEED_SECONDS", "900"))
CONSOLE_SEED_CONNECTIONS = int(os.environ.get("BENCH_CONSOLE_SEED_CONNECTIONS", "8"))  # per relay
CONSOLE_SETTLE_SECONDS = int(os.environ.get("BENCH_CONSOLE_SETTLE_SECONDS", "300"))
CONSOLE_N = int(os.environ.get("BENCH_CONSOLE_N", "50"))
CONSOLE_WARMUP = int(os.environ.get("BENCH_CONSOLE_WARMUP", "5"))
CONSOLE_URL_SECONDS = int(os.environ.get("BENCH_CONSOLE_URL_SECONDS", "30"))  # per URL and store, warm-up included
CONSOLE_GET_TIMEOUT = int(os.environ.get("BENCH_CONSOLE_GET_TIMEOUT", "30"))
CONSOLE_TARGET_MS = 200
# statements to EXPLAIN after the measurements (files, by default bench/console/explain-*.sql: the console's
# statements with literal values; separated by lines holding only ";"): EXPLAIN QUERY PLAN and a timed run on the
# embedded store (read-only, while its relay still runs), EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL
CONSOLE_EXPLAIN_SQLITE = os.environ.get("BENCH_CONSOLE_EXPLAIN_SQLITE", os.path.join(BENCH, "console", "explain-sqlite.sql"))
CONSOLE_EXPLAIN_PG = os.environ.get("BENCH_CONSOLE_EXPLAIN_PG", os.path.join(BENCH, "console", "explain-pg.sql"))
CONSOLE_ADMIN_TOKEN = "bench-console-admin-token"
# private chats (positive ids): a group's 20 messages a minute would keep 100,000 notifications queued for hours
CONSOLE_CHAT_OPS = "424243"
CONSOLE_CHAT_DB = "424244"  # the fake answers 400 "chat not found": dead at once
CONSOLE_RARE_TERM = "quokka"
CONSOLE_COMMON_TERM = "node-exporter"

CONSOLE_ALERTNAMES = [
    "HighCPUUsage", "HighMemoryUsage", "DiskSpaceLow", "DiskWillFillIn4Hours", "NodeDown", "InstanceDown",
    "HighLoadAverage", "NetworkReceiveErrors", "NetworkTransmitErrors", "ClockSkewDetected", "OOMKilled",
    "PodCrashLooping", "PodNotReady", "DeploymentReplicasMismatch", "StatefulSetReplicasMismatch",
    "ContainerRestarting", "KubeJobFailed", "KubeAPIErrorsHigh", "KubeletDown", "EtcdMembersDown",
    "EtcdHighFsyncDuration", "PostgresReplicationLag", "PostgresTooManyConnections", "PostgresDeadlocks",
    "PostgresSlowQueries", "MySQLReplicationStopped", "RedisMemoryHigh", "RedisDown", "KafkaConsumerLag",
    "KafkaUnderReplicatedPartitions", "RabbitMQQueueGrowing", "ElasticsearchClusterRed", "ElasticsearchHeapHigh",
    "HighErrorRate", "HighLatencyP99", "ApdexLow", "CertificateExpiringSoon", "CertificateExpired",
    "BlackboxProbeFailed", "BlackboxSlowProbe", "NginxHigh5xx", "IngressHighLatency", "PaymentGatewayErrors",
    "OrderQueueBacklog", "CronJobMissed", "BackupFailed", "SMARTDiskFailing", "RAIDDegraded",
    "PrometheusTargetMissing", "AlertmanagerNotificationsFailing"]
CONSOLE_TEAMS = ["db"] * 15 + ["web"] * 20 + ["platform"] * 25 + ["payments"] * 15 + ["search"] * 10 + ["infra"] * 15
CONSOLE_JOBS = ["node-exporter"] * 50 + ["kube-state-metrics"] * 15 + ["postgres-exporter", "redis-exporter",
                                                                       "blackbox", "order-service", "api-gateway"] * 7
CONSOLE_CLUSTERS = ["prod-kr1"] * 5 + ["prod-kr2"] * 3 + ["stage"] * 2
CONSOLE_ROUTES = ["infra"] * 4 + ["app"] * 4 + [""] * 2  # "" = the default route, POST /webhook


def console_payloads(n, seed=20261205):
    """n Alertmanager notifications: [(path, body)], firing groups and, later, ~30 % of them resolved (same
    groupKey and alerts, status resolved). 50 alertnames, 6 teams (db ~15 %: the failing channel's share), 7
    jobs, 3 clusters, 1-3 alerts each; about one notification in 5,000 has an alert whose instance contains
    CONSOLE_RARE_TERM; about half have job CONSOLE_COMMON_TERM. Every alert has its own fingerprint and
    startsAt, so nothing is a duplicate."""
    import random
    rnd = random.Random(seed)
    base = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)
    out, open_groups = [], []
    gid = 0
    while len(out) < n:
        i = len(out)
        if open_groups and open_groups[0][0] < i - 200 and rnd.random() < 0.3:
            _, path, p = open_groups.pop(rnd.randrange(min(len(open_groups), 50)))
            p = json.loads(json.dumps(p))
            p["status"] = "resolved"
            for a in p["alerts"]:
                a["status"] = "resolved"
                a["endsAt"] = (datetime.datetime.fromisoformat(a["startsAt"]) +
                               datetime.timedelta(minutes=rnd.randint(1, 90))).isoformat()
            out.append((path, json.dumps(p, ensure_ascii=False).encode()))
            continue
        gid += 1
        name = rnd.choice(CONSOLE_ALERTNAMES)
        team, job, cluster = rnd.choice(CONSOLE_TEAMS), rnd.choice(CONSOLE_JOBS), rnd.choice(CONSOLE_CLUSTERS)
        severity = rnd.choice(["critical", "warning", "warning", "info"])
        route = rnd.choice(CONSOLE_ROUTES)
        rare = rnd.randrange(5000) == 0
        starts = base + datetime.timedelta(seconds=gid * 7 + rnd.randint(0, 6))
        alerts = []
        for a in range(rnd.choice([1] * 7 + [2] * 2 + [3])):
            host = f"{CONSOLE_RARE_TERM}-{gid}" if rare and a == 0 else f"{team}-{rnd.randrange(400):03d}"
            labels = {"alertname": name, "severity": severity, "team": team, "job": job, "cluster": cluster,
                      "instance": f"{host}.{cluster}.example:{9100 + a}",
                      "namespace": rnd.choice(["default", "monitoring", "shop", "search", "data", "kube-system"])}
            if job == "kube-state-metrics":
                labels["pod"] = f"{name.lower()}-{rnd.randrange(16 ** 5):05x}"
            alerts.append({
                "status": "firing", "labels": labels,
                "annotations": {"summary": f"{name} on {labels['instance']}",
                                "description": f"{name}: value {rnd.uniform(0, 100):.1f} above threshold for 5m "
                                               f"(경보 {gid})",
                                "runbook_url": f"https://runbooks.example.com/{name}"},
                "startsAt": (starts + datetime.timedelta(milliseconds=a)).isoformat(),
                "endsAt": "0001-01-01T00:00:00Z",
                "generatorURL": f"http://prometheus.example:9090/graph?g0.expr={name}",
                "fingerprint": f"{gid:010x}{a:06x}"})
        common = {k: v for k, v in alerts[0]["labels"].items() if all(x["labels"].get(k) == v for x in alerts)}
        group_labels = {"alertname": name, "cluster": cluster, "team": team}
        p = {"receiver": route or "relay", "status": "firing", "alerts": alerts, "groupLabels": group_labels,
             "commonLabels": common, "commonAnnotations": {"runbook_url": f"https://runbooks.example.com/{name}"},
             "externalURL": "http://alertmanager.example:9093", "version": "4",
             "groupKey": "{}:{" + ", ".join(f'{k}="{v}"' for k, v in group_labels.items()) + f', g="{gid}"}}',
             "truncatedAlerts": 0}
        path = "/webhook/" + route if route else "/webhook"
        out.append((path, json.dumps(p, ensure_ascii=False).encode()))
        open_groups.append((i, path, p))
    return out


def console_seed(relay, payloads, deadline, st):
    """POSTs the payloads in order over CONSOLE_SEED_CONNECTIONS keep-alive connections until done or the
    deadline: st gets sent, accepted, errors, seconds."""
    lock = threading.Lock()
    it = iter(range(len(payloads)))
    t0 = time.time()

    def sender():
        conn = http.client.HTTPConnection("127.0.0.1", relay.port, timeout=30)
        while time.time() < deadline:
            with lock:
                i = next(it, None)
            if i is None:
                break
            path, body = payloads[i]
            conn, status = post_json(conn, relay.port, path, body)
            with lock:
                st["sent"] += 1
                if status == 200:
                    st["accepted"] += 1
                else:
                    st["errors"] += 1
                    if len(st["error_samples"]) < 5:
                        st["error_samples"].append(f"{path}: {status}")
        conn.close()

    threads = [threading.Thread(target=sender, daemon=True) for _ in range(CONSOLE_SEED_CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(1.0, deadline - time.time() + 35))
    st["seconds"] = time.time() - t0
    st["rate"] = st["accepted"] / st["seconds"] if st["seconds"] else None
    st["bounded"] = st["sent"] < len(payloads)


def console_backlog(relay):
    """(deliveries waiting: gauge relay_delivery_queue_depth summed, notifications stored: relay_store_notifications,
    {channel: {outcome: count}})."""
    m = relay.metrics()
    depth = metric_sum(m, "relay_delivery_queue_depth")
    stored = metric_sum(m, "relay_store_notifications")
    outcomes = {}
    for (n, ls), v in m.items():
        if n == "relay_deliveries_total":
            d = dict(ls)
            outcomes.setdefault(d.get("channel"), {})[d.get("outcome")] = v
    return depth, stored, outcomes


def console_settle(relays, seeded_at, res):
    """Waits (at most CONSOLE_SETTLE_SECONDS after seeding ended) until every relay's queue depth is 0 on a
    refresh taken after seeding (the gauge is refreshed every 5 s); records the state either way."""
    t0 = time.time()
    pending = dict(relays)
    while pending:
        for key, r in list(pending.items()):
            try:
                depth, stored, outcomes = console_backlog(r)
            except Exception as e:  # noqa: BLE001
                res[key]["settle_error"] = repr(e)
                continue
            res[key].update(backlog=depth, stored=stored, outcomes=outcomes, settle_s=time.time() - t0)
            if depth == 0 and time.time() - seeded_at > 7:
                res[key]["settled"] = True
                del pending[key]
        if time.time() - t0 > CONSOLE_SETTLE_SECONDS:
            for key in pending:
                res[key]["settled"] = False
            break
        time.sleep(1)
    for key, r in relays.items():
        log(f"console {key}: stored {res[key].get('stored')}, backlog {res[key].get('backlog')} after "
            f"{res[key].get('settle_s', 0):.0f} s ({'settled' if res[key].get('settled') else 'NOT settled'}), "
            f"deliveries {res[key].get('outcomes')}")


class ConsoleBrowser:
    """A logged-in browser session: urllib with a cookie jar, form login with the page's CSRF token."""

    def __init__(self, relay, token):
        import http.cookiejar
        import urllib.parse
        self.base = relay.url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        with self.opener.open(self.base + "/login", timeout=CONSOLE_GET_TIMEOUT) as r:
            page = r.read().decode("utf-8", "replace")
        m = (re.search(r'<input[^>]*name="_csrf"[^>]*value="([^"]*)"', page)
             or re.search(r'<input[^>]*value="([^"]*)"[^>]*name="_csrf"', page))
        if not m:
            raise RuntimeError(f"no _csrf input on {self.base}/login")
        form = urllib.parse.urlencode({"username": "bench", "password": token, "_csrf": m.group(1)}).encode()
        req = urllib.request.Request(self.base + "/login", data=form, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        with self.opener.open(req, timeout=CONSOLE_GET_TIMEOUT) as r:
            r.read()
            landed = r.geturl()
        if "/login" in landed or not any(c.name.upper().startswith("JSESSIONID") or "SESSION" in c.name.upper()
                                         for c in self.jar):
            raise RuntimeError(f"login to {self.base} failed: landed on {landed}, cookies {[c.name for c in self.jar]}")
        self.cookies = [c.name for c in self.jar]

    def get(self, path):
        """(status, bytes, milliseconds, final URL); a redirect to /login counts as status 401."""
        t0 = time.perf_counter()
        try:
            with self.opener.open(self.base + path, timeout=CONSOLE_GET_TIMEOUT) as r:
                body = r.read()
                status, url = r.status, r.geturl()
        except urllib.error.HTTPError as e:
            body, status, url = e.read(), e.code, e.geturl()
        ms = (time.perf_counter() - t0) * 1000
        if "/login" in url and "/login" not in path:
            status = 401
        return status, body, ms, url


NOTIFICATION_LINK = re.compile(rb'/console/notifications/(\d+)')


def console_urls(ids):
    """[(key, label, path)] of what the phase measures; ids: {"newest", "oldest", "mid"} of the store."""
    return [
        ("first", "notifications, first page", "/console/notifications"),
        ("route", "route=infra", "/console/notifications?route=infra"),
        ("status", "status=resolved", "/console/notifications?status=resolved"),
        ("channel", "channel=db", "/console/notifications?channel=db"),
        ("state-dead", "state=dead", "/console/notifications?state=dead"),
        ("state-pending", "state=pending (few or none left)", "/console/notifications?state=pending"),
        ("q-rare", f"q={CONSOLE_RARE_TERM} (rare, ~1 in 5,000)", f"/console/notifications?q={CONSOLE_RARE_TERM}"),
        ("q-common", f"q={CONSOLE_COMMON_TERM} (~half)", f"/console/notifications?q={CONSOLE_COMMON_TERM}"),
        ("channel-dead", "channel=db&state=dead", "/console/notifications?channel=db&state=dead"),
        ("deep", "before= near the oldest (deep page)", f"/console/notifications?before={ids['oldest'] + 100}"),
        ("one", "one notification", f"/console/notifications/{ids['mid']}"),
        ("dead-letters", "dead letters", "/console/dead-letters"),
        ("dead-letters-channel", "dead letters, channel=db", "/console/dead-letters?channel=db"),
        ("overview", "overview", "/console"),
        ("fragment", "overview channel fragment (every 5 s)", "/console/overview/channels"),
    ]


def console_measure(browsers, paths):
    """CONSOLE_WARMUP then CONSOLE_N GETs of one URL on every store ({key: path}), one request at a time and the
    stores taking turns request by request, so that both see the same moments of the machine; a store stops
    once its requests have taken CONSOLE_URL_SECONDS, or at once when its first answer is not 200."""
    st = {k: {"times": [], "sizes": [], "statuses": {}, "rows": None, "warm": [], "spent": 0.0, "done": False}
          for k in paths}
    for i in range(CONSOLE_WARMUP + CONSOLE_N):
        for key, path in paths.items():
            x = st[key]
            if x["done"]:
                continue
            try:
                status, body, ms, _ = browsers[key].get(path)
            except Exception as e:  # noqa: BLE001 - a timeout is a result
                status, body, ms = f"error: {e.__class__.__name__}", b"", CONSOLE_GET_TIMEOUT * 1000.0
            x["spent"] += ms / 1000
            x["statuses"][str(status)] = x["statuses"].get(str(status), 0) + 1
            if x["spent"] > CONSOLE_URL_SECONDS or (status != 200 and i == 0):
                x["done"] = True  # out of time, or not there (yet): nothing (more) to measure
            if status != 200:
                continue
            if i < CONSOLE_WARMUP:
                x["warm"].append(ms)
                continue
            x["times"].append(ms)
            x["sizes"].append(len(body))
            if x["rows"] is None:
                x["rows"] = len(set(NOTIFICATION_LINK.findall(body)))
    out = {}
    for key, path in paths.items():
        x = st[key]
        times = x["times"]
        out[key] = {"path": path, "n": len(times), "statuses": x["statuses"], "warmup_ms": x["warm"],
                    "p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95),
                    "p99_ms": percentile(times, 99), "max_ms": max(times) if times else None,
                    "mean_ms": sum(times) / len(times) if times else None,
                    "bytes": int(statistics_median(x["sizes"])) if x["sizes"] else None,
                    "notification_links": x["rows"], "bounded": len(times) < CONSOLE_N and bool(times),
                    "meets_target": (percentile(times, 99) < CONSOLE_TARGET_MS) if times else None}
    return out


def statistics_median(values):
    s = sorted(values)
    return s[len(s) // 2]


def run_sql(b, jdbc, user, password, statements, name):
    """statements (a list) through BenchSql; its output (also in logs/sql-NAME.log)."""
    cmd = ["java", "-cp", os.path.join(b.out, "bench-classes") + ":" + b.classpath, "com.alertrelay.bench.BenchSql",
           jdbc, user, password]
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         start_new_session=True)
    line = f"{p.pid} sql-{name}\n"
    with b.procs.lock:
        with open(b.procs.pidfile, "a") as f:
            f.write(line)
    try:
        out, _ = p.communicate("\n;\n".join(statements).encode(), timeout=300)
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
    # ended: out of the pids file again, so that a pid reused meanwhile is never signalled
    with b.procs.lock:
        with open(b.procs.pidfile) as f:
            lines = f.readlines()
        with open(b.procs.pidfile, "w") as f:
            f.writelines(x for x in lines if x != line)
    text = out.decode(errors="replace")
    with open(os.path.join(b.logs, f"sql-{name}.log"), "a") as f:
        f.write(text)
    return text


def read_statements(path):
    """[(label: its last comment line, statement without comment lines)] of a file of statements separated by
    lines holding only ";"."""
    out = []
    with open(path) as f:
        for chunk in re.split(r"(?m)^\s*;\s*$", f.read()):
            lines = chunk.strip().splitlines()
            comments = [x[2:].strip() for x in lines if x.lstrip().startswith("--")]
            sql = "\n".join(x for x in lines if not x.lstrip().startswith("--")).strip()
            if sql:
                out.append((comments[-1] if comments else "", sql))
    return out


def label_sql_output(text, labels):
    """BenchSql's "-- [n] ms" headers with the statement's label."""
    return re.sub(r"(?m)^-- \[(\d+)\] ", lambda m: f"-- [{m.group(1)}] {labels[int(m.group(1)) - 1]}: "
                  if int(m.group(1)) <= len(labels) else m.group(0), text)


def phase_console(b, pg):
    """The console phase (see CONSOLE_*): returns res["console"]."""
    res = {"config": {"notifications": CONSOLE_NOTIFICATIONS, "seed_seconds": CONSOLE_SEED_SECONDS,
                      "seed_connections": CONSOLE_SEED_CONNECTIONS, "settle_seconds": CONSOLE_SETTLE_SECONDS,
                      "n": CONSOLE_N, "warmup": CONSOLE_WARMUP, "url_seconds": CONSOLE_URL_SECONDS,
                      "target_ms": CONSOLE_TARGET_MS, "rare_term": CONSOLE_RARE_TERM,
                      "common_term": CONSOLE_COMMON_TERM},
           "stores": {}, "urls": []}
    # PostgreSQL: its own database (the ingest relay, when that phase runs too, uses "postgres")
    admin_jdbc = pg["jdbcUrl"]
    pg_jdbc = admin_jdbc.rsplit("/", 1)[0] + "/console"
    out = run_sql(b, admin_jdbc, pg["user"], pg["password"], ["CREATE DATABASE console"], "postgres-setup")
    if "ERROR" in out:
        raise RuntimeError(f"PostgreSQL setup: {out}")
    channels = ["--logging.level.relay.alerts=WARN",
                f"--relay.admin.token={CONSOLE_ADMIN_TOKEN}",
                "--relay.channels.log.type=log",
                "--relay.channels.ops.type=telegram",
                f"--relay.channels.ops.bot-token={BOT_TOKEN}",
                f"--relay.channels.ops.chat-id={CONSOLE_CHAT_OPS}",
                "--relay.channels.ops.time-zone=Asia/Seoul",
                "--relay.channels.ops.labels.severity=critical",
                "--relay.channels.ops.rate-limit.per-chat=1000",
                "--relay.channels.ops.rate-limit.per-bot=1000",
                "--relay.channels.db.type=telegram",
                f"--relay.channels.db.bot-token={BOT_TOKEN}",
                f"--relay.channels.db.chat-id={CONSOLE_CHAT_DB}",
                "--relay.channels.db.time-zone=Asia/Seoul",
                "--relay.channels.db.labels.team=db",
                "--relay.channels.db.rate-limit.per-chat=1000",
                "--relay.channels.db.rate-limit.per-bot=1000",
                "--relay.routes.infra.channels=log,ops,db",
                "--relay.routes.app.channels=log,ops"]
    # Telegram takes only what a team would send to a chat (critical alerts; the db team's alerts): delivering
    # every one of 100,000 notifications to Telegram keeps a 2-core machine busy for far longer than the seeding
    res["config"]["channels"] = ("log (every notification, output muted); ops: Telegram, alerts with "
                                 "severity=critical (~25 %); db: Telegram, alerts with team=db (~15 %), its chat "
                                 "answers 400 \"chat not found\" (dead at once: dead letters); routes infra → log, "
                                 "ops, db; app → log, ops; default (POST /webhook) → all three")
    # a fake Telegram API per relay (each keeps every message in memory: a larger heap)
    fake_procs = {key: b.start_java_helper(f"telegram-console-{key}", "com.alertrelay.bench.BenchTelegram",
                                           [BOT_TOKEN, "0", f"--chat-not-found={CONSOLE_CHAT_DB}"], xmx="2g")
                  for key in ("embedded", "pg")}
    fakes = {key: b.await_info(p, info, f"fake Telegram for console-{key}") for key, (p, info) in fake_procs.items()}
    relays = {}
    for key in ("embedded", "pg"):
        fake = fakes[key]
        env = None
        if key == "pg":
            env = {"SPRING_DATASOURCE_URL": pg_jdbc, "SPRING_DATASOURCE_USERNAME": pg["user"],
                   "SPRING_DATASOURCE_PASSWORD": pg["password"]}
        relays[key] = b.start_relay(f"console-{key}", channels + [f"--relay.channels.ops.api-url={fake['api']}",
                                                                 f"--relay.channels.db.api-url={fake['api']}"],
                                    env_extra=env)
    for r in relays.values():
        b.await_relay(r)
    log(f"console: generating {CONSOLE_NOTIFICATIONS:,} notifications")
    t_gen = time.time()
    payloads = console_payloads(CONSOLE_NOTIFICATIONS)
    res["config"]["generate_s"] = time.time() - t_gen
    res["config"]["payload_bytes_mean"] = sum(len(x[1]) for x in payloads) / len(payloads)
    res["config"]["resolved_share"] = sum(1 for x in payloads if b'"status": "resolved", "alerts"' in x[1][:80]) / len(payloads)
    # seeding: both relays at once, a thread pool each
    log(f"console: seeding both relays, {CONSOLE_SEED_CONNECTIONS} connections each, bound {CONSOLE_SEED_SECONDS} s")
    deadline = time.time() + CONSOLE_SEED_SECONDS
    for key in relays:
        res["stores"][key] = {"relay": relays[key].name, "seed": {"sent": 0, "accepted": 0, "errors": 0,
                                                                   "error_samples": []}}
    l0 = os.getloadavg()
    seeders = [threading.Thread(target=console_seed, args=(relays[k], payloads, deadline, res["stores"][k]["seed"]),
                                daemon=True) for k in relays]
    for t in seeders:
        t.start()
    for t in seeders:
        t.join()
    seeded_at = time.time()
    del payloads
    for key in relays:
        s = res["stores"][key]["seed"]
        s["loadavg_before"] = l0
        s["loadavg_after"] = os.getloadavg()
        log(f"console {key}: seeded {s['accepted']:,} of {CONSOLE_NOTIFICATIONS:,} in {s['seconds']:.0f} s "
            f"({s['rate']:.0f}/s), {s['errors']} errors{' — BOUNDED' if s['bounded'] else ''}")
    console_settle(relays, seeded_at, res["stores"])
    for key, r in relays.items():
        res["stores"][key]["rss_mib"] = rss_mib(r.proc.pid)
        res["stores"][key]["data_dir_mib"] = dir_mib(r.data_dir) if key == "embedded" else None
    # log in, find the ids
    browsers, ids = {}, {}
    for key, r in relays.items():
        browsers[key] = ConsoleBrowser(r, CONSOLE_ADMIN_TOKEN)
        status, body, _, _ = browsers[key].get("/console/notifications")
        links = [int(x) for x in NOTIFICATION_LINK.findall(body)] if status == 200 else []
        stored = int(res["stores"][key].get("stored") or res["stores"][key]["seed"]["accepted"])
        newest = max(links) if links else stored  # ids count from 1 in a fresh store
        ids[key] = {"newest": newest, "oldest": max(1, newest - stored + 1), "mid": max(1, newest - stored // 2),
                    "from_page": bool(links)}
        res["stores"][key]["ids"] = ids[key]
        res["stores"][key]["cookies"] = browsers[key].cookies
    log(f"console: logged in; ids {ids}")
    # measure URL by URL, the stores in turn
    res["loadavg_before_measuring"] = os.getloadavg()
    res["uptime_before_measuring"] = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    t_meas = time.time()
    # CPU while measuring: ours (relays, PostgreSQL, this script) and everything else on the machine (noise)
    def ours():
        return (sum(cpu_seconds(r.proc.pid) for r in relays.values() if r.proc.poll() is None)
                + tree_cpu_seconds(pg["postmasterPid"]) + sum(os.times()[:2]))
    m0, o0 = machine_cpu(), ours()
    specs = {key: console_urls(ids[key]) for key in relays}
    res["interleaved"] = True
    for i, (ukey, label, _) in enumerate(specs["embedded"]):
        entry = {"key": ukey, "label": label,
                 "results": console_measure(browsers, {key: specs[key][i][2] for key in relays})}
        for key, m in entry["results"].items():
            log(f"console {ukey:22s} {key:8s}: {m['statuses']} n {m['n']} p50 {fmt_ms(m['p50_ms'])} "
                f"p95 {fmt_ms(m['p95_ms'])} p99 {fmt_ms(m['p99_ms'])} max {fmt_ms(m['max_ms'])} ms, "
                f"{m['bytes']} bytes, {m['notification_links']} links")
        res["urls"].append(entry)
    res["measure_s"] = time.time() - t_meas
    m1, o1 = machine_cpu(), ours()
    busy = (m1[0] - m0[0]) / os.sysconf("SC_CLK_TCK")
    res["machine_busy_cores"] = busy / res["measure_s"]
    res["other_cpu_cores"] = max(0.0, busy - (o1 - o0)) / res["measure_s"]
    log(f"console: measured in {res['measure_s']:.0f} s; machine busy {res['machine_busy_cores']:.2f} cores, "
        f"{res['other_cpu_cores']:.2f} of them outside this benchmark")
    res["loadavg_after_measuring"] = os.getloadavg()
    res["uptime_after_measuring"] = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    # EXPLAIN what was asked for, on the stores as they are now
    explain = {}
    if CONSOLE_EXPLAIN_SQLITE and os.path.exists(CONSOLE_EXPLAIN_SQLITE):
        log("console: EXPLAIN QUERY PLAN on the embedded store")
        db = os.path.join(relays["embedded"].data_dir, "relay.db")
        stmts = read_statements(CONSOLE_EXPLAIN_SQLITE)
        text = run_sql(b, f"jdbc:sqlite:file:{db}?mode=ro", "-", "-",
                       [x for _, s in stmts for x in ("EXPLAIN QUERY PLAN " + s, s)], "explain-embedded")
        explain["embedded"] = label_sql_output(text, [x for label, _ in stmts for x in (label + ", plan",
                                                                                        label + ", run")])
    if CONSOLE_EXPLAIN_PG and os.path.exists(CONSOLE_EXPLAIN_PG):
        log("console: EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL")
        stmts = read_statements(CONSOLE_EXPLAIN_PG)
        text = run_sql(b, pg_jdbc, pg["user"], pg["password"],
                       ["EXPLAIN (ANALYZE, BUFFERS) " + s for _, s in stmts], "explain-pg")
        explain["pg"] = label_sql_output(text, [label for label, _ in stmts])
    res["explain"] = explain
    for r in relays.values():
        b.procs.kill(r.proc)
    for p, _ in fake_procs.values():
        b.procs.kill(p, signal.SIGKILL)
    return res


# -------------------------------------------------------------------------------------------------- main

BENCH_OUT = None


def main():
    global BENCH_OUT
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--baseline-app", help="extracted layers of the baseline build (run.sh: BENCH_BASELINE_REF)")
    ap.add_argument("--baseline-ref", help="the git ref it was built from, as given")
    ap.add_argument("--baseline-commit", help="the commit that ref named")
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    BENCH_OUT = out
    os.makedirs(os.path.join(out, "wrk"), exist_ok=True)
    b = Bench(out, baseline_app=os.path.abspath(a.baseline_app) if a.baseline_app else None)
    res = b.results
    res["config"] = {
        "runs": RUNS, "ingest_seconds": INGEST_SECONDS, "connections": INGEST_CONNECTIONS, "wrk_threads": WRK_THREADS,
        "warmup_seconds": WARMUP_SECONDS, "e2e_rate": E2E_RATE, "e2e_seconds": E2E_SECONDS,
        "storm_runs": STORM_RUNS, "storm_groups": STORM_GROUPS, "storm_alerts_per_group": STORM_ALERTS_PER_GROUP,
        "storm_post_seconds": STORM_POST_SECONDS, "storm_bound": STORM_BOUND, "storm_group_wait": STORM_GROUP_WAIT,
        "idle_seconds": IDLE_SECONDS,
        "java_tool_options": DOCKER_JAVA_TOOL_OPTIONS, "phases": PHASES,
        "e2e_channels": ["telegram", "kakao"], "kakao_daily_limit": KAKAO_DAILY_LIMIT,
        "soak_rate": SOAK_RATE, "soak_seconds": SOAK_SECONDS, "soak_sample": SOAK_SAMPLE, "soak_runs": SOAK_RUNS,
        "soak_warmup": SOAK_WARMUP,
        "baseline": None,
    }
    if b.baseline_app:
        commit = a.baseline_commit or ""
        subject = subprocess.run(["git", "-C", ROOT, "log", "-1", "--format=%s", commit], capture_output=True,
                                 text=True).stdout.strip() if commit else ""
        res["config"]["baseline"] = {"ref": a.baseline_ref, "commit": commit, "subject": subject,
                                     "app": b.baseline_app}
    res["machine"] = machine_info()
    res["started"] = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    t_start = time.time()
    ingest_relays, others = [], []
    storm_state = {}
    storm_thread = soak_thread = None
    try:
        # 1. footprint: relays of the current build started one by one; the first serves the embedded ingest runs
        if "footprint" in PHASES or "ingest" in PHASES:
            log("phase footprint")
            res["footprint"] = phase_footprint(b, ingest_relays)
            res["phases"]["footprint_done_s"] = time.time() - t_start

        # 2. start everything else in parallel
        log("phase start")
        pg_proc, pg_info_path = b.start_java_helper("postgres", "com.alertrelay.bench.BenchPostgres",
                                                     [os.path.join(out, "data", "postgres")])
        fakes = {}
        fake_unl = fake_lim = None
        if "e2e" in PHASES:
            fake_unl, fake_unl_info = b.start_java_helper("telegram-unlimited", "com.alertrelay.bench.BenchTelegram",
                                                          [BOT_TOKEN, "0"])
        if "storm" in PHASES:
            fake_lim, fake_lim_info = b.start_java_helper("telegram-limited", "com.alertrelay.bench.BenchTelegram",
                                                          [BOT_TOKEN, "20"])
        fake_kakao = None
        if "e2e" in PHASES:
            fake_kakao, fake_kakao_info = b.start_java_helper("kakao", "com.alertrelay.bench.BenchKakao",
                                                              [KAKAO_REST_API_KEY, KAKAO_CLIENT_SECRET])
        if fake_unl:
            fakes["unlimited"] = b.await_info(fake_unl, fake_unl_info, "fake Telegram (no limit)")
        if fake_lim:
            fakes["limited"] = b.await_info(fake_lim, fake_lim_info, "fake Telegram (20/min per chat)")
        if fake_kakao:
            fakes["kakao"] = b.await_info(fake_kakao, fake_kakao_info, "fake Kakao")
        storm_runs = []
        if "storm" in PHASES:
            storm_runs = start_storm(b, fakes["limited"])
        e2e_relay = e2e_kakao_relay = None
        if "e2e" in PHASES:
            e2e_relay = b.start_relay("e2e", [
                "--relay.channels.log.enabled=false",
                "--relay.channels.tg.type=telegram",
                f"--relay.channels.tg.bot-token={BOT_TOKEN}",
                "--relay.channels.tg.chat-id=424242",
                f"--relay.channels.tg.api-url={fakes['unlimited']['api']}",
                "--relay.channels.tg.time-zone=Asia/Seoul",
                # the fake has no limit, and neither does the relay's own limiter here: this measures the
                # pipeline (store, wake, claim, render, send, mark), not Telegram's one message per second
                "--relay.channels.tg.rate-limit.per-chat=1000",
                "--relay.channels.tg.rate-limit.per-bot=1000"])
            # its own relay (own JVM, own embedded store), so that each channel's figures are its own
            kakao = fakes["kakao"]
            e2e_kakao_relay = b.start_relay("e2e-kakao", [
                "--relay.channels.log.enabled=false",
                "--relay.channels.kakao.type=kakao",
                f"--relay.channels.kakao.rest-api-key={KAKAO_REST_API_KEY}",
                f"--relay.channels.kakao.client-secret={KAKAO_CLIENT_SECRET}",
                f"--relay.channels.kakao.refresh-token={kakao['refresh_token']}",
                f"--relay.channels.kakao.api-url={kakao['api']}",
                f"--relay.channels.kakao.auth-url={kakao['auth']}",
                f"--relay.channels.kakao.daily-limit={KAKAO_DAILY_LIMIT}"])
        pg = b.await_info(pg_proc, pg_info_path, "PostgreSQL")
        b.procs.register_extra(pg["postmasterPid"], "postgres-postmaster")
        res["postgres"] = pg["settings"]
        pg_relay = baseline_relay = None
        if "ingest" in PHASES:
            pg_relay = b.start_relay("pg", ["--logging.level.relay.alerts=WARN"], env_extra={
                "SPRING_DATASOURCE_URL": pg["jdbcUrl"], "SPRING_DATASOURCE_USERNAME": pg["user"],
                "SPRING_DATASOURCE_PASSWORD": pg["password"]},
                jfr=os.path.join(out, "jfr-pg.jfr") if JFR == "ingest" else None)
            if b.baseline_app:
                # the store before: the baseline build's own embedded store (H2), configured as the embedded
                # ingest relay is; it only runs the 10-alert durable combination
                baseline_relay = b.start_relay("h2-baseline", ["--logging.level.relay.alerts=WARN"],
                                               app=b.baseline_app,
                                               jfr=os.path.join(out, "jfr-h2-baseline.jfr") if JFR == "ingest" else None)
        soak_first = start_soak_relays(b, 1) if "soak" in PHASES else None
        for s in storm_runs:
            b.await_relay(s["relay"])
        if storm_runs:
            start_storm_alertmanagers(b, storm_runs, fakes["limited"])
        others = [s["relay"] for s in storm_runs] + [r for r in (e2e_relay, e2e_kakao_relay) if r]
        res["phases"]["started_s"] = time.time() - t_start

        # 3. storm: post (in the background), then let it play out until its bound
        if storm_runs:
            log(f"phase storm: {STORM_RUNS} × {STORM_GROUPS * STORM_ALERTS_PER_GROUP} alerts in {STORM_GROUPS} groups, "
                f"bound {STORM_BOUND} s")
            storm_state["t0"] = time.time()

            def post_and_finish():
                t0, t1, errs = post_storm(storm_runs)
                storm_state.update(t0=t0, t1=t1, errors=errs)
                log(f"storm posted in {t1 - t0:.1f} s ({len(errs)} errors)")
                time.sleep(max(0, t0 + STORM_BOUND - time.time()))
                try:
                    res["storm"] = analyse_storm(storm_runs, fakes["limited"], t0, t1, errs)
                    for e in res["storm"]["runs"]:
                        log(f"storm run {e['run']} {e['side']:12s}: sent {e['messages_sent']}, 429s {e['status_429']}, "
                            f"never shown {e['alerts_never_shown']}, all visible after {e['all_visible_s']}")
                except Exception as e:  # noqa: BLE001
                    res["storm"] = {"error": repr(e)}
                    log(f"storm analysis failed: {e!r}")
                for s in storm_runs:
                    for am in (s["am_a"], s["am_b"]):
                        b.procs.kill(am["proc"])
                    b.procs.kill(s["relay"].proc, signal.SIGKILL)
                b.procs.kill(fake_lim, signal.SIGKILL)
                log("storm stopped")

            storm_thread = threading.Thread(target=post_and_finish, daemon=True)
            storm_thread.start()

        # the storm is under way (it only waits for Alertmanager now); the other relays may still be starting
        if e2e_relay:
            b.await_relay(e2e_relay)
            b.await_relay(e2e_kakao_relay)
        if pg_relay:
            b.await_relay(pg_relay)
        if baseline_relay:
            b.await_relay(baseline_relay)

        # JIT warm-up of the ingest relays while the storm is posted and Alertmanager waits for group_wait
        # (not measured). Every path and payload in turn, so that C2 has compiled all of them.
        if "ingest" in PHASES:
            log("warm-up")
            emb = ingest_relays[0]
            for _ in range(WARMUP_CYCLES):
                warmup(emb, WARMUP_SECONDS)
            if baseline_relay:
                for _ in range(WARMUP_CYCLES):
                    warmup(baseline_relay, WARMUP_SECONDS, paths=("/webhook",))
            warmup(pg_relay, WARMUP_SECONDS, paths=("/webhook",))
            for r in (emb, baseline_relay, pg_relay):
                if r:
                    b.drain(r)

        # 4. soak, in the background once the CPU-bound warm-up is over: it only needs its pace kept and
        # shares the window with the storm and the accept → delivered runs; the ingest runs wait for its end
        if soak_first:
            soak_thread = threading.Thread(target=soak_all, args=(b, soak_first, res), daemon=True)
            soak_thread.start()
        # Telegram and Kakao side by side, always in the same time window: one thread per channel
        e2e_sides = []
        if e2e_relay:
            e2e_sides = [{"key": "telegram", "relay": e2e_relay, "channel": "tg", "fake": fakes["unlimited"]},
                         {"key": "kakao", "relay": e2e_kakao_relay, "channel": "kakao", "fake": fakes["kakao"]}]
            e2e_side_by_side(b, e2e_sides, 0, 3, warmup=True)

        # 5. accept → delivered
        if e2e_relay:
            if storm_thread:
                # Not while the storm plays out: its three relays take 200 webhooks each and then deliver digests,
                # every commit an fsync on the same disk, and accept → delivered is a latency. (With the embedded
                # store syncing every commit, runs in the storm's window measured 40-105 ms at p50, 12 ms after it.)
                # The soak, light, goes on meanwhile; the ingest runs wait for its end anyway, so this costs no time.
                left = storm_state["t0"] + STORM_BOUND - time.time()
                if left > 0:
                    log(f"waiting {left:.0f} s for the storm to end before accept → delivered")
                storm_thread.join()
            log("phase accept → delivered (Telegram and Kakao side by side)")
            # res["e2e"] stays Telegram's (as in earlier results.json files); Kakao's runs go to "e2e_kakao"
            res["e2e"], res["e2e_kakao"] = [], []
            for run in range(1, RUNS + 1):
                both = e2e_side_by_side(b, e2e_sides, run, E2E_SECONDS)
                res["e2e"].append(both["telegram"])
                res["e2e_kakao"].append(both["kakao"])
                for key, e in both.items():
                    log(f"e2e run {run} {key:8s}: fake p50 {fmt_ms(e['fake_p50_ms'])} p99 {fmt_ms(e['fake_p99_ms'])} ms, "
                        f"relay p50 {fmt_ms(e['relay_p50_ms'])} p99 {fmt_ms(e['relay_p99_ms'])} ms, "
                        f"missing {e['missing']}, errors {e['errors']}, retried {e['relay_retried']}, dead {e['relay_dead']}")
            try:
                _, raw = http_get(fakes["kakao"]["control"] + "/stats", timeout=30)
                res["e2e_kakao_fake"] = json.loads(raw)
            except Exception as e:  # noqa: BLE001
                res["e2e_kakao_fake"] = {"error": repr(e)}
            res["phases"]["e2e_done_s"] = time.time() - t_start
            b.procs.kill(e2e_relay.proc, signal.SIGKILL)
            b.procs.kill(e2e_kakao_relay.proc, signal.SIGKILL)
            b.procs.kill(fake_unl, signal.SIGKILL)
            b.procs.kill(fake_kakao, signal.SIGKILL)

        # 6. ingest
        if "ingest" in PHASES:
            if storm_thread:
                left = storm_state["t0"] + STORM_BOUND - time.time()
                if left > 0:
                    log(f"waiting {left:.0f} s for the storm's bound before the CPU-bound ingest runs")
                storm_thread.join()
            if soak_thread and soak_thread.is_alive():
                log("waiting for the soak to end before the CPU-bound ingest runs")
                soak_thread.join()
                res["phases"]["soak_done_s"] = time.time() - t_start
            log("phase ingest")
            res["ingest"] = []
            res["rss_after_ingest"] = []
            emb = ingest_relays[0]
            relays = [r for r in (emb, baseline_relay, pg_relay) if r]

            def others_than(relay):
                return [r for r in relays if r is not relay]

            for rnd in range(1, RUNS + 1):
                for path, key in (("/webhook", "10"), ("/webhook?dry-run=true", "10"),
                                  ("/webhook", "1"), ("/webhook?dry-run=true", "1")):
                    res["ingest"].append(ingest_run(b, emb, "embedded", path, key, rnd, others_than(emb)))
                res["rss_after_ingest"].append({"relay": emb.name, "store": "embedded", "round": rnd,
                                                "rss_mib": rss_mib(emb.proc.pid), "db_file_mib": dir_mib(emb.data_dir)})
                if baseline_relay:
                    res["ingest"].append(ingest_run(b, baseline_relay, "h2-baseline", "/webhook", "10", rnd,
                                                    others_than(baseline_relay)))
                    res["rss_after_ingest"].append({"relay": baseline_relay.name, "store": "h2-baseline", "round": rnd,
                                                    "rss_mib": rss_mib(baseline_relay.proc.pid),
                                                    "db_file_mib": dir_mib(baseline_relay.data_dir)})
                for key in ("10", "1"):
                    res["ingest"].append(ingest_run(b, pg_relay, "pg", "/webhook", key, rnd, others_than(pg_relay),
                                                    pg_pid=pg["postmasterPid"]))
                res["rss_after_ingest"].append({"relay": pg_relay.name, "store": "pg", "round": rnd,
                                                "rss_mib": rss_mib(pg_relay.proc.pid)})
            res["phases"]["ingest_done_s"] = time.time() - t_start
        if storm_thread:
            storm_thread.join()
        if soak_thread:
            soak_thread.join()
            res["phases"].setdefault("soak_done_s", time.time() - t_start)

        # 7. console, last (alone: it seeds two stores with CONSOLE_NOTIFICATIONS notifications each)
        if "console" in PHASES:
            log("phase console")
            try:
                res["console"] = phase_console(b, pg)
            except Exception as e:  # noqa: BLE001 - recorded; the report says so
                res["console"] = {"error": repr(e)}
                log(f"console failed: {e!r}")
            res["phases"]["console_done_s"] = time.time() - t_start
    finally:
        res["total_s"] = time.time() - t_start
        res["finished"] = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
        res["loadavg_end"] = os.getloadavg()
        with open(os.path.join(out, "results.json"), "w") as f:
            json.dump(res, f, indent=1, default=str)
        log("stopping everything this run started")
        b.procs.stop_all()


def parse_seconds(text):
    m = re.fullmatch(r"(\d+)(ms|s|m)", text)
    n = int(m.group(1))
    return n / 1000 if m.group(2) == "ms" else n * 60 if m.group(2) == "m" else n


def dir_mib(path):
    total = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(dirpath, f))
            except OSError:
                pass
    return total / 1024 / 1024


def machine_info():
    def read(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout.strip()
        except Exception:  # noqa: BLE001
            return ""
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) / 1024 / 1024
    java = read(["java", "-version"]) or subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
    return {
        "hostname": platform.node(), "kernel": platform.release(), "cpu": cpu, "cores": os.cpu_count(),
        "memory_gib": round(mem, 1),
        "java": subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.strip().splitlines(),
        "wrk": read(["wrk", "--version"]).splitlines()[:1] or subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()[:1],
        "alertmanager": subprocess.run(["prometheus-alertmanager", "--version"], capture_output=True, text=True).stdout.splitlines()[:1]
        + subprocess.run(["prometheus-alertmanager", "--version"], capture_output=True, text=True).stderr.splitlines()[:1],
        "python": sys.version.split()[0],
        "commit": read(["git", "-C", ROOT, "rev-parse", "HEAD"]),
        "commit_subject": read(["git", "-C", ROOT, "log", "-1", "--format=%s"]),
        "dirty": bool(read(["git", "-C", ROOT, "status", "--porcelain", "--", "src", "pom.xml"])),
        "uptime_at_start": read(["uptime"]),
        "disk": read(["df", "-h", "--output=source,fstype,size", ROOT]).splitlines()[-1:],
    }


def _terminate(signum, frame):
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminate)
    main()
