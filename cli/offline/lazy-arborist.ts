import Module from "node:module";

/**
 * @pulumi/pulumi's runtime requires @npmcli/arborist at load time, for serialising
 * function closures — something neither the infra program nor `dcp validate` does —
 * and loading it is a third of validate's start-up (~0.4 s of ~2.2 s measured).
 * Until the SDK loads it lazily itself, hand the SDK a stand-in that loads the real
 * module on first use: behaviour is unchanged, only the cost moves to where it is paid.
 */
type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };
const load = loader._load;

loader._load = function (request, parent, isMain) {
  if (request !== "@npmcli/arborist") return load.call(this, request, parent, isMain);
  let real: Record<string | symbol, unknown> | undefined;
  const actual = () => (real ??= load.call(this, request, parent, isMain) as Record<string | symbol, unknown>);
  // `__esModule` keeps TypeScript's import helpers from copying (and so loading) every export up front.
  return new Proxy({}, { get: (_, key) => (key === "__esModule" ? true : actual()[key]) });
};
