#!/usr/bin/env bash
# Records the current contracts as the last released ones (proto/released/descriptor-set.binpb),
# the baseline the compatibility test compares against. Run it when a contract change is
# released, and commit the result with the change. See README.md, "Schema evolution".
set -euo pipefail
proto_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(dirname "$proto_dir")"

# protoc comes with the Grpc.Tools package the build already uses: restore it, then find it.
version="$(sed -n 's/.*Include="Grpc.Tools" Version="\([^"]*\)".*/\1/p' "$repo_root/Directory.Packages.props")"
dotnet restore "$repo_root/services/Streaming.Contracts" --nologo -v quiet
case "$(uname -m)" in aarch64 | arm64) platform=linux_arm64 ;; *) platform=linux_x64 ;; esac
protoc="${NUGET_PACKAGES:-$HOME/.nuget/packages}/grpc.tools/$version/tools/$platform/protoc"

cd "$proto_dir"
# Sorted, so the same contracts always give the same bytes.
find binance -name '*.proto' | LC_ALL=C sort | xargs "$protoc" --proto_path=. --descriptor_set_out=released/descriptor-set.binpb
echo "Wrote $proto_dir/released/descriptor-set.binpb"
