/**
 * Where a stack may send its AWS calls instead of AWS's own endpoints. The calls carry
 * the deploy role's credentials and every configuration value: a remote endpoint would
 * receive both, and plain http would show them to the network. A production stage
 * deploys to AWS itself and may point only at an emulator on the same machine (a
 * rehearsal); other stages may use https anywhere, or http to the machine itself.
 */

/** localhost, 127.0.0.0/8 and ::1, as the URL parser normalises them (`127.1` is 127.0.0.1). */
function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Why `endpoint` is not safe for a stage (production or not); undefined when it is. */
export function endpointProblem(endpoint: string, production: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `endpoint "${endpoint}" is not a URL; expected e.g. http://localhost:4566`;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return `endpoint "${endpoint}" is not an http(s) URL`;
  if (url.username !== "" || url.password !== "") return "endpoint has a user or password in it; AWS calls are signed with the stage's role, never with credentials in the URL";
  const loopback = isLoopback(url.hostname);
  if (production && !loopback) {
    return `endpoint ${url.host} in a production stage: only a loopback address (localhost, 127.0.0.1, [::1]) is allowed, for a local emulator; production deploys to AWS's own endpoints`;
  }
  if (url.protocol === "http:" && !loopback) {
    return `endpoint http://${url.host} would send the deploy role's credentials and every configuration value in clear text; use https, or http only to a loopback address`;
  }
  return undefined;
}
