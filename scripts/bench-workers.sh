#!/usr/bin/env bash
# Queued AWS scans of a synthetic organisation with 1, 2, 4 `rampart worker` processes
# (docs/benchmarks-workers.md).
#
#   scripts/bench-workers.sh [--members N] [--regions R,...] [--workers "1 2 4"]
#                            [--subset K] [--rampart PATH] [--dir DIR]
#                            [--window SECONDS] [--endpoint URL --members-file FILE]
#
# Starts moto (venv /var/tmp/rampart-venv, through scripts/bench-workers-moto.py, which
# remembers each access key's account instead of looking through every account on every
# request; IAM's managed-policy catalogue and EC2's public AMIs not loaded, so that a new
# account costs moto little), plants an organisation of N
# member accounts with scripts/bench-workers-plant.py (two security groups per member and
# region, a bucket per member), or reuses a moto already planted (--endpoint and the member
# ids in --members-file, one a line). Then:
#   - the emulator's capacity: curl, 4 requests in flight over kept-alive connections, 2,000
#     ec2:DescribeVpcs and 300 sts:GetCallerIdentity calls (moto's answer to the latter looks
#     through every account's assumed roles: its cost grows with the accounts) -> calls/s;
#   - for each worker count W: a fresh SQLite store, `rampart jobs scan --org --member-role`
#     (every account of the organisation: the management account and the members), W workers
#     with --exit-when-idle, each under /usr/bin/time -v (peak RSS); wall from the first
#     worker's start to the last one's exit; API calls = request lines in moto's log during
#     the batch (every answer counted, errors included);
#   - with --window S: the workers are killed after S seconds (if still running) and the
#     row counts the collection jobs done in that time (a steady-state rate on a batch too
#     long to finish; no evaluation, so no evaluator column);
#   - with --subset K: the same with 1 and 4 workers over the first K members only
#     (`--accounts`), to compare peak memory with the organisation's.
# Prints one table row per run; everything it starts is stopped at the end.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=/var/tmp/rampart-venv
MEMBERS=1000 REGIONS=us-east-1 WORKERS="1 2 4" SUBSET="" WINDOW="" ENDPOINT="" MEMBERS_FILE="" DIR=""
RAMPART=${CARGO_TARGET_DIR:-$ROOT/target}/release/rampart
ROLE=RampartAudit
while [ $# -gt 0 ]; do
  case "$1" in
    --members) MEMBERS=$2; shift 2 ;;
    --regions) REGIONS=$2; shift 2 ;;
    --workers) WORKERS=$2; shift 2 ;;
    --subset) SUBSET=$2; shift 2 ;;
    --window) WINDOW=$2; shift 2 ;;
    --rampart) RAMPART=$2; shift 2 ;;
    --dir) DIR=$2; shift 2 ;;
    --endpoint) ENDPOINT=$2; shift 2 ;;
    --members-file) MEMBERS_FILE=$2; shift 2 ;;
    *) echo "unknown argument $1 (see the comment at the top of $0)" >&2; exit 2 ;;
  esac
done
[ -x "$RAMPART" ] || { echo "no rampart binary at $RAMPART: cargo build --release -p rampart-cli, or pass --rampart PATH" >&2; exit 1; }
[ -x "$VENV/bin/moto_server" ] || { echo "no moto in $VENV: run scripts/test once (it creates the venv)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "no /usr/bin/time: apt-get install time" >&2; exit 1; }
DIR=${DIR:-$(mktemp -d /var/tmp/bench-workers.XXXXXX)}
mkdir -p "$DIR"
cd "$DIR"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 \
  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

if [ -z "$ENDPOINT" ]; then
  PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  MOTO_IAM_LOAD_MANAGED_POLICIES=false MOTO_EC2_LOAD_DEFAULT_AMIS=false \
    "$VENV/bin/python" "$ROOT/scripts/bench-workers-moto.py" -H 127.0.0.1 -p "$PORT" >moto.log 2>&1 &
  PIDS+=($!)
  ENDPOINT=http://127.0.0.1:$PORT
  for _ in $(seq 100); do curl -sf "$ENDPOINT/moto-api/" >/dev/null && break; sleep 0.2; done
  MEMBERS_FILE=$DIR/members.txt
  "$VENV/bin/python" "$ROOT/scripts/bench-workers-plant.py" "$ENDPOINT" "$ROLE" "$MEMBERS" ${REGIONS//,/ } >"$MEMBERS_FILE"
fi
MOTO_LOG=${MOTO_LOG:-$DIR/moto.log}
[ -f "$MOTO_LOG" ] || { echo "moto's request log $MOTO_LOG not found (set MOTO_LOG with --endpoint)" >&2; exit 1; }
requests() { grep -cE 'HTTP/1\.[01].{0,8}" [0-9]{3} ' || true; }

capacity() { # ACTION SERVICE VERSION
  local n=$4 t0 t1
  t0=$(date +%s.%N)
  curl -s --no-progress-meter -Z --parallel-max 4 -o /dev/null \
    -H "Authorization: AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/$2/aws4_request, SignedHeaders=host, Signature=0" \
    -d "Action=$1&Version=$3" "$ENDPOINT/?n=[1-$n]" >/dev/null
  t1=$(date +%s.%N)
  echo "capacity $2:$1, 4 in flight: $n calls in $(echo "$t1 - $t0" | bc) s = $(echo "$n / ($t1 - $t0)" | bc) calls/s"
}
capacity DescribeVpcs ec2 2016-11-15 2000
capacity GetCallerIdentity sts 2011-06-15 300

run() { # NAME WORKERS SCAN-ARGS...
  local name=$1 w=$2; shift 2
  local db=$DIR/$name.db batch off0 off1 t0 t1 calls wall i
  rm -f "$db"
  batch=$("$RAMPART" jobs scan "$@" --member-role "$ROLE" --endpoint-url "$ENDPOINT" --regions "$REGIONS" --db "$db" 2>"$name.queue.log")
  off0=$(stat -c %s "$MOTO_LOG")
  t0=$(date +%s.%N)
  local wp=()
  for i in $(seq "$w"); do
    /usr/bin/time -v -o "$name.w$i.time" "$RAMPART" worker --db "$db" --endpoint-url "$ENDPOINT" --exit-when-idle 2>"$name.w$i.log" &
    wp+=($!)
  done
  if [ -n "$WINDOW" ]; then
    local waited=0
    while [ "$waited" -lt "$WINDOW" ] && [ -n "$(jobs -pr)" ]; do sleep 1; waited=$((waited + 1)); done
    for p in "${wp[@]}"; do pkill -KILL -P "$p" 2>/dev/null || true; done
  fi
  for p in "${wp[@]}"; do wait "$p" || true; done
  t1=$(date +%s.%N)
  off1=$(stat -c %s "$MOTO_LOG")
  calls=$(tail -c +"$((off0 + 1))" "$MOTO_LOG" | head -c "$((off1 - off0))" | requests)
  wall=$(echo "$t1 - $t0" | bc)
  local status rss=() eval_rss="" recorded=""
  status=$("$RAMPART" jobs status "$batch" --db "$db" | head -1) || true
  for i in $(seq "$w"); do
    local kb
    kb=$(awk -F': ' '/Maximum resident/ {print $2}' "$name.w$i.time")
    [ -n "$kb" ] || kb=0
    if grep -q "recorded" "$name.w$i.log"; then
      eval_rss=$((kb / 1024)); recorded=$(grep -h "recorded" "$name.w$i.log")
      rss+=("$((kb / 1024))*")
    else
      rss+=("$((kb / 1024))")
    fi
  done
  echo "| $name | $w | $(printf '%.0f' "$wall") s | $calls | $(echo "$calls / $wall" | bc) | ${rss[*]} | $eval_rss | $(du -m "$db" | cut -f1) MB |"
  echo "    $status"
  echo "    $recorded"
}

echo "| run | workers | wall | API calls | calls/s | peak RSS per worker, MiB (* evaluated) | evaluator MiB | store |"
echo "|---|---|---|---|---|---|---|---|"
for w in $WORKERS; do run "org-w$w" "$w" --org; done
if [ -n "$SUBSET" ]; then
  SUB=$(head -n "$SUBSET" "$MEMBERS_FILE" | paste -sd,)
  WINDOW=""
  for w in 1 4; do run "sub$SUBSET-w$w" "$w" --accounts "$SUB"; done
fi
echo "results and logs in $DIR"
