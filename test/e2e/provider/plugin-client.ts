import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/provider_pb";
import type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fromStruct, toStruct, type Props } from "./values";

const PLUGIN = join(__dirname, "..", "bin", "pulumi-resource-aws");

/** The plugin as the engine runs it: a child process whose first stdout line is its port. */
export interface Plugin {
  client: ResourceProviderClient;
  stderr: () => string;
  stop(): Promise<void>;
}

export async function startPlugin(env: NodeJS.ProcessEnv = {}): Promise<Plugin> {
  const child: ChildProcess = spawn(PLUGIN, ["127.0.0.1:1"], { env: { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n");
      if (line.length > 1) resolve(line[0] ?? "");
    });
    child.once("exit", (code) => reject(new Error(`plugin exited (${code}) before printing its port: ${stderr}`)));
  });
  const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    client,
    stderr: () => stderr,
    stop: async () => {
      client.close();
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

type Callback<Res> = (error: grpc.ServiceError | null, response: Res) => void;

/** The generated client's methods are overloaded (metadata, options): call the plain (request, callback) form. */
function call<Res>(client: ResourceProviderClient, method: keyof ResourceProviderClient, request: unknown): Promise<Res> {
  const fn = client[method] as unknown as (request: unknown, callback: Callback<Res>) => void;
  return new Promise((resolve, reject) => fn.call(client, request, (error, response) => (error ? reject(error) : resolve(response))));
}

const PROVIDER_URN = "urn:pulumi:test::dcp::pulumi:providers:aws::stage";

export function urnOf(token: string, name: string): string {
  return `urn:pulumi:test::dcp::dcp:test:Component$${token}::${name}`;
}

function checkConfig(client: ResourceProviderClient, news: Props): Promise<pb.CheckResponse> {
  return call<pb.CheckResponse>(client, "checkConfig", new pb.CheckRequest().setUrn(PROVIDER_URN).setNews(toStruct(news)));
}

/** The engine's calls, with plain objects in and out. */
export function rpc(client: ResourceProviderClient) {
  return {
    handshake: () => call<pb.ProviderHandshakeResponse>(client, "handshake", new pb.ProviderHandshakeRequest()),
    pluginInfo: (): Promise<PluginInfo> => call<PluginInfo>(client, "getPluginInfo", new Empty()),
    checkConfig: async (news: Props) => fromStruct((await checkConfig(client, news)).getInputs()),
    /** The reasons CheckConfig refuses a provider configuration for, as the engine would report them. */
    checkConfigFailures: async (news: Props) => (await checkConfig(client, news)).getFailuresList().map((failure) => failure.getReason()),
    diffConfig: (olds: Props, news: Props) =>
      call<pb.DiffResponse>(client, "diffConfig", new pb.DiffRequest().setUrn(PROVIDER_URN).setOldInputs(toStruct(olds)).setOlds(toStruct(olds)).setNews(toStruct(news))),
    configure: (args: Props, variables: Record<string, string> = {}) => {
      const request = new pb.ConfigureRequest().setArgs(toStruct(args)).setAcceptsecrets(true);
      for (const [key, value] of Object.entries(variables)) request.getVariablesMap().set(key, value);
      return call<pb.ConfigureResponse>(client, "configure", request);
    },
    check: async (token: string, name: string, news: Props, olds: Props = {}) =>
      fromStruct(
        (await call<pb.CheckResponse>(client, "check", new pb.CheckRequest().setUrn(urnOf(token, name)).setType(token).setNews(toStruct(news)).setOlds(toStruct(olds)))).getInputs(),
      ),
    diff: (token: string, name: string, id: string, olds: Props, news: Props, ignoreChanges: string[] = []) =>
      call<pb.DiffResponse>(
        client,
        "diff",
        new pb.DiffRequest().setUrn(urnOf(token, name)).setType(token).setId(id).setOlds(toStruct(olds)).setNews(toStruct(news)).setIgnorechangesList(ignoreChanges),
      ),
    create: async (token: string, name: string, properties: Props, preview = false) => {
      const response = await call<pb.CreateResponse>(client, "create",
        new pb.CreateRequest().setUrn(urnOf(token, name)).setType(token).setProperties(toStruct(properties)).setPreview(preview),
      );
      return { id: response.getId(), outputs: fromStruct(response.getProperties()) };
    },
    read: async (token: string, name: string, id: string, state: Props) => {
      const response = await call<pb.ReadResponse>(client, "read", new pb.ReadRequest().setUrn(urnOf(token, name)).setType(token).setId(id).setProperties(toStruct(state)));
      return { id: response.getId(), outputs: fromStruct(response.getProperties()) };
    },
    update: async (token: string, name: string, id: string, olds: Props, news: Props) =>
      fromStruct(
        (await call<pb.UpdateResponse>(client, "update", new pb.UpdateRequest().setUrn(urnOf(token, name)).setType(token).setId(id).setOlds(toStruct(olds)).setNews(toStruct(news)))).getProperties(),
      ),
    delete: (token: string, name: string, id: string, state: Props) =>
      call<Empty>(client, "delete", new pb.DeleteRequest().setUrn(urnOf(token, name)).setType(token).setId(id).setProperties(toStruct(state))),
  };
}

/** Check then Create, as the engine does for a new resource. */
export async function declare(api: ReturnType<typeof rpc>, token: string, name: string, args: Props) {
  const inputs = await api.check(token, name, args);
  return { inputs, ...(await api.create(token, name, inputs)) };
}
