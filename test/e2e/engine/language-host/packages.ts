// What the real pulumi-language-nodejs (v3.248.0, sdk/nodejs/cmd/pulumi-language-nodejs/main.go
// and sdk/nodejs/npm/manager.go) reports about a program's packages: the resource plugins its
// node_modules ask for (GetRequiredPackages) and its npm dependencies (GetProgramDependencies).
import * as fs from "node:fs";
import * as path from "node:path";

export interface PluginPackage {
  name: string;
  version: string;
  server: string;
  parameterization?: { name: string; version: string; value: string };
}

interface PackageJson {
  name?: string;
  version?: string;
  pulumi?: {
    resource?: boolean;
    name?: string;
    version?: string;
    server?: string;
    parameterization?: { name?: string; version?: string; value?: string };
  };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const policyPackFiles = ["PulumiPolicy.json", "PulumiPolicy.yml", "PulumiPolicy.yaml"];

/**
 * Walks `dir` deeply, like the real host's getPackagesFromDir: every package.json inside a
 * node_modules tree whose `pulumi.resource` is true names a resource plugin. Symlinks are
 * followed (each real directory once) and nested policy packs are skipped, their plugins are
 * not the program's. Errors are collected, not thrown, so one bad package.json does not hide
 * the others; `sdkVersions` collects every @pulumi/pulumi found, by path.
 */
export function findPluginPackages(
  dir: string,
  errors: string[],
  sdkVersions: Map<string, string>,
  inNodeModules = false,
  visited = new Set<string>(),
): PluginPackage[] {
  const abs = path.resolve(dir);
  if (visited.has(abs)) return [];
  visited.add(abs);
  let entries: fs.Dirent[];
  try {
    // Sorted like Go's os.ReadDir, so the order of the plugins reported is stable.
    entries = fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch (err) {
    errors.push(`reading plugin dir ${abs}: ${String(err)}`);
    return [];
  }
  const found: PluginPackage[] = [];
  for (const entry of entries) {
    let curr = path.join(abs, entry.name);
    let isDir = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      try {
        curr = fs.realpathSync(curr);
        isDir = fs.statSync(curr).isDirectory();
      } catch (err) {
        errors.push(`resolving link in plugin dir ${curr}: ${String(err)}`);
        continue;
      }
    }
    if (isDir) {
      if (policyPackFiles.some((file) => fs.existsSync(path.join(curr, file)))) continue;
      const childInNodeModules = inNodeModules || path.basename(abs) === "node_modules";
      found.push(...findPluginPackages(curr, errors, sdkVersions, childInNodeModules, visited));
    } else if (inNodeModules && entry.name === "package.json") {
      const plugin = pluginOf(curr, errors, sdkVersions);
      if (plugin) found.push(plugin);
    }
  }
  return found;
}

function pluginOf(file: string, errors: string[], sdkVersions: Map<string, string>): PluginPackage | undefined {
  let info: PackageJson;
  try {
    info = JSON.parse(fs.readFileSync(file, "utf8")) as PackageJson;
  } catch (err) {
    errors.push(`unmarshaling package.json ${file}: ${String(err)}`);
    return undefined;
  }
  if (info.name === "@pulumi/pulumi" && info.version) sdkVersions.set(file, info.version);
  if (!info.pulumi?.resource) return undefined;

  // The plugin is named in the "pulumi" section, or derived from an @pulumi/ package name;
  // a third-party package must name it.
  let name = info.pulumi.name;
  if (!name) {
    if (!info.name) {
      errors.push(`unmarshaling package.json ${file}: missing expected "name" property`);
      return undefined;
    }
    if (!info.name.startsWith("@pulumi/")) {
      errors.push(`unmarshaling package.json ${file}: Missing property "name" for the third-party plugin '${info.name}' inside package.json under the "pulumi" section.`);
      return undefined;
    }
    name = info.name.slice("@pulumi/".length);
  }
  const version = info.pulumi.version || info.version;
  if (!version) {
    errors.push(`unmarshaling package.json ${file}: Missing expected "version" property`);
    return undefined;
  }
  const param = info.pulumi.parameterization;
  return {
    name,
    version: version.startsWith("v") ? version : `v${version}`,
    server: info.pulumi.server ?? "",
    ...(param ? { parameterization: { name: param.name ?? "", version: param.version ?? "", value: param.value ?? "" } } : {}),
  };
}

/**
 * The message the real host prints on stderr when two copies of @pulumi/pulumi are
 * incompatible (for versions past 2.x: differing majors), or undefined.
 */
export function incompatibleSdkMessage(sdkVersions: Map<string, string>): string | undefined {
  const [first, ...rest] = [...sdkVersions];
  if (!first) return undefined;
  const major = (v: string) => Number(v.split(".")[0]);
  const other = rest.find(([, version]) => {
    const [a, b] = [major(version), major(first[1])];
    return (a > 2 || b > 2) && a !== b;
  });
  if (!other) return undefined;
  return `Found incompatible versions of @pulumi/pulumi. Differing major versions are not supported.
  Version ${first[1]} referenced at ${first[0]}
  Version ${other[1]} referenced at ${other[0]}
`;
}

/**
 * The program's npm dependencies as its package-lock.json (searched upwards) records them;
 * only those its package.json names directly unless `transitive`.
 */
export function programDependencies(programDir: string, transitive: boolean): { name: string; version: string }[] {
  let dir = path.resolve(programDir);
  while (!fs.existsSync(path.join(dir, "package-lock.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package-lock.json found (searching upwards from ${programDir})`);
    dir = parent;
  }
  const lock = JSON.parse(fs.readFileSync(path.join(dir, "package-lock.json"), "utf8")) as {
    packages?: Record<string, { version?: string; link?: boolean }>;
  };
  const deps: { name: string; version: string }[] = [];
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    const at = key.lastIndexOf("node_modules/");
    if (at < 0 || !entry.version) continue;
    deps.push({ name: key.slice(at + "node_modules/".length), version: entry.version });
  }
  if (transitive) return deps;
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as PackageJson;
  const direct = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]);
  return deps.filter((dep) => direct.has(dep.name));
}
