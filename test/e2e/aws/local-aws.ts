// One local endpoint for every AWS service dcp touches. Requests are routed by the service
// in their SigV4 credential scope (`Credential=AKID/DATE/REGION/SERVICE/aws4_request`, AWS
// General Reference "Signature Version 4"): AppConfig and its Data API (which also signs
// as `appconfig`) go to our emulator, everything else is proxied unchanged to moto, which
// itself routes by that scope.
import { AppConfigDataClient, GetLatestConfigurationCommand, StartConfigurationSessionCommand } from "@aws-sdk/client-appconfigdata";
import { CloudWatchClient, SetAlarmStateCommand, type StateValue } from "@aws-sdk/client-cloudwatch";
import { CreatePolicyCommand, IAMClient } from "@aws-sdk/client-iam";
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Accounts } from "./accounts";
import { AppConfigEmulator } from "./appconfig/emulator";
import type { ApiResponse } from "./appconfig/http";
import { freePort, MOTO_VERSION, startMoto } from "./moto";

export interface LocalAwsOptions {
  // Milliseconds per emulated AWS minute for deployment durations and bake times.
  readonly minuteMs?: number;
  readonly port?: number;
}

export interface LocalAws {
  readonly endpoint: string;
  readonly motoVersion: string;
  stop(): Promise<void>;
  /** Sets an alarm's state as CloudWatch's SetAlarmState does; in the account of `roleArn` when given. */
  setAlarmState(region: string, alarmName: string, state: StateValue, roleArn?: string): Promise<void>;
  served(region: string, application: string, environment: string, profile: string): Promise<unknown>;
  /** Creates a customer-managed IAM policy in the account of `roleArn`, as a platform team does once per account. */
  createPolicy(name: string, document: string, roleArn: string): Promise<void>;
}

const CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };
export const DEFAULT_MINUTE_MS = 1000;

export function credentialScope(request: IncomingMessage): { region: string; service: string } | undefined {
  const url = new URL(request.url ?? "/", "http://local");
  const credential = /Credential=([^,\s]+)/.exec(request.headers.authorization ?? "")?.[1] ?? url.searchParams.get("X-Amz-Credential");
  const [, , region, service] = credential?.split("/") ?? [];
  return region && service ? { region, service } : undefined;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function send(response: ServerResponse, answer: ApiResponse): void {
  const body = answer.body ?? "";
  response.writeHead(answer.status, { ...answer.headers, "content-length": Buffer.byteLength(body), "x-amzn-RequestId": crypto.randomUUID() });
  response.end(body);
}

function proxy(target: string, request: IncomingMessage, body: Buffer, response: ServerResponse): void {
  const upstream = httpRequest(`${target}${request.url ?? "/"}`, { method: request.method, headers: request.headers }, (answer) => {
    response.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(response);
  });
  upstream.on("error", (error) => {
    response.writeHead(502, { "content-type": "text/plain" });
    response.end(`moto unreachable: ${error.message}`);
  });
  upstream.end(body);
}

export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const moto = await startMoto();
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  const emulator = new AppConfigEmulator({ minuteMs: options.minuteMs ?? DEFAULT_MINUTE_MS, cloudWatchEndpoint: endpoint });

  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const scope = credentialScope(request);
      if (scope?.service !== "appconfig" && scope?.service !== "appconfigdata") return proxy(moto.endpoint, request, body, response);
      const url = new URL(request.url ?? "/", endpoint);
      const answer = await emulator.handle({
        method: request.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: request.headers,
        body,
        region: scope.region,
      });
      send(response, answer);
    })().catch((error: unknown) => {
      response.writeHead(500, { "content-type": "text/plain" });
      response.end(String(error));
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
  } catch (error) {
    emulator.stop();
    await moto.stop();
    throw error;
  }

  const client = { endpoint, credentials: CREDENTIALS };
  const accounts = new Accounts(endpoint);
  return {
    endpoint,
    motoVersion: MOTO_VERSION,
    stop: async () => {
      emulator.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await moto.stop();
    },
    setAlarmState: async (region, alarmName, state, roleArn) => {
      const cloudWatch = new CloudWatchClient({ ...client, region, credentials: await accounts.credentials(roleArn) });
      await cloudWatch.send(new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: state, StateReason: "set by an e2e test" }));
      cloudWatch.destroy();
    },
    createPolicy: async (name, document, roleArn) => {
      const iam = new IAMClient({ ...client, region: "us-east-1", credentials: await accounts.credentials(roleArn) });
      await iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: document }));
      iam.destroy();
    },
    // A fresh session each time, so the answer is the full configuration, never the
    // "unchanged" empty body; JSON is parsed, anything else returned as text.
    served: async (region, application, environment, profile) => {
      const data = new AppConfigDataClient({ ...client, region });
      try {
        const session = await data.send(
          new StartConfigurationSessionCommand({ ApplicationIdentifier: application, EnvironmentIdentifier: environment, ConfigurationProfileIdentifier: profile }),
        );
        const answer = await data.send(new GetLatestConfigurationCommand({ ConfigurationToken: session.InitialConfigurationToken }));
        const text = Buffer.from(answer.Configuration ?? new Uint8Array()).toString("utf8");
        if (text === "") return undefined;
        return answer.ContentType?.includes("json") ? (JSON.parse(text) as unknown) : text;
      } finally {
        data.destroy();
      }
    },
  };
}
