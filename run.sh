#!/usr/bin/env bash
# The system's main job on the embedded default. At this stage: start the embedded Kafka (librdkafka's
# mock cluster) with every topic of the catalog, then prove it with a smoke round trip through a
# consumer group, print what happened, and stop. With --keep-running, the broker stays up until Ctrl-C.
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

if $keep_running; then
  step "Embedded Kafka running at $servers; Ctrl-C stops it"
  wait "$broker"
fi
