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
# ReadyToRun: precompiled code, so the server answers `initialize` sooner (see docs/benchmarks.md).
RUN dotnet publish src/StripeMcp/StripeMcp.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o /app

# Chiseled: no shell, no package manager, runs as a non-root user by default.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
WORKDIR /app
COPY --from=build /app ./
USER $APP_UID
EXPOSE 3000
ENTRYPOINT ["dotnet", "/app/stripe-mcp.dll"]
