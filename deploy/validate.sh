#!/usr/bin/env bash
# Checks the deployment files offline, without a container engine or a cluster:
#   docker-compose.yml        `docker-compose config -q` (or `docker compose config -q`), if installed
#   deploy/k8s/overlays/*     every overlay renders with `kubectl kustomize`; production carries no
#                             example credentials
#   deploy/docker/Dockerfile  every path it copies exists, and so does every project the compose
#                             file builds with it; hadolint too, if installed
# It builds no image and starts nothing: those steps need Docker and a cluster (see
# deploy/docker/README.md and deploy/k8s/README.md). Exits non-zero if any check fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$REPO_ROOT"

failures=0
pass() { printf '    ok    %s\n' "$*" >&2; }
fail() { printf '    \033[1;31mFAIL\033[0m  %s\n' "$*" >&2; failures=$((failures + 1)); }
indent() { sed 's/^/          /' >&2; }

step "Compose file (docker-compose.yml)"
compose=()
if command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
elif docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
fi
if [ "${#compose[@]}" -gt 0 ]; then
  if out="$("${compose[@]}" -f docker-compose.yml config -q 2>&1)"; then
    pass "${compose[*]} -f docker-compose.yml config -q"
  else
    fail "${compose[*]} -f docker-compose.yml config -q"
    printf '%s\n' "$out" | indent
  fi
else
  warn "neither docker-compose nor 'docker compose' is installed: the compose file was not checked (apt-get install docker-compose)"
fi

step "Kustomize overlays (deploy/k8s/overlays)"
if command -v kubectl >/dev/null 2>&1; then
  render=(kubectl kustomize)
elif command -v kustomize >/dev/null 2>&1; then
  render=(kustomize build)
else
  render=()
  fail "neither kubectl nor kustomize is installed: no overlay can be rendered"
fi
# The base's placeholder credentials begin with EXAMPLE-ONLY; Secrets carry values in base64.
example_marker="$(printf 'EXAMPLE-ONLY' | base64)"
overlays=(deploy/k8s/overlays/*/)
[ -e "${overlays[0]}" ] || fail "no overlay found under deploy/k8s/overlays"
if [ "${#render[@]}" -gt 0 ]; then
  for overlay in "${overlays[@]}"; do
    [ -e "$overlay" ] || continue
    overlay="${overlay%/}"
    if out="$("${render[@]}" "$overlay" 2>&1)"; then
      pass "${render[*]} $overlay ($(grep -c '^kind:' <<<"$out") resources)"
      if [ "$(basename "$overlay")" = production ]; then
        if grep -q "$example_marker" <<<"$out"; then
          fail "$overlay renders the base's EXAMPLE-ONLY credentials; production must use a Secret created outside Git"
        else
          pass "$overlay carries no EXAMPLE-ONLY credentials"
        fi
      fi
    else
      fail "${render[*]} $overlay"
      printf '%s\n' "$out" | indent
    fi
  done
fi

step "Dockerfile (deploy/docker/Dockerfile)"
# Sources of COPY lines that read the build context (not --from=<stage>), relative to the root.
absent=0
while read -r source; do
  [ -e "$source" ] || { fail "Dockerfile copies '$source', which does not exist"; absent=1; }
done < <(awk '$1 == "COPY" && $2 !~ /^--from=/ { for (i = 2; i < NF; i++) if ($i !~ /^--/) print $i }' deploy/docker/Dockerfile)
[ "$absent" -eq 1 ] || pass "every path the Dockerfile copies exists"
absent=0
while read -r project; do
  [ -f "$project" ] || { fail "docker-compose.yml builds APP '$project', which does not exist"; absent=1; }
done < <(sed -n 's/^ *APP: *//p' docker-compose.yml)
[ "$absent" -eq 1 ] || pass "every APP project docker-compose.yml builds exists"
if command -v hadolint >/dev/null 2>&1; then
  if out="$(hadolint deploy/docker/Dockerfile 2>&1)"; then pass "hadolint"; else fail "hadolint"; printf '%s\n' "$out" | indent; fi
else
  info "hadolint not installed: Dockerfile not linted"
fi
info "not checked here: building the images and running the containers (no container engine)"

if [ "$failures" -gt 0 ]; then
  die "$failures check(s) failed"
fi
step "All deployment checks passed"
