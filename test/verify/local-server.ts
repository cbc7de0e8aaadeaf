import * as http from "node:http";
import type { AddressInfo } from "node:net";

export type Route = (request: http.IncomingMessage, response: http.ServerResponse) => void;

/** A real HTTP server on 127.0.0.1 (a free port), answering by path; `close` also drops hanging requests. */
export class LocalServer {
  readonly hits = new Map<string, number>();
  private readonly server: http.Server;

  private constructor(routes: Record<string, Route>) {
    this.server = http.createServer((request, response) => {
      const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
      this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
      const route = routes[path];
      if (route) route(request, response);
      else response.writeHead(404).end("not found");
    });
  }

  static async start(routes: Record<string, Route>): Promise<LocalServer> {
    const server = new LocalServer(routes);
    await new Promise<void>((resolve) => server.server.listen(0, "127.0.0.1", resolve));
    return server;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A port on 127.0.0.1 that was just free and has nothing listening: connecting is refused. */
export async function closedPort(): Promise<number> {
  const server = await LocalServer.start({});
  const port = server.port;
  await server.close();
  return port;
}

export const json = (status: number, body: unknown): Route => (_, response) => {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
};

export const delayed = (ms: number, route: Route): Route => (request, response) => {
  const timer = setTimeout(() => route(request, response), ms);
  response.on("close", () => clearTimeout(timer));
};

/** Accepts the request and never answers. */
export const hang: Route = () => undefined;
