// Standalone local AWS for development: `node -r tsx/cjs test/e2e/aws/serve.ts [--port N]
// [--minute-ms N]`. Prints `endpoint: http://127.0.0.1:PORT` once ready; stops moto and
// exits on SIGINT/SIGTERM.
import { parseArgs } from "node:util";
import { DEFAULT_MINUTE_MS, startLocalAws } from "./local-aws";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: "string" }, "minute-ms": { type: "string" } } });
  const local = await startLocalAws({
    port: values.port === undefined ? undefined : Number(values.port),
    minuteMs: Number(values["minute-ms"] ?? process.env.DCP_E2E_MINUTE_MS ?? DEFAULT_MINUTE_MS),
  });
  process.stdout.write(`endpoint: ${local.endpoint}\n`);
  process.stderr.write(`moto ${local.motoVersion}; Ctrl-C to stop\n`);
  const shutdown = (): void => {
    void local.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
