// The Analyzer server the real language host puts in front of a Node policy pack
// (sdk/policy_proxy.go at v3.248.0). The engine starts a pack through RunPlugin and talks to
// whatever port comes first on the plugin's stdout; @pulumi/policy's server, however, expects
// the stack's project, stack and config in its environment at startup. So the host answers
// Handshake and ConfigureStack itself, starts the pack with that configuration, then relays
// every other call to the pack's own server.
import { type ChildProcess } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerService } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
  AnalyzerHandshakeResponse,
  type AnalyzerStackConfigureRequest,
  AnalyzerStackConfigureResponse,
} from "@pulumi/pulumi/proto/analyzer_pb";

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: Error): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Nobody may ever wait on it (a pack that fails to start); that must not crash the host.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

export class PolicyProxy {
  private readonly config = deferred<AnalyzerStackConfigureRequest | undefined>();
  private readonly client = deferred<grpc.Client>();

  private constructor(
    private readonly server: grpc.Server,
    readonly port: number,
  ) {}

  static async start(): Promise<PolicyProxy> {
    const server = new grpc.Server();
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, bound) =>
        err ? reject(err) : resolve(bound),
      ),
    );
    const proxy = new PolicyProxy(server, port);
    server.addService(AnalyzerService, proxy.handlers());
    return proxy;
  }

  /** The stack configuration the engine sends, or undefined when it asks for something else first. */
  awaitConfiguration(): Promise<AnalyzerStackConfigureRequest | undefined> {
    return this.config.promise;
  }

  /**
   * Reads the pack's port from the first line of its stdout (what follows goes to `forward`),
   * connects, hands it the stack configuration and starts relaying. Rejects if the pack dies
   * first or refuses the configuration.
   */
  async attach(child: ChildProcess, forward: (chunk: Buffer) => void): Promise<void> {
    const port = await new Promise<number>((resolve, reject) => {
      let head = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const newline = head.indexOf("\n");
        if (newline < 0) return;
        child.stdout?.off("data", onData).on("data", forward);
        if (newline + 1 < head.length) forward(head.subarray(newline + 1));
        const parsed = Number.parseInt(head.subarray(0, newline).toString(), 10);
        if (Number.isNaN(parsed)) reject(new Error(`could not read policy pack port: got ${JSON.stringify(head.subarray(0, newline).toString())}`));
        else resolve(parsed);
      };
      child.stdout?.on("data", onData);
      child.once("exit", () => reject(new Error("could not read policy pack port: EOF")));
    }).catch((err: Error) => {
      this.client.reject(err);
      throw err;
    });

    const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const config = await this.config.promise;
    if (config) {
      try {
        await unary(client, AnalyzerService.configureStack, config);
      } catch (err) {
        // Older packs do not implement ConfigureStack; they read the environment instead.
        if ((err as grpc.ServiceError).code !== grpc.status.UNIMPLEMENTED) {
          const configErr = new Error(`policy pack configuration failed: ${(err as Error).message}`);
          this.client.reject(configErr);
          throw configErr;
        }
      }
    }
    this.client.resolve(client);
  }

  shutdown(): void {
    this.server.forceShutdown();
    void this.client.promise.then((client) => client.close());
  }

  private handlers(): grpc.UntypedServiceImplementation {
    const handlers: grpc.UntypedServiceImplementation = {};
    for (const [name, method] of Object.entries(AnalyzerService)) {
      handlers[name] = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        if (method === AnalyzerService.handshake) return callback(null, new AnalyzerHandshakeResponse());
        if (method === AnalyzerService.configureStack) {
          this.config.resolve(call.request as AnalyzerStackConfigureRequest);
          return callback(null, new AnalyzerStackConfigureResponse());
        }
        // The engine calls some methods without configuring a stack first (`pulumi policy
        // publish`): the pack then starts without configuration.
        this.config.resolve(undefined);
        this.client.promise.then(
          (client) => unary(client, method, call.request).then((res) => callback(null, res), (err: grpc.ServiceError) => callback(err)),
          (err: Error) => callback({ code: grpc.status.UNKNOWN, details: `policy pack not started: ${err.message}` }),
        );
      };
    }
    return handlers;
  }
}

function unary<Req, Res>(client: grpc.Client, method: grpc.MethodDefinition<Req, Res>, request: Req): Promise<Res> {
  return new Promise((resolve, reject) =>
    client.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, request, (err, res) =>
      err || res === undefined ? reject(err ?? new Error(`${method.path}: empty response`)) : resolve(res),
    ),
  );
}
