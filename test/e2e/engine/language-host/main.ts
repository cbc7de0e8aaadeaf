// Entry point of the test pulumi-language-nodejs, with the real host's startup protocol: Go
// flags (the engine may pass --logtostderr, -v=N and --tracing), the engine's address as the
// first positional argument, the port of our gRPC server as the only line on stdout, and an
// exit once the engine stops answering health checks.
import * as fs from "node:fs";
import * as grpc from "@grpc/grpc-js";
import { LanguageRuntimeService } from "@pulumi/pulumi/proto/language_grpc_pb";
import { NodeLanguageHost } from "./host";

/** Flags the Go binary defines itself or through glog, and whether they take a value. */
const knownFlags = new Map<string, boolean>([
  ["tracing", true], ["runtime", true], ["version", false],
  ["logtostderr", false], ["alsologtostderr", false], ["v", true], ["vmodule", true],
  ["log_dir", true], ["stderrthreshold", true], ["log_backtrace_at", true],
]);

/** Go's flag.Parse: flags until the first non-flag argument or "--". */
function parseFlags(argv: string[]): { flags: Map<string, string>; args: string[] } {
  const flags = new Map<string, string>();
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") {
      i++;
      break;
    }
    if (!arg.startsWith("-") || arg === "-") break;
    const body = arg.replace(/^--?/, "");
    const eq = body.indexOf("=");
    const name = eq < 0 ? body : body.slice(0, eq);
    const takesValue = knownFlags.get(name);
    if (takesValue === undefined) {
      console.error(`flag provided but not defined: -${name}`);
      process.exit(2);
    }
    if (eq >= 0) flags.set(name, body.slice(eq + 1));
    else if (!takesValue) flags.set(name, "true");
    else if (i + 1 < argv.length) flags.set(name, argv[++i] ?? "");
    else {
      console.error(`flag needs an argument: -${name}`);
      process.exit(2);
    }
  }
  return { flags, args: argv.slice(i) };
}

/**
 * The version this host reports: it stands in for the host bundled with the CLI that matches
 * the @pulumi/pulumi it was written against, so it takes that package's version.
 */
function hostVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as { version: string };
  return `v${pkg.version}`;
}

/**
 * rpcutil.Healthcheck: every 5 minutes, ask the engine's health service; any error but
 * UNIMPLEMENTED means the engine is gone, and a host it can no longer stop should exit.
 */
function watchEngine(address: string, stop: () => void): void {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  const timer = setInterval(() => {
    client.makeUnaryRequest("/grpc.health.v1.Health/Check", () => Buffer.alloc(0), (b: Buffer) => b, Buffer.alloc(0), (err) => {
      if (err && err.code !== grpc.status.UNIMPLEMENTED) {
        clearInterval(timer);
        stop();
      }
    });
  }, 5 * 60 * 1000);
  timer.unref();
}

function main(): void {
  const { flags, args } = parseFlags(process.argv.slice(2));
  const version = hostVersion();
  if (flags.has("version")) {
    console.log(version);
    return;
  }
  const runtime = flags.get("runtime") ?? "nodejs";
  if (runtime !== "nodejs") {
    console.error(`error: unsupported runtime: ${runtime} (the test language host runs nodejs only)`);
    process.exit(1);
  }

  // Messages as large as the engine's own limit (rpcutil.GrpcChannelOptions: 400 MB).
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  const stop = () => server.tryShutdown(() => process.exit(0));
  const engineAddress = args[0] ?? "";
  if (engineAddress) watchEngine(engineAddress, stop);
  const host = new NodeLanguageHost(engineAddress, flags.get("tracing") ?? "", version, (address) => watchEngine(address, stop));
  server.addService(LanguageRuntimeService, host.service());
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) {
      console.error(`error: could not start language host RPC server: ${err.message}`);
      process.exit(1);
    }
    // The engine reads the first line of stdout as our port; what programs print follows.
    process.stdout.write(`${port}\n`);
  });
  process.once("SIGINT", stop);
}

main();
