import * as grpc from "@grpc/grpc-js";
import { ResourceProviderService } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/provider_pb";
import { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { configDiff } from "./config-diff";
import { parseConfig } from "./config";
import { check, diff, type ChangeKind, type DiffResult } from "./diff";
import { previewCreate, previewUpdate, resourceType, withId } from "./resources";
import { missingCredentials, openSession, type AwsSession } from "./session";
import { fromStruct, revealProps, toStruct } from "./values";

type Handler<Req, Res> = (request: Req) => Promise<Res>;

/** Every failure reaches the engine as a gRPC error with the message the user should read. */
function unary<Req, Res>(handler: Handler<Req, Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    handler(call.request).then(
      (response) => callback(null, response),
      (error: unknown) => callback({ code: grpc.status.UNKNOWN, details: error instanceof Error ? error.message : String(error) }),
    );
  };
}

const KINDS: Record<ChangeKind, pb.PropertyDiff.Kind> = {
  ADD: pb.PropertyDiff.Kind.ADD,
  ADD_REPLACE: pb.PropertyDiff.Kind.ADD_REPLACE,
  DELETE: pb.PropertyDiff.Kind.DELETE,
  DELETE_REPLACE: pb.PropertyDiff.Kind.DELETE_REPLACE,
  UPDATE: pb.PropertyDiff.Kind.UPDATE,
  UPDATE_REPLACE: pb.PropertyDiff.Kind.UPDATE_REPLACE,
};

function diffResponse(result: DiffResult) {
  const response = new pb.DiffResponse()
    .setChanges(result.changed ? pb.DiffResponse.DiffChanges.DIFF_SOME : pb.DiffResponse.DiffChanges.DIFF_NONE)
    .setReplacesList(result.replaces)
    .setStablesList(result.stables)
    .setDiffsList(result.diffs)
    .setDeletebeforereplace(result.deleteBeforeReplace)
    .setHasdetaileddiff(true);
  for (const [key, kind] of Object.entries(result.detailed)) {
    response.getDetaileddiffMap().set(key, new pb.PropertyDiff().setKind(KINDS[kind]).setInputdiff(false));
  }
  return response;
}

/** pulumi-aws's credentials reason for the provider's inputs; a config that does not parse fails later, at Configure. */
function checkedCredentials(news: ReturnType<typeof fromStruct>): string | undefined {
  try {
    return missingCredentials(parseConfig(revealProps(news), {}, process.env));
  } catch {
    return undefined;
  }
}

/** The ResourceProvider service, holding the session that Configure opens. */
export function providerService(version: string): grpc.UntypedServiceImplementation {
  let session: AwsSession | undefined;
  const configured = (): AwsSession => {
    if (session === undefined) throw new Error("the aws provider was used before it was configured");
    return session;
  };

  return {
    handshake: unary(async () =>
      new pb.ProviderHandshakeResponse().setAcceptSecrets(true).setAcceptResources(false).setAcceptOutputs(false),
    ),
    getPluginInfo: unary(async () => new PluginInfo().setVersion(version)),
    // The engine only needs a schema for codegen and conversions, never for preview/up/refresh.
    getSchema: unary(async () => new pb.GetSchemaResponse().setSchema(JSON.stringify({ name: "aws", version }))),
    checkConfig: unary(async (req: pb.CheckRequest) => {
      const news = fromStruct(req.getNews());
      const missing = checkedCredentials(news);
      // The bridge answers a CheckFailureError of pulumi-aws's pre-configure callback as check failures.
      if (missing !== undefined) return new pb.CheckResponse().setFailuresList([new pb.CheckFailure().setProperty("").setReason(missing)]);
      return new pb.CheckResponse().setInputs(toStruct(news));
    }),
    diffConfig: unary(async (req: pb.DiffRequest) => {
      const olds = req.hasOldInputs() ? fromStruct(req.getOldInputs()) : fromStruct(req.getOlds());
      return diffResponse(configDiff(olds, fromStruct(req.getNews())));
    }),
    configure: unary(async (req: pb.ConfigureRequest) => {
      const variables = Object.fromEntries(req.getVariablesMap().toArray());
      session = await openSession(parseConfig(revealProps(fromStruct(req.getArgs())), variables, process.env));
      return new pb.ConfigureResponse().setAcceptsecrets(true).setSupportspreview(true).setAcceptresources(false);
    }),
    check: unary(async (req: pb.CheckRequest) => {
      const type = resourceType(req.getUrn(), req.getType());
      const checked = check(type, req.getUrn(), fromStruct(req.getOlds()), fromStruct(req.getNews()));
      return new pb.CheckResponse().setInputs(toStruct(checked));
    }),
    diff: unary(async (req: pb.DiffRequest) => {
      const type = resourceType(req.getUrn(), req.getType());
      return diffResponse(diff(type, configured(), fromStruct(req.getOlds()), fromStruct(req.getNews()), req.getIgnorechangesList()));
    }),
    create: unary(async (req: pb.CreateRequest) => {
      const type = resourceType(req.getUrn(), req.getType());
      const inputs = fromStruct(req.getProperties());
      if (req.getPreview()) return new pb.CreateResponse().setProperties(toStruct(previewCreate(type, configured(), inputs)));
      const created = await failWith(type.token, "creating", () => type.create(configured(), revealProps(inputs)));
      return new pb.CreateResponse().setId(created.id).setProperties(toStruct(withId(created.id, created.outputs)));
    }),
    read: unary(async (req: pb.ReadRequest) => {
      const type = resourceType(req.getUrn(), req.getType());
      const state = revealProps(fromStruct(req.getProperties()));
      const outputs = await failWith(type.token, "reading", () => type.read(configured(), req.getId(), state));
      // An empty id tells the engine the resource is gone.
      if (outputs === undefined) return new pb.ReadResponse();
      return new pb.ReadResponse()
        .setId(req.getId())
        .setProperties(toStruct(withId(req.getId(), outputs)))
        .setInputs(toStruct(fromStruct(req.getInputs())));
    }),
    update: unary(async (req: pb.UpdateRequest) => {
      const type = resourceType(req.getUrn(), req.getType());
      const olds = fromStruct(req.getOlds());
      const news = fromStruct(req.getNews());
      if (req.getPreview()) return new pb.UpdateResponse().setProperties(toStruct(previewUpdate(type, configured(), olds, news)));
      const outputs = await failWith(type.token, "updating", () =>
        type.update(configured(), req.getId(), revealProps(olds), revealProps(news)),
      );
      return new pb.UpdateResponse().setProperties(toStruct(withId(req.getId(), outputs)));
    }),
    delete: unary(async (req: pb.DeleteRequest) => {
      const type = resourceType(req.getUrn(), req.getType());
      await failWith(type.token, "deleting", () => type.delete(configured(), req.getId(), revealProps(fromStruct(req.getProperties()))));
      return new Empty();
    }),
    cancel: unary(async () => new Empty()),
  };
}

/** Error messages shaped like the real provider's: what was being done, to what, and AWS's reason. */
async function failWith<T>(token: string, doing: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    const name = (error as Error).name ?? "Error";
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${doing} ${token}: ${name}: ${message}`, { cause: error });
  }
}

export function registerProvider(server: grpc.Server, version: string): void {
  server.addService(ResourceProviderService, providerService(version));
}
