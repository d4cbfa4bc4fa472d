# StripeMcp: stdio MCP server. Build:  docker build -t stripe-mcp .
# Run (Claude Desktop style, stdio):  docker run -i --rm -e STRIPE_SECRET_KEY stripe-mcp --tools all
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json StripeMcp.sln ./
COPY src/ src/
RUN dotnet publish src/StripeMcp/StripeMcp.csproj -c Release -o /app -p:PublishReadyToRun=true -r linux-x64 --self-contained false

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# Non-root: the server needs no privileges, only stdin/stdout and the network to Stripe.
USER $APP_UID
ENTRYPOINT ["dotnet", "/app/stripe-mcp.dll"]
