# stripe-mcp: MCP server for Stripe. Build:  docker build -t stripe-mcp .
# stdio (Claude Desktop and other local clients):
#   docker run -i --rm -e STRIPE_SECRET_KEY stripe-mcp --toolsets customers,billing
#   docker run -i --rm stripe-mcp --sandbox                      # offline demo, no key
# Streamable HTTP (needs a bearer token when bound beyond loopback):
#   docker run --rm -p 3000:3000 -e STRIPE_SECRET_KEY -e STRIPE_MCP_HTTP_TOKENS stripe-mcp --http --host 0.0.0.0 --toolsets all

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json StripeMcp.sln ./
COPY src/ src/
# For a platform, the project builds self-contained, trimmed, composite ReadyToRun with Server GC (the
# fastest start-up and smallest footprint we measured, docs/benchmarks.md): the dotnet tool's linux-x64
# package is the same build. CI runs this exact command and the whole test suite against its output.
RUN dotnet publish src/StripeMcp/StripeMcp.csproj -c Release -r linux-x64 -o /app

# Chiseled runtime-deps: no shell, no package manager, no .NET install needed, non-root by default.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled
WORKDIR /app
COPY --from=build /app ./
USER $APP_UID
EXPOSE 3000
ENTRYPOINT ["/app/stripe-mcp"]
