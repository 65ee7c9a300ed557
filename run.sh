#!/usr/bin/env bash
# The system's main job on the embedded default: the embedded Kafka (librdkafka's mock cluster) with every
# topic of the catalog, proved by a smoke round trip; then the exchange simulator and an ingest pod publishing
# every raw event of 50 USDT symbols into it while the simulator drops and 1011-closes the pod's connections
# and loses trades from its own history; finally a check of the raw topic against the exchange's ground truth.
# With --keep-running, everything stays up until Ctrl-C (URLs printed).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"
cd "$REPO_ROOT"

keep_running=false
case "${1:-}" in
  "") ;;
  --keep-running) keep_running=true ;;
  *) die "usage: ./run.sh [--keep-running]" ;;
esac

"$REPO_ROOT/scripts/bootstrap.sh"

step "Building (Release)"
dotnet build Streaming.sln -c Release --nologo -v quiet -clp:NoSummary
bin="$REPO_ROOT/artifacts/bin"

state="$REPO_ROOT/.local/devkafka"
mkdir -p "$state"
bootstrap_file="$state/bootstrap.servers"
rm -f "$bootstrap_file"

step "Starting the embedded Kafka (log: .local/devkafka/devkafka.log)"
dotnet "$bin/DevKafka/release/DevKafka.dll" --bootstrap-file "$bootstrap_file" >"$state/devkafka.log" 2>&1 &
broker=$!
stop_broker() {
  if kill -0 "$broker" 2>/dev/null; then
    # SIGTERM: a background job of a non-interactive shell ignores SIGINT.
    kill -TERM "$broker" 2>/dev/null || true
    wait "$broker" 2>/dev/null || true
    info "embedded Kafka stopped"
  fi
}
trap stop_broker EXIT
trap 'exit 130' INT TERM

for _ in $(seq 1 300); do
  [ -s "$bootstrap_file" ] && break
  kill -0 "$broker" 2>/dev/null || { cat "$state/devkafka.log" >&2; die "the embedded Kafka exited during start-up"; }
  sleep 0.2
done
[ -s "$bootstrap_file" ] || die "the embedded Kafka did not publish its address within 60 s (see $state/devkafka.log)"
servers="$(cat "$bootstrap_file")"
info "bootstrap servers: $servers (also in .local/devkafka/bootstrap.servers)"

step "Smoke round trip"
# The embedded broker holds an empty fetch for the whole fetch.wait.max.ms (Kafka answers early): keep it short here.
dotnet "$bin/KafkaSmoke/release/KafkaSmoke.dll" --bootstrap-servers "$servers" --Kafka:Consumer:FetchMaxWait=00:00:00.050

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
json_get() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval("d" + sys.argv[2]))' "$@"; }
pids=()
stop_all() {
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  stop_broker
}
trap stop_all EXIT

step "Starting the exchange simulator (log: .local/devkafka/simulator.log)"
control_port="$(free_port)"
control="http://127.0.0.1:$control_port/"
rm -f "$state/endpoints.json"
dotnet "$bin/ExchangeSimulator/release/ExchangeSimulator.dll" --Service:Urls="http://127.0.0.1:$control_port" \
  --Simulator:Spot:Symbols=50 --Simulator:Spot:TradesPerSecond=300 --Simulator:EndpointsFile="$state/endpoints.json" \
  >"$state/simulator.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 150); do [ -s "$state/endpoints.json" ] && break; sleep 0.2; done
[ -s "$state/endpoints.json" ] || die "the simulator did not start (see $state/simulator.log)"
ws="$(json_get "$state/endpoints.json" '["spot"]["a"]["webSocket"]')"
rest="$(json_get "$state/endpoints.json" '["spot"]["a"]["http"]')"
info "streams $ws, REST $rest, control $control"

step "Starting an ingest pod (log: .local/devkafka/ingest.log)"
ingest_port="$(free_port)"
dotnet "$bin/Ingest/release/Ingest.dll" --Service:Urls="http://127.0.0.1:$ingest_port" --Kafka:BootstrapServers="$servers" \
  --Ingest:InstanceId=ingest-0 --Ingest:Spot:WebSocketUrl="$ws" --Ingest:Spot:RestUrl="$rest" --Ingest:ConnectionOpenInterval=00:00:00.100 \
  >"$state/ingest.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$ingest_port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fs "http://127.0.0.1:$ingest_port/readyz" >/dev/null || die "the ingest pod did not become ready (see $state/ingest.log)"
info "ready; metrics at http://127.0.0.1:$ingest_port/metrics"

if $keep_running; then
  step "Running: Kafka $servers, simulator control $control, ingest http://127.0.0.1:$ingest_port; Ctrl-C stops everything"
  wait "${pids[0]}"
  exit 0
fi

fault() { curl -fsS -X POST -H 'Content-Type: application/json' -d "$2" "${control}markets/spot/$1" >/dev/null; }
sleep 5
info "fault: every connection dropped (TCP reset)"
fault regions/a/faults '{"kind":"Drop"}'
sleep 4
info "fault: every connection closed with 1011"
fault regions/a/faults '{"kind":"Close","closeCode":1011}'
sleep 4
first=$(( $(curl -fsS "${control}markets/spot/truth/symbols" | python3 -c 'import json,sys; print([s for s in json.load(sys.stdin) if s["symbol"]=="BTCUSDT"][0]["lastAggregateId"])') + 100 ))
info "fault: BTCUSDT trades $first..$((first + 2)) lost from the exchange's own history"
fault holes "{\"symbol\":\"BTCUSDT\",\"firstId\":$first,\"lastId\":$((first + 2)),\"withheldFromStreams\":true}"
sleep 8
fault pause '{}'
info "exchange paused; letting the pod finish its backfills"
sleep 4

step "Checking the raw topic against the exchange's ground truth"
dotnet "$bin/PipelineCheck/release/PipelineCheck.dll" "$servers" "$control" spot
