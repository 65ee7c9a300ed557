#!/usr/bin/env bash
# Runs the whole test suite, after the one-time set-up. CI runs exactly this (.ci/run).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"
cd "$REPO_ROOT"

"$REPO_ROOT/scripts/bootstrap.sh"

step "Building (Debug)"
dotnet build Streaming.sln --nologo -v quiet -clp:NoSummary
step "Running all tests"
# Minimal, not quiet: a failing test prints its message and stack (quiet prints only [FAIL]).
dotnet test Streaming.sln --no-build --nologo -v minimal
step "Validating the deployment files (docker-compose.yml, deploy/k8s overlays)"
"$REPO_ROOT/deploy/validate.sh"
