import Module from "node:module";

/**
 * @pulumi/pulumi's runtime loads heavy modules as soon as it is required, for
 * serialising function closures — something neither the infra program nor `dcp validate`
 * does: @npmcli/arborist (~0.4 s) and normalize-package-data (~0.05 s, with the
 * hosted-git-info and SPDX tables it loads) from runtime/closure/codePaths.js, and, through
 * its typescript-shim, the TypeScript compiler (~0.3 s; a development dependency, or the
 * SDK's vendored copy once pruned).
 * Until the SDK loads them lazily itself, hand it stand-ins that load the real module on
 * first use: behaviour is unchanged, only the cost moves to where it is paid.
 */
type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };
const load = loader._load;

type Resolve = (request: string, parent: unknown, isMain: boolean) => string;
const resolver = Module as unknown as { _resolveFilename: Resolve };

function sdkWants(request: string, parent: unknown): boolean {
  if (request === "@npmcli/arborist") return true;
  const from = (parent as { filename?: string } | undefined)?.filename ?? "";
  if (request === "normalize-package-data") return /[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]closure[\\/]codePaths\.js$/.test(from);
  return request === "typescript" && /[\\/]@pulumi[\\/]pulumi[\\/]typescript-shim\.js$/.test(from);
}

/**
 * Only a module that is there is deferred: one that is not must fail at require, as it
 * would without the stand-in, since the SDK catches that — its typescript-shim falls
 * back to its vendored TypeScript when typescript (a development dependency) was pruned.
 */
function deferred(request: string, parent: unknown): boolean {
  if (!sdkWants(request, parent)) return false;
  try {
    resolver._resolveFilename(request, parent, false);
    return true;
  } catch {
    return false;
  }
}

loader._load = function (request, parent, isMain) {
  if (!deferred(request, parent)) return load.call(this, request, parent, isMain);
  let real: Record<string | symbol, unknown> | undefined;
  const actual = () => (real ??= load.call(this, request, parent, isMain) as Record<string | symbol, unknown>);
  // `__esModule` keeps TypeScript's import helpers from copying (and so loading) every export up
  // front; then a default import reads `default`, which a CommonJS module exporting a single
  // function (normalize-package-data) does not have: it is that module itself.
  return new Proxy({}, {
    get: (_, key) => {
      if (key === "__esModule") return true;
      const module = actual();
      return key === "default" && !("default" in module) ? module : module[key];
    },
  });
};
