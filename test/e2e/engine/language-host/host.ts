// The LanguageRuntime service of pulumi-language-nodejs, after the real host at v3.248.0
// (sdk/nodejs/cmd/pulumi-language-nodejs/main.go), for the end-to-end tests: the Go host
// cannot be built here (the module proxy refuses its untagged module). It runs programs and
// policy packs with the program's own @pulumi/pulumi exactly as the real one does; code
// generation, packing and linking are left UNIMPLEMENTED (grpc-js's default for a missing
// handler), and InstallDependencies does nothing because `npm ci` installs dependencies.
import { type ChildProcess, spawn } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import { type ILanguageRuntimeServer } from "@pulumi/pulumi/proto/language_grpc_pb";
import * as lang from "@pulumi/pulumi/proto/language_pb";
import * as plugin from "@pulumi/pulumi/proto/plugin_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { findPluginPackages, incompatibleSdkMessage, programDependencies } from "./packages";
import { PolicyProxy } from "./policy-proxy";
import {
  envObject, interrupt, locateModule, lookPath, optionsEnv, parseOptions, processEnvEntries, waitExit,
} from "./spawn";
import { runArguments, runConfig, runResponse } from "./run-request";

type Implemented =
  | "handshake" | "getPluginInfo" | "getRequiredPlugins" | "getRequiredPackages" | "run" | "runPlugin"
  | "installDependencies" | "about" | "getProgramDependencies" | "cancel";

const unknownError = (err: unknown): Partial<grpc.StatusObject> => ({
  code: grpc.status.UNKNOWN,
  details: err instanceof Error ? err.message : String(err),
});

export class NodeLanguageHost {
  /** Programs still running, interrupted by the Cancel RPC. */
  private readonly running = new Set<ChildProcess>();

  constructor(
    private engineAddress: string,
    private readonly tracing: string,
    private readonly version: string,
    private readonly onEngineAddress: (address: string) => void,
  ) {}

  service(): Pick<ILanguageRuntimeServer, Implemented> {
    return {
      handshake: (call, callback) => {
        this.engineAddress = call.request.getEngineAddress();
        this.onEngineAddress(this.engineAddress);
        callback(null, new lang.LanguageHandshakeResponse());
      },
      getPluginInfo: (_call, callback) => callback(null, new plugin.PluginInfo().setVersion(this.version)),
      // Like the real host: the engine falls back to it only for hosts without GetRequiredPackages.
      getRequiredPlugins: (_call, callback) =>
        callback({ code: grpc.status.UNIMPLEMENTED, details: "method GetRequiredPlugins not implemented" }),
      getRequiredPackages: (call, callback) => {
        const errors: string[] = [];
        const sdkVersions = new Map<string, string>();
        const found = findPluginPackages(call.request.getInfo()?.getProgramDirectory() ?? ".", errors, sdkVersions);
        const warning = errors.length === 0 ? incompatibleSdkMessage(sdkVersions) : undefined;
        if (warning) process.stderr.write(warning);
        const packages = found.map((p) => {
          const dep = new plugin.PackageDependency().setName(p.name).setKind("resource").setVersion(p.version).setServer(p.server);
          const param = p.parameterization;
          if (param) dep.setParameterization(new plugin.PackageParameterization().setName(param.name).setVersion(param.version).setValue(param.value));
          return dep;
        });
        // Discovery errors are only logged by the real host; the packages found still count.
        callback(null, new lang.GetRequiredPackagesResponse().setPackagesList(packages));
      },
      run: (call, callback) => {
        this.run(call).then((res) => callback(null, res), (err: unknown) => callback(unknownError(err)));
      },
      runPlugin: (call) => {
        this.runPlugin(call).then(
          () => call.end(),
          (err: unknown) => call.emit("error", unknownError(err)),
        );
      },
      installDependencies: (call) => {
        call.write(new lang.InstallDependenciesResponse().setStdout(Buffer.from("Dependencies are installed by `npm ci`; nothing to do.\n")));
        call.end();
      },
      about: (_call, callback) => {
        try {
          const res = new lang.AboutResponse().setExecutable(lookPath("node")).setVersion(process.version);
          // dcp's projects are npm projects, which is what the real host's auto-detection finds.
          res.getMetadataMap().set("packagemanager", "npm");
          callback(null, res);
        } catch (err) {
          callback(unknownError(new Error(`could not find executable "node": ${(err as Error).message}`)));
        }
      },
      getProgramDependencies: (call, callback) => {
        try {
          const deps = programDependencies(call.request.getInfo()?.getProgramDirectory() ?? ".", call.request.getTransitivedependencies());
          callback(null, new lang.GetProgramDependenciesResponse().setDependenciesList(
            deps.map((d) => new lang.DependencyInfo().setName(d.name).setVersion(d.version)),
          ));
        } catch (err) {
          callback(unknownError(new Error(`failed to get node dependencies: ${(err as Error).message}`)));
        }
      },
      cancel: (_call, callback) => {
        for (const child of this.running) interrupt(child);
        callback(null, new Empty());
      },
    };
  }

  private async run(call: grpc.ServerUnaryCall<lang.RunRequest, lang.RunResponse>): Promise<lang.RunResponse> {
    const req = call.request;
    if (!this.engineAddress) throw new Error("when debugging or running explicitly, must call Handshake before Run");
    if (req.getAttachDebugger()) return new lang.RunResponse().setError("the test language host cannot attach a debugger");
    const info = req.getInfo();
    const programDir = info?.getProgramDirectory() ?? req.getPwd();
    let node: string;
    try {
      node = lookPath("node");
    } catch (err) {
      return new lang.RunResponse().setError(`could not find node on the $PATH: ${(err as Error).message}`);
    }
    let runPath: string;
    let opts;
    let config;
    try {
      runPath = locateModule(process.env.PULUMI_LANGUAGE_NODEJS_RUN_PATH || "@pulumi/pulumi/cmd/run", programDir, false);
      config = runConfig(req);
      opts = parseOptions(info?.getOptions()?.toJavaScript() ?? {});
    } catch (err) {
      return new lang.RunResponse().setError((err as Error).message);
    }
    const env = envObject([...processEnvEntries(), ...config, ...optionsEnv(opts)]);
    const args = [...opts.nodeargs, ...runArguments(req, runPath, this.engineAddress, this.tracing)];
    // stdout goes straight to ours, which the engine logs; stderr likewise.
    const child = spawn(node, args, { env, stdio: ["ignore", "inherit", "inherit"] });
    this.running.add(child);
    call.on("cancelled", () => interrupt(child));
    try {
      return runResponse(await waitExit(child));
    } catch (err) {
      return new lang.RunResponse().setError(`Problem executing program (could not run language executor): ${(err as Error).message}`);
    } finally {
      this.running.delete(child);
    }
  }

  private async runPlugin(call: grpc.ServerWritableStream<lang.RunPluginRequest, lang.RunPluginResponse>): Promise<void> {
    const req = call.request;
    if (!this.engineAddress) throw new Error("when debugging or running explicitly, must call Handshake before Run");
    if (req.getAttachDebugger()) throw new Error("the test language host cannot attach a debugger");
    const out = (chunk: Buffer) => call.write(new lang.RunPluginResponse().setStdout(chunk));
    const err = (chunk: Buffer) => call.write(new lang.RunPluginResponse().setStderr(chunk));
    const node = lookPath("node");
    const info = req.getInfo();
    const programDir = info?.getProgramDirectory() ?? "";
    const opts = parseOptions(info?.getOptions()?.toJavaScript() ?? {});
    const env = [...req.getEnvList(), ...optionsEnv(opts)];
    const isPolicyPack = req.getKind() === "analyzer";
    // Policy packs used to be started by a pulumi-analyzer-policy script; now the host does it.
    const entry = isPolicyPack
      ? "@pulumi/pulumi/cmd/run-policy-pack"
      : process.env.PULUMI_LANGUAGE_NODEJS_RUN_PATH || "@pulumi/pulumi/cmd/run-plugin";
    const runPath = locateModule(entry, programDir, true);
    // As in the real host, nodeargs follow the script, and a policy pack takes its directory last.
    const args = isPolicyPack
      ? [runPath, ...opts.nodeargs, ...req.getArgsList(), programDir]
      : [runPath, ...opts.nodeargs, programDir, ...req.getArgsList()];

    let proxy: PolicyProxy | undefined;
    if (isPolicyPack) {
      proxy = await PolicyProxy.start();
      out(Buffer.from(`${proxy.port}\n`));
      const config = await proxy.awaitConfiguration();
      if (config) {
        const add = (k: string, v: string) => v && env.push(`${k}=${v}`);
        add("PULUMI_NODEJS_ORGANIZATION", config.getOrganization());
        add("PULUMI_NODEJS_PROJECT", config.getProject());
        add("PULUMI_NODEJS_STACK", config.getStack());
        add("PULUMI_NODEJS_DRY_RUN", String(config.getDryRun()));
        add("PULUMI_CONFIG", JSON.stringify(Object.fromEntries(config.getConfigMap().entries())));
      }
    }
    // Go's exec inherits the environment only when cmd.Env is nil.
    const child = spawn(node, args, {
      cwd: isPolicyPack ? programDir : req.getPwd(),
      env: env.length > 0 ? envObject(env) : process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.running.add(child);
    call.on("cancelled", () => child.kill("SIGKILL"));
    const exit = waitExit(child);
    child.stderr.on("data", err);
    try {
      if (proxy) await proxy.attach(child, out);
      else child.stdout.on("data", out);
      const code = await exit.catch((e: Error) => {
        throw new Error(`Problem executing plugin program (could not run language executor): ${e.message}`);
      });
      if (code !== 0) throw new Error(`Program exited with non-zero exit code: ${code}`);
    } finally {
      child.kill("SIGKILL");
      proxy?.shutdown();
      this.running.delete(child);
    }
  }
}
