#!/usr/bin/env bash
# Everything a fresh machine of the project's kind (Debian 12, .NET 10 SDK, Node.js) needs before
# building and testing: system packages, the native librdkafka, and the npm peers the tests compare
# against. Idempotent: a second run only checks. Stops with a message naming what is missing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

step "Checking prerequisites"
command -v dotnet >/dev/null || die "the .NET 10 SDK is required: 'dotnet' is not on PATH"
sdk="$(dotnet --version 2>/dev/null || true)"
[ "${sdk%%.*}" -ge 10 ] 2>/dev/null || die "the .NET 10 SDK is required (found '${sdk:-none}'; see global.json)"
command -v node >/dev/null && command -v npm >/dev/null \
  || die "Node.js and npm are required (librdkafka's source and the test peers come from the npm registry)"
info ".NET SDK $sdk, Node.js $(node --version), npm $(npm --version)"

# Build tools and the libraries librdkafka links against (TLS, SASL, compression codecs, OIDC).
apt_install build-essential patch curl ca-certificates \
  libssl-dev zlib1g-dev libzstd-dev liblz4-dev libsasl2-dev libcurl4-openssl-dev
# Validates docker-compose.yml offline in the test command (deploy/validate.sh); no engine needed.
apt_install docker-compose

"$REPO_ROOT/scripts/librdkafka.sh"

interop="$REPO_ROOT/tests/interop"
stamp="$interop/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$interop/package-lock.json" -nt "$stamp" ]; then
  step "Installing the npm peers the tests cross-check against (tests/interop)"
  npm ci --prefix "$interop" --no-audit --no-fund --loglevel=error >/dev/null \
    || die "npm ci failed in tests/interop (is the npm registry reachable?)"
else
  info "npm peers up to date in tests/interop"
fi
