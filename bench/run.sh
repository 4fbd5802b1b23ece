#!/usr/bin/env bash
# Alert Relay benchmarks, one command: builds the jar, starts what it needs on 127.0.0.1 (relays, embedded
# PostgreSQL 17, fake Telegram Bot APIs, a fake Kakao API, Alertmanager), measures ingest, accept → delivered
# (Telegram and Kakao side by side), an alert storm and the footprint, stops everything it started and
# rewrites bench/RESULTS.md. See README "Benchmarks".
#
#   bench/run.sh
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
# it exists (the postmaster too). Only those pids are signalled, never processes found by name.
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

rm -rf "$OUT"
mkdir -p "$OUT/logs"
# H2 with WRITE_DELAY=0 grows its file by a chunk per commit; the ingest rounds write well over 10 GB
AVAIL_GB=$(df --output=avail -BG "$OUT" | tail -1 | tr -dc 0-9)
if (( AVAIL_GB < 30 )); then
    echo "bench/run.sh: only ${AVAIL_GB} GB free under $OUT; the ingest runs need about 30 GB" >&2
    exit 2
fi
echo "bench/run.sh: $(date -Is) on $(hostname), $(nproc) cores; $(uptime)"

echo "== build (jar, test classes for the helpers, layers as in the Dockerfile)"
./mvnw -B -q -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile="$OUT/bench-classpath.txt" -Dmdep.includeScope=test >"$OUT/logs/build.log" 2>&1 \
    || { tail -50 "$OUT/logs/build.log" >&2; exit 1; }
JAR=$(ls target/alert-relay-*.jar | grep -v original | head -1)
javac -d "$OUT/bench-classes" -cp "target/test-classes:target/classes:$(cat "$OUT/bench-classpath.txt")" \
    bench/java/com/alertrelay/bench/*.java
# The helpers run from a private copy of the class directories, so that a build started meanwhile in this
# checkout cannot pull class files from under them.
mkdir -p "$OUT/classes"
cp -a target/classes "$OUT/classes/main"
cp -a target/test-classes "$OUT/classes/test"
echo "$OUT/classes/test:$OUT/classes/main:$(cat "$OUT/bench-classpath.txt")" >"$OUT/bench-classpath.txt.new"
mv "$OUT/bench-classpath.txt.new" "$OUT/bench-classpath.txt"
java -Djarmode=tools -jar "$JAR" extract --layers --launcher --destination "$OUT/extracted" >/dev/null
mkdir -p "$OUT/app"
for layer in dependencies spring-boot-loader snapshot-dependencies application; do
    cp -a "$OUT/extracted/$layer/." "$OUT/app/"
done
echo "   built in $(( $(date +%s) - T0 )) s"

echo "== measure"
python3 bench/bench.py --out "$OUT" &
BENCH_PID=$!
wait "$BENCH_PID"
BENCH_PID=

python3 bench/report.py "$OUT/results.json" bench/RESULTS.md
echo "== bench/RESULTS.md rewritten"
# the databases are large (H2 writes a new chunk per commit); logs and results.json stay
[[ "${BENCH_KEEP_DATA:-0}" == 1 ]] || rm -rf "$OUT/data"
