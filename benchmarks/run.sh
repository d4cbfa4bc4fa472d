#!/usr/bin/env bash
# All benchmarks, one command: bash benchmarks/run.sh [--quick]
# Packs and installs stripe-mcp as it ships (dotnet tool; Docker build), installs Stripe's @stripe/mcp 0.2.5 from npm as the
# reference, and prints markdown tables (the ones in docs/benchmarks.md). Needs the .NET 10 SDK, node, npm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/.."
runs=10 calls=1000 seconds=10
if [ "${1:-}" = "--quick" ]; then runs=3 calls=200 seconds=3; fi

echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), .NET $(dotnet --version), node $(node --version)"
echo
(cd "$here/reference" && npm install --no-audit --no-fund --no-package-lock --loglevel=error >/dev/null)
# The dotnet tool as users install it: pack this platform's package and the portable one ("any", what a
# platform without its own package gets, Windows among them), install from that folder, run the installed command.
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) rid=linux-x64 ;; Linux-aarch64) rid=linux-arm64 ;; Darwin-x86_64) rid=osx-x64 ;; Darwin-arm64) rid=osx-arm64 ;;
  *) echo "no tool package for $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac
rm -rf "$here/.out/nupkg" "$here/.out/tool" "$here/.out/portable"
dotnet pack "$root/src/StripeMcp/StripeMcp.csproj" -c Release -o "$here/.out/nupkg" "-p:RuntimeIdentifiers=\"$rid;any\"" -v q -nologo >/dev/null
dotnet tool install StripeMcp --tool-path "$here/.out/tool" --add-source "$here/.out/nupkg" >/dev/null
mkdir -p "$here/.out/portable" && (cd "$here/.out/portable" && unzip -q "$here/.out/nupkg/StripeMcp.any."*.nupkg)
portable=$(find "$here/.out/portable" -name stripe-mcp.dll | head -1)
# The Docker image's build, with the Dockerfile's own publish command.
docker_publish=$(grep -E '^RUN dotnet publish ' "$root/Dockerfile" | sed -e 's/^RUN //' -e "s| -o /app| -o $here/.out/docker|" -e "s|src/StripeMcp/|$root/src/StripeMcp/|")
eval "$docker_publish" -v q -nologo >/dev/null
dotnet build "$here/StripeMcp.Benchmarks/StripeMcp.Benchmarks.csproj" -c Release -v q -nologo >/dev/null
bench() { dotnet run -c Release --no-build --project "$here/StripeMcp.Benchmarks" -- "$@"; }

bench startup --reference "$here/reference/node_modules/@stripe/mcp/dist/index.js" --runs "$runs" \
  --server "stripe-mcp, dotnet tool as installed ($rid package: self-contained, trimmed, composite ReadyToRun)=$here/.out/tool/stripe-mcp" \
  --server "stripe-mcp, dotnet tool, portable package (any: framework-dependent, JIT)=$portable" \
  --server "stripe-mcp, Docker build (self-contained, trimmed, composite ReadyToRun)=$here/.out/docker/stripe-mcp"
bench footprint --server "$here/.out/tool/stripe-mcp" --reference "$here/reference/node_modules/@stripe/mcp/dist/index.js" --runs "$((runs < 7 ? runs : 7))"
bench calls --server "$here/.out/tool/stripe-mcp" --reference "$here/reference/node_modules/@stripe/mcp/dist/index.js" --calls "$calls"
bench context --server "$here/.out/tool/stripe-mcp" --reference "$here/reference/node_modules/@stripe/mcp/dist/index.js"
bench load --clients 32 --seconds "$seconds" --warmup 3
bench load --clients 32 --seconds "$seconds" --warmup 3 --server "$here/.out/tool/stripe-mcp"

# The state store's cost: a throwaway PostgreSQL on loopback (initdb refuses root: as root it runs as postgres).
pg_initdb=$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort | tail -1 || true)
if [ -n "$pg_initdb" ]; then
  pg_bin=$(dirname "$pg_initdb") pg_dir=$(mktemp -d) pg_port=$((20000 + RANDOM % 20000))
  as_pg=(); if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_dir"; as_pg=(runuser -u postgres --); fi
  "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U bench --auth=trust -E UTF8 --no-sync >/dev/null
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
  trap '"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$pg_dir"' EXIT
  bench ledger --server "$here/.out/tool/stripe-mcp" --postgres "Host=127.0.0.1;Port=$pg_port;Database=postgres;Username=bench" --seconds "$seconds" --warmup 3
else
  echo "(PostgreSQL's initdb not found: the ledger benchmark runs without PostgreSQL)"
  bench ledger --server "$here/.out/tool/stripe-mcp" --seconds "$seconds" --warmup 3
fi
