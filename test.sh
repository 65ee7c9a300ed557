#!/usr/bin/env bash
# Runs the whole test suite, after the one-time set-up. CI runs exactly this (.ci/run).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"
cd "$REPO_ROOT"

"$REPO_ROOT/scripts/bootstrap.sh"

step "Building (Debug)"
dotnet build Streaming.sln --nologo -v quiet -clp:NoSummary
# Minimal, not quiet: a failing test prints its message and stack (quiet prints only [FAIL]).
# The runtime's tests first and alone: its chaos and rebalance tests run the embedded broker and child processes on
# deadlines, and on 2 cores the other projects' end-to-end tests (child processes, the simulator) starve them.
step "Running the stream-processing runtime's tests"
dotnet test tests/Streaming.Processing.Tests --no-build --nologo -v minimal
step "Running all other tests"
dotnet test Streaming.sln --no-build --nologo -v minimal --filter "FullyQualifiedName!~Streaming.Processing.Tests."
step "Validating the deployment files (docker-compose.yml, deploy/k8s overlays)"
"$REPO_ROOT/deploy/validate.sh"
