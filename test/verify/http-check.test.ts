import { expect } from "chai";
import type { HttpCheck } from "../../cli/config/formats/stage-file";
import { runHttpCheck } from "../../cli/verify/http-check";
import { closedPort, delayed, hang, json, LocalServer } from "./local-server";

const HEALTHY = { status: "ok", checks: { database: "up", caches: [{ name: "sessions", state: "warm" }] } };

describe("an http verification check", () => {
  let server: LocalServer;
  before(async () => {
    server = await LocalServer.start({
      "/health": json(200, HEALTHY),
      "/slow": delayed(150, json(200, HEALTHY)),
      "/broken": json(500, { status: "error" }),
      "/degraded": json(200, { status: "degraded", checks: { database: "down" } }),
      "/created": json(201, {}),
      "/text": (_, response) => response.writeHead(200).end("<html>maintenance</html>"),
      "/hang": hang,
      "/no-content": (_, response) => response.writeHead(204).end(),
      "/multiple-choices": json(300, HEALTHY),
      "/nested": json(200, { items: [{ status: "down" }, { status: "up", checks: null }], version: "1.4.2" }),
      "/regions": json(200, { regions: Array.from({ length: 12 }, (_, i) => ({ index: i })) }),
      "/request": (request, response) => json(200, { method: request.method, agent: request.headers["user-agent"] })(request, response),
    });
  });
  after(() => server.close());

  const check = (fields: Partial<HttpCheck> = {}): HttpCheck => ({ type: "http", name: "storefront-health", url: server.url("/health"), timeoutMs: 1000, ...fields });
  const run = (fields: Partial<HttpCheck> = {}, url = server.url("/health"), signal = new AbortController().signal) =>
    runHttpCheck(check(fields), url, signal);

  it("passes on a 2xx within its budget whose body and JSON path match, saying what it saw", async () => {
    const passed = await run({ latencyBudgetMs: 1000, bodyContains: '"ok"', jsonPath: "$.checks.caches[0].state", equals: "warm" });
    expect(passed.outcome).to.equal("passed");
    expect(passed).to.have.property("detail").that.matches(/^HTTP 200 from http:\/\/127\.0\.0\.1:\d+\/health after \d+ ms$/);
  });

  it("fails on a 500, naming the status, the URL and the time taken", async () => {
    const result = await run({}, server.url("/broken"));
    expect(result).to.include({ outcome: "failed" });
    expect(result).to.have.property("detail").that.matches(/^HTTP 500 from http:\/\/127\.0\.0\.1:\d+\/broken after \d+ ms, expected 2xx$/);
  });

  it("fails on a status other than the expected one, even a 2xx", async () => {
    expect(await run({ expectStatus: 201 }, server.url("/created"))).to.include({ outcome: "passed" });
    const result = await run({ expectStatus: 204 }, server.url("/created"));
    expect(result).to.have.property("detail").that.includes("HTTP 201").and.includes("expected 204");
  });

  it("counts any 2xx as healthy by default, and a 300 as not", async () => {
    expect(await run({}, server.url("/no-content"))).to.include({ outcome: "passed" });
    expect(await run({}, server.url("/created"))).to.include({ outcome: "passed" });
    const result = await run({}, server.url("/multiple-choices"));
    expect(result).to.have.property("detail").that.matches(/^HTTP 300 from .* after \d+ ms, expected 2xx$/);
  });

  it("requests with the check's method, as dcp-verify, so the service can tell synthetic traffic apart", async () => {
    expect(await run({ jsonPath: "$.agent", equals: "dcp-verify" }, server.url("/request"))).to.include({ outcome: "passed" });
    expect(await run({ jsonPath: "$.method", equals: "GET" }, server.url("/request"))).to.include({ outcome: "passed" });
    expect(await run({ method: "POST", jsonPath: "$.method", equals: "POST" }, server.url("/request"))).to.include({ outcome: "passed" });
  });

  it("fails a response slower than its latency budget", async () => {
    const result = await run({ latencyBudgetMs: 50 }, server.url("/slow"));
    expect(result).to.include({ outcome: "failed" });
    expect(result).to.have.property("detail").that.matches(/^HTTP 200 from .*\/slow after \d+ ms, over the 50 ms latency budget$/);
  });

  it("fails when the body lacks the expected text", async () => {
    const result = await run({ bodyContains: '"status":"ok"' }, server.url("/degraded"));
    expect(result).to.have.property("detail").that.includes('body does not contain "\\"status\\":\\"ok\\""');
  });

  it("fails when the JSON path holds another value, is missing, or the body is not JSON", async () => {
    const other = await run({ jsonPath: "$.checks.database", equals: "up" }, server.url("/degraded"));
    expect(other).to.have.property("detail").that.includes('$.checks.database is "down", expected "up"');
    const missing = await run({ jsonPath: "$.checks.queue", equals: "up" }, server.url("/degraded"));
    expect(missing).to.have.property("detail").that.includes("$.checks.queue is missing from the body");
    const text = await run({ jsonPath: "status", equals: "ok" }, server.url("/text"));
    expect(text).to.have.property("detail").that.includes("body is not JSON");
  });

  it("follows array indexes and keys with or without the leading $, and compares whole values", async () => {
    const nested = server.url("/nested");
    expect(await run({ jsonPath: "items[1].status", equals: "up" }, nested)).to.include({ outcome: "passed" });
    expect(await run({ jsonPath: "$.items[0]", equals: { status: "down" } }, nested)).to.include({ outcome: "passed" });
    expect(await run({ jsonPath: "$.version", equals: "1.4.2" }, nested)).to.include({ outcome: "passed" });
    const other = await run({ jsonPath: "$.items[0].status", equals: "up" }, nested);
    expect(other).to.have.property("detail").that.matches(/, \$\.items\[0\]\.status is "down", expected "up"$/);
  });

  it("reads an array index of more than one digit", async () => {
    expect(await run({ jsonPath: "$.regions[11].index", equals: 11 }, server.url("/regions"))).to.include({ outcome: "passed" });
  });

  it("calls a path missing when it runs past the end of an array, into null, or into a plain value", async () => {
    const nested = server.url("/nested");
    for (const jsonPath of ["$.items[2].status", "$.items[1].checks.database", "$.version.major", "$.items.status"]) {
      const result = await run({ jsonPath, equals: "up" }, nested);
      expect(result, jsonPath).to.have.property("detail").that.includes(`, ${jsonPath} is missing from the body`);
    }
  });

  it("gives up on a server that never answers after its timeout", async () => {
    const started = Date.now();
    const result = await run({ timeoutMs: 80 }, server.url("/hang"));
    expect(Date.now() - started).to.be.below(1000);
    expect(result).to.include({ outcome: "failed" });
    expect(result).to.have.property("detail").that.matches(/^no response from http:\/\/127\.0\.0\.1:\d+\/hang within 80 ms$/);
  });

  it("fails when the connection is refused, saying so", async () => {
    const port = await closedPort();
    const result = await run({}, `http://127.0.0.1:${port}/health`);
    expect(result).to.include({ outcome: "failed" });
    expect(result).to.have.property("detail").that.matches(new RegExp(`^http://127\\.0\\.0\\.1:${port}/health failed after \\d+ ms: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`));
  });

  it("fails a URL fetch will not request, with fetch's own reason", async () => {
    const url = server.url("/health").replace("://", "://probe:probe@");
    const result = await run({}, url);
    expect(result).to.include({ outcome: "failed" });
    expect(result).to.have.property("detail").that.matches(/^http:\/\/probe:probe@127\.0\.0\.1:\d+\/health failed after \d+ ms: Request cannot be constructed from a URL that includes credentials/);
  });

  it("names the method when it is not GET", async () => {
    const result = await run({ method: "POST" }, server.url("/broken"));
    expect(result).to.have.property("detail").that.includes("HTTP 500 from POST http://");
  });

  it("reports no finding when the bake stops it mid-request", async () => {
    const stopping = new AbortController();
    const running = run({ timeoutMs: 5000 }, server.url("/hang"), stopping.signal);
    setTimeout(() => stopping.abort(), 30);
    expect(await running).to.deep.equal({ outcome: "aborted" });
  });
});
