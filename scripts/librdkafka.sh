#!/usr/bin/env bash
# Builds the native librdkafka once into the cache outside the repository, then reuses it.
#
# Why from source: the NuGet copy on this project's machines lacks librdkafka.redist, Debian 12's
# librdkafka1 (2.0.2) is too old for Confluent.Kafka 2.15 consumers, and newer Debian binaries need
# a newer glibc. Confluent ships the exact source of librdkafka 2.15.1 in its npm package; its
# tarball hash is pinned in eng/librdkafka.props. Fallback: Debian's 2.14.2 upstream tarball, fetched
# from the Debian archive that apt already uses (the host name is read from apt's configuration).
#
# The mock cluster's per-partition retention caps are raised in this build (values in the props),
# and the patches in eng/librdkafka-patches/ are applied; tests/Streaming.EmbeddedKafka.Tests pin both.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PROPS=eng/librdkafka.props
version="$(prop $PROPS LibRdKafkaVersion)"
npm_pkg="$(prop $PROPS LibRdKafkaNpmPackage)"
npm_sha="$(prop $PROPS LibRdKafkaNpmSha256)"
deb_version="$(prop $PROPS LibRdKafkaDebianVersion)"
deb_path="$(prop $PROPS LibRdKafkaDebianPath)"
deb_sha="$(prop $PROPS LibRdKafkaDebianSha256)"
cap_bytes="$(prop $PROPS LibRdKafkaMockMaxPartitionBytes)"
cap_batches="$(prop $PROPS LibRdKafkaMockMaxPartitionBatches)"
recipe="$(prop $PROPS LibRdKafkaRecipe)"

dest="$(streaming_cache_dir)/librdkafka/${version}-r${recipe}"
if [ -f "$dest/VERSION" ] && [ -f "$dest/lib/librdkafka.so.1" ]; then
  info "librdkafka $(cat "$dest/VERSION") cached at $dest"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fetch_from_npm() {
  step "Fetching librdkafka $version source ($npm_pkg from the npm registry)"
  (cd "$work" && npm pack --silent "$npm_pkg" >/dev/null 2>"$work/npm.err") || { cat "$work/npm.err" >&2; return 1; }
  local tgz; tgz="$(ls "$work"/*.tgz)"
  echo "$npm_sha  $tgz" | sha256sum --check --quiet - || die "sha256 mismatch for $npm_pkg (expected $npm_sha)"
  tar -xzf "$tgz" -C "$work" package/deps/librdkafka
  mv "$work/package/deps/librdkafka" "$work/src"
  built_version="$version"
}

fetch_from_debian() {
  local uri
  uri="$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -n 1)"
  [ -n "$uri" ] || return 1
  step "Fetching librdkafka $deb_version source from the Debian archive apt uses"
  curl -fsSL "${uri%/}/$deb_path" -o "$work/deb.tar.gz" || return 1
  echo "$deb_sha  $work/deb.tar.gz" | sha256sum --check --quiet - || die "sha256 mismatch for $deb_path (expected $deb_sha)"
  mkdir "$work/src" && tar -xzf "$work/deb.tar.gz" -C "$work/src" --strip-components=1
  built_version="$deb_version"
  warn "using the fallback librdkafka $deb_version instead of $version"
}

command -v npm >/dev/null && fetch_from_npm || fetch_from_debian \
  || die "cannot fetch librdkafka source: neither '$npm_pkg' from the npm registry nor $deb_path from the Debian archive is reachable"

step "Raising the mock cluster's per-partition retention caps to $cap_bytes bytes / $cap_batches batches"
mock_c="$work/src/src/rdkafka_mock.c"
grep -q 'mpart->max_size = 1024 \* 1024 \* 5;' "$mock_c" && grep -q 'mpart->max_cnt  = 100000;' "$mock_c" \
  || die "librdkafka source changed: the mock retention caps in src/rdkafka_mock.c were not found"
sed -i -e "s|mpart->max_size = 1024 \* 1024 \* 5;|mpart->max_size = ${cap_bytes};|" \
       -e "s|mpart->max_cnt  = 100000;|mpart->max_cnt  = ${cap_batches};|" "$mock_c"

for p in "$REPO_ROOT"/eng/librdkafka-patches/*.patch; do
  step "Applying $(basename "$p")"
  patch --quiet --forward -p1 -d "$work/src" <"$p" || die "patch $(basename "$p") does not apply to this librdkafka source"
done

step "Building librdkafka $built_version (about a minute on 2 cores)"
(
  cd "$work/src"
  ./configure --prefix="$work/install" --disable-debug-symbols >"$work/configure.log" 2>&1 \
    || { tail -n 30 "$work/configure.log" >&2; exit 1; }
  make -C src -j"$(nproc)" >"$work/make.log" 2>&1 || { tail -n 30 "$work/make.log" >&2; exit 1; }
  make -C src install >>"$work/make.log" 2>&1 || { tail -n 30 "$work/make.log" >&2; exit 1; }
) || die "librdkafka build failed (log above)"

echo "$built_version" >"$work/install/VERSION"
printf 'mock.max_partition_bytes=%s\nmock.max_partition_batches=%s\n' "$cap_bytes" "$cap_batches" >"$work/install/MOCK_CAPS"
mkdir -p "$(dirname "$dest")"
rm -rf "$dest.tmp.$$" && cp -a "$work/install" "$dest.tmp.$$" && rm -rf "$dest" && mv "$dest.tmp.$$" "$dest"
info "librdkafka $built_version installed at $dest"
