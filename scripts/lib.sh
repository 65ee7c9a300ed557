# Shared helpers for the project's scripts. Sourced, not executed.
# shellcheck shell=bash

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

step() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
info() { printf '    %s\n' "$*" >&2; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
die()  { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Reads one property from an MSBuild props file, so versions and hashes live in one place.
prop() {
  local file="$1" name="$2" value
  value="$(sed -n "s|.*<$name>\(.*\)</$name>.*|\1|p" "$REPO_ROOT/$file" | head -n 1)"
  [ -n "$value" ] || die "property $name not found in $file"
  printf '%s' "$value"
}

streaming_cache_dir() {
  if [ -n "${STREAMING_CACHE_DIR:-}" ]; then printf '%s' "$STREAMING_CACHE_DIR"
  elif [ -n "${XDG_CACHE_HOME:-}" ]; then printf '%s' "$XDG_CACHE_HOME/streaming"
  else printf '%s' "$HOME/.cache/streaming"; fi
}
