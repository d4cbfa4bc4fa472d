# stripe-mcp: MCP server for Stripe. Build:  docker build -t stripe-mcp .
# stdio (Claude Desktop and other local clients):
#   docker run -i --rm -v stripe-mcp-state:/state -e STRIPE_SECRET_KEY stripe-mcp --toolsets customers,billing
#   docker run -i --rm stripe-mcp --sandbox                      # offline demo, no key, nothing kept
# Streamable HTTP (needs a bearer token when bound beyond loopback):
#   docker run --rm -p 3000:3000 -v stripe-mcp-state:/state -e STRIPE_SECRET_KEY -e STRIPE_MCP_HTTP_TOKENS stripe-mcp --http --host 0.0.0.0 --toolsets all
# The state store (limits' rolling totals, idempotency keys, the audit chain) is /state/stripe-mcp/state.db:
# mount a volume there, or --rm forgets them all; several instances share one through STRIPE_MCP_POSTGRES.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# The platform the image is built for (docker buildx sets it: amd64, arm64), as a .NET runtime identifier.
ARG TARGETARCH=amd64
SHELL ["/bin/bash", "-c"]
WORKDIR /src
COPY global.json StripeMcp.sln ./
COPY src/ src/
# For a platform, the project builds self-contained, trimmed, composite ReadyToRun with Server GC (the
# fastest start-up and smallest footprint we measured, docs/benchmarks.md): the dotnet tool's linux-x64
# package is the same build. CI runs this exact command, then the whole-process suite and the MCP conformance
# suite against its output.
RUN dotnet publish src/StripeMcp/StripeMcp.csproj -c Release -r linux-${TARGETARCH/amd64/x64} -o /app
RUN mkdir -p /state/stripe-mcp

# Chiseled runtime-deps: no shell, no package manager, no .NET install needed, non-root by default.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled
WORKDIR /app
COPY --from=build /app ./
COPY --from=build --chown=$APP_UID /state /state
ENV XDG_STATE_HOME=/state
VOLUME /state
USER $APP_UID
EXPOSE 3000
ENTRYPOINT ["/app/stripe-mcp"]
