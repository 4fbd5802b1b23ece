#!/usr/bin/env bash
# Alert Relay benchmarks, one command: builds the jar and, from BENCH_BASELINE_REF (default 92656ee, the
# last commit whose embedded store is H2), a baseline jar; starts what it needs on 127.0.0.1 (relays of both
# builds, embedded PostgreSQL 17, fake Telegram Bot APIs, a fake Kakao API, Alertmanager), measures the
# footprint, an alert storm, the embedded store's size under a steady load (soak: the current embedded store
# and the baseline's H2 side by side), accept → delivered (Telegram and Kakao side by side) and ingest
# (embedded, the baseline's H2 and PostgreSQL), stops everything it started and rewrites bench/RESULTS.md.
# See README "Benchmarks" and bench/bench.py's docstring for the phases.
#
#   bench/run.sh
#   BENCH_BASELINE_REF=<git ref> bench/run.sh    # another baseline; "none" skips every baseline relay
#   BENCH_PHASES=storm bench/run.sh              # some phases only; writes bench/RESULTS-storm.md instead
#
# Needs: JDK 17+, python3 (standard library only), and Debian's wrk and prometheus-alertmanager (amtool).
# Logs, payload captures, wrk output and the raw figures (results.json) go to bench/out/ (not committed).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/bench/out
T0=$(date +%s)

for tool in java javac python3 wrk prometheus-alertmanager amtool; do
    command -v "$tool" >/dev/null || { echo "bench/run.sh: '$tool' not found (see README, Benchmarks)" >&2; exit 2; }
done

# Whatever happens, stop every process this run started: bench.py writes each pid to $OUT/pids the moment
# it exists (the postmaster too), and so does registered() below for the builds (a build's line is removed
# again once it has ended, so that a pid reused meanwhile is never signalled). Only those pids are
# signalled, never processes found by name.
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n "${BENCH_PID:-}" ]] && kill -0 "$BENCH_PID" 2>/dev/null; then
        kill -TERM "$BENCH_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$BENCH_PID" 2>/dev/null || break; sleep 0.2; done
    fi
    if [[ -f "$OUT/pids" ]]; then
        local pids
        pids=$(awk '{print $1}' "$OUT/pids")
        for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
        for _ in $(seq 1 50); do
            local alive=0
            for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive=1; done
            [[ $alive == 0 ]] && break
            sleep 0.2
        done
        for pid in $pids; do kill -KILL "$pid" 2>/dev/null || true; done
    fi
    echo "bench/run.sh: total $(( $(date +%s) - T0 )) s"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# registered NAME LOG DIR CMD...: runs CMD in DIR in the background with its pid in $OUT/pids (so that the
# trap stops it: `wait` returns as soon as a signal comes, where a foreground command would delay the trap
# until it ended), waits for it, and takes the pid out again once it has ended. LOG gets its output.
# Returns CMD's status.
registered() {
    local name=$1 log=$2 dir=$3 pid rc=0
    shift 3
    (cd "$dir" && exec "$@") >"$log" 2>&1 &
    pid=$!
    echo "$pid $name" >>"$OUT/pids"
    wait "$pid" || rc=$?
    sed -i "/^$pid $name\$/d" "$OUT/pids"
    return "$rc"
}

BASELINE_REF=${BENCH_BASELINE_REF:-92656ee}
if [[ $BASELINE_REF != none ]]; then
    BASELINE_COMMIT=$(git rev-parse --verify --quiet "${BASELINE_REF}^{commit}") \
        || { echo "bench/run.sh: BENCH_BASELINE_REF=$BASELINE_REF is not a commit in $ROOT" >&2; exit 2; }
fi
rm -rf "$OUT"
mkdir -p "$OUT/logs"
# Disk: the data dirs stay until the end of the run (then removed unless BENCH_KEEP_DATA=1). What grows:
#   h2-baseline ingest relay, H2 with WRITE_DELAY=0: a new chunk per commit, never compacted while it runs,
#     ~40–50 kB per notification at ingest rates (a commit carries ~7). 10-alert durable only: ~2,400 req/s
#     × 30 s × 3 rounds ≈ 216,000 notifications, plus ~20,000 in its warm-up                    ≈ 10–12 GB
#   h2-baseline soak relay: 7,200 notifications (20/s × 360 s), one per commit, ~70 kB each        ≈ 0.5 GB
#   embedded (SQLite) ingest relay with the default 7-day retention, so it keeps every notification: 1- and
#     10-alert durable, ~550,000 notifications (more if it ingests faster) × ~2 kB                 ≈ 1–2 GB
#   PostgreSQL: ~350,000 notifications with their indexes and TOAST, and up to max_wal_size of WAL  ≈ 2–3 GB
#   embedded soak, e2e and storm relays, the two builds, logs, wrk output                         < 0.5 GB
# ≈ 14–18 GB in all: 20 GB asked for. With BENCH_BASELINE_REF=none the first two go: ≈ 4–6 GB, 8 GB asked for.
NEED_GB=20
[[ $BASELINE_REF == none ]] && NEED_GB=8
AVAIL_GB=$(df --output=avail -BG "$OUT" | tail -1 | tr -dc 0-9)
if (( AVAIL_GB < NEED_GB )); then
    echo "bench/run.sh: only ${AVAIL_GB} GB free under $OUT; this run needs about ${NEED_GB} GB" >&2
    exit 2
fi
echo "bench/run.sh: $(date -Is) on $(hostname), $(nproc) cores; $(uptime)"

echo "== build (jar, test classes for the helpers, layers as in the Dockerfile)"
registered build "$OUT/logs/build.log" . ./mvnw -B -q -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile="$OUT/bench-classpath.txt" -Dmdep.includeScope=test \
    || { tail -50 "$OUT/logs/build.log" >&2; exit 1; }
JAR=$(ls target/alert-relay-*.jar | grep -v original | head -1)
registered javac "$OUT/logs/javac.log" . \
    javac -d "$OUT/bench-classes" -cp "target/test-classes:target/classes:$(cat "$OUT/bench-classpath.txt")" \
    bench/java/com/alertrelay/bench/*.java || { cat "$OUT/logs/javac.log" >&2; exit 1; }
# The helpers run from a private copy of the class directories, so that a build started meanwhile in this
# checkout cannot pull class files from under them.
mkdir -p "$OUT/classes"
cp -a target/classes "$OUT/classes/main"
cp -a target/test-classes "$OUT/classes/test"
echo "$OUT/classes/test:$OUT/classes/main:$(cat "$OUT/bench-classpath.txt")" >"$OUT/bench-classpath.txt.new"
mv "$OUT/bench-classpath.txt.new" "$OUT/bench-classpath.txt"
# extract_layers JAR EXTRACTED APP: the jar's layers as the Dockerfile lays them out, all in APP
extract_layers() {
    registered "extract-$(basename "$3")" "$OUT/logs/extract-$(basename "$3").log" . \
        java -Djarmode=tools -jar "$1" extract --layers --launcher --destination "$2" || return 1
    mkdir -p "$3"
    for layer in dependencies spring-boot-loader snapshot-dependencies application; do
        cp -a "$2/$layer/." "$3/"
    done
}
extract_layers "$JAR" "$OUT/extracted" "$OUT/app"
echo "   built in $(( $(date +%s) - T0 )) s"

# The baseline: the tree of BASELINE_REF exported (git archive, no worktree) into $OUT/baseline-src and built
# there with its own wrapper and the same ~/.m2; its layers go to $OUT/baseline-app.
BASELINE_ARGS=()
if [[ $BASELINE_REF != none ]]; then
    T1=$(date +%s)
    echo "== baseline build ($BASELINE_REF = ${BASELINE_COMMIT:0:12})"
    mkdir -p "$OUT/baseline-src"
    git archive "$BASELINE_COMMIT" | tar -x -C "$OUT/baseline-src"
    registered build-baseline "$OUT/logs/build-baseline.log" "$OUT/baseline-src" ./mvnw -B -q -DskipTests package \
        || { tail -50 "$OUT/logs/build-baseline.log" >&2; exit 1; }
    BASELINE_JAR=$(ls "$OUT"/baseline-src/target/alert-relay-*.jar | grep -v original | head -1)
    extract_layers "$BASELINE_JAR" "$OUT/baseline-extracted" "$OUT/baseline-app"
    BASELINE_ARGS=(--baseline-app "$OUT/baseline-app" --baseline-ref "$BASELINE_REF" --baseline-commit "$BASELINE_COMMIT")
    echo "   built in $(( $(date +%s) - T1 )) s"
fi

echo "== measure"
python3 bench/bench.py --out "$OUT" "${BASELINE_ARGS[@]}" &
BENCH_PID=$!
wait "$BENCH_PID"
BENCH_PID=

# Only some phases (BENCH_PHASES=storm): their own file, so that RESULTS.md keeps every phase of one full run
RESULTS=bench/RESULTS.md
[[ -z "${BENCH_PHASES:-}" ]] || RESULTS="bench/RESULTS-${BENCH_PHASES//,/-}.md"
python3 bench/report.py "$OUT/results.json" "$RESULTS"
echo "== $RESULTS rewritten"
# the databases are large (the h2-baseline relays' H2 files: a new chunk per commit); logs and results.json stay
[[ "${BENCH_KEEP_DATA:-0}" == 1 ]] || rm -rf "$OUT/data"
