// Every namespace of the product, for every file of this project: a type moving between the engine's namespaces
// (src/StripeMcp.Core) or the hosts' (src/StripeMcp) does not ripple through the tests' using lines.
global using StripeMcp.Api;
global using StripeMcp.Configuration;
global using StripeMcp.Docs;
global using StripeMcp.Amounts;
global using StripeMcp.Hosting;
global using StripeMcp.Mcp;
global using StripeMcp.Pipeline;
global using StripeMcp.Policy;
global using StripeMcp.Receiver;
global using StripeMcp.Resources;
global using StripeMcp.State;
global using StripeMcp.Stdio;
global using StripeMcp.Tools;
global using StripeMcp.Tools.Catalog;
