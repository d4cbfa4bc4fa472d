// Preloaded into @stripe/mcp (node --require) by the `calls` benchmark: every Stripe client the server
// creates talks to the sandbox at STRIPE_MCP_BENCH_API_BASE instead of api.stripe.com, so Stripe's own
// server can make the same calls as ours, offline, and its memory after those calls can be measured.
'use strict';
const path = require('path');
const base = new URL(process.env.STRIPE_MCP_BENCH_API_BASE);
const mcpDir = path.dirname(require.resolve('@stripe/mcp/package.json', { paths: [__dirname] }));
const toolkit = require.resolve('@stripe/agent-toolkit/modelcontextprotocol', { paths: [mcpDir] });
const stripePath = require.resolve('stripe', { paths: [path.dirname(toolkit)] });
const Stripe = require(stripePath);
function PointedStripe(key, config) {
  return new Stripe(key, { ...config, host: base.hostname, port: base.port, protocol: base.protocol.replace(':', '') });
}
Object.setPrototypeOf(PointedStripe, Stripe);
PointedStripe.prototype = Stripe.prototype;
PointedStripe.default = PointedStripe;
PointedStripe.Stripe = PointedStripe;
require.cache[stripePath].exports = PointedStripe;
