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

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

is_root() { [ "$(id -u)" -eq 0 ]; }

# Installs Debian packages when running as root (refreshing the package lists once if needed);
# otherwise stops with the exact command to run.
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if ! is_root || ! command -v apt-get >/dev/null; then
    die "missing Debian packages: ${missing[*]} (install them with: sudo apt-get install ${missing[*]})"
  fi
  step "Installing ${missing[*]} with apt-get"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/tmp/streaming-apt.log 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update >>/tmp/streaming-apt.log 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >>/tmp/streaming-apt.log 2>&1 \
      || { tail -n 20 /tmp/streaming-apt.log >&2; die "apt-get could not install: ${missing[*]}"; }
  fi
}
