#!/usr/bin/env bash
# All benchmarks, one command: bash benchmarks/run.sh [--quick]
# Publishes stripe-mcp as it ships (ReadyToRun), installs Stripe's @stripe/mcp 0.2.5 from npm as the
# reference, and prints markdown tables (the ones in docs/benchmarks.md). Needs the .NET 10 SDK, node, npm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/.."
runs=10 calls=1000 seconds=10
if [ "${1:-}" = "--quick" ]; then runs=3 calls=200 seconds=3; fi

echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), .NET $(dotnet --version), node $(node --version)"
echo
(cd "$here/reference" && npm install --no-audit --no-fund --no-package-lock --loglevel=error >/dev/null)
dotnet publish "$root/src/StripeMcp/StripeMcp.csproj" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$here/.out/server" -v q -nologo >/dev/null
# The Docker image's build, with the Dockerfile's own publish command.
docker_publish=$(grep -E '^RUN dotnet publish ' "$root/Dockerfile" | sed -e 's/^RUN //' -e "s| -o /app| -o $here/.out/docker|" -e "s|src/StripeMcp/|$root/src/StripeMcp/|")
eval "$docker_publish" -v q -nologo >/dev/null
dotnet build "$here/StripeMcp.Benchmarks/StripeMcp.Benchmarks.csproj" -c Release -v q -nologo >/dev/null
bench() { dotnet run -c Release --no-build --project "$here/StripeMcp.Benchmarks" -- "$@"; }

bench startup --server "$here/.out/server/stripe-mcp.dll" --docker-server "$here/.out/docker/stripe-mcp" --reference "$here/reference/node_modules/@stripe/mcp/dist/index.js" --runs "$runs"
bench calls --server "$here/.out/server/stripe-mcp.dll" --calls "$calls"
bench load --clients 32 --seconds "$seconds" --warmup 2
