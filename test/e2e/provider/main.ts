import * as grpc from "@grpc/grpc-js";
import { readFileSync } from "node:fs";
import { registerProvider } from "./server";

/**
 * The plugin's entry point, per Pulumi's plugin protocol: serve the ResourceProvider service on
 * a loopback port and print that port as the first line of stdout. The engine passes its own
 * address as the argument; nothing here calls back into the engine, so it is not needed.
 */
function pluginVersion(): string {
  // Reporting the SDK package's version keeps the engine from warning about a version mismatch.
  const manifest = JSON.parse(readFileSync(require.resolve("@pulumi/aws/package.json"), "utf8")) as { version: string };
  return manifest.version;
}

const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
registerProvider(server, pluginVersion());
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) {
    console.error(`pulumi-resource-aws (e2e): cannot listen: ${error.message}`);
    process.exit(1);
  }
  process.stdout.write(`${port}\n`);
});

// The engine kills plugins when it is done; a SIGTERM from a test harness ends the same way.
process.on("SIGTERM", () => server.tryShutdown(() => process.exit(0)));
