import type { AwsSession } from "./session";
import type { Props, Value } from "./values";

/** How the bridged terraform schema treats one input property. */
export interface Field {
  /** `ForceNew` / `RequiresReplace`: a change replaces the resource. */
  forceNew?: boolean;
  /** Optional+Computed: left out of the inputs, the state's value stands (no diff). */
  computed?: boolean;
  /** A `DiffSuppressFunc` for equivalent JSON documents (policies, validator schemas). */
  json?: boolean;
  /** A TF set: order does not matter. */
  set?: boolean;
  /** What Check fills in when the program leaves it out (listed in `__defaults`). */
  default?: Value;
}

export interface Created {
  id: string;
  outputs: Props;
}

/** One pulumi-aws resource type, emulated over the local AWS. Inputs reach it revealed (no secret wrappers). */
export interface ResourceType {
  token: string;
  fields: Record<string, Field>;
  /** pulumi-aws auto-names every input called `name` (SetAutonaming(255, "-")). */
  autonamed: boolean;
  /** Has `tags` and the computed `tagsAll` (default tags merged in). */
  taggable: boolean;
  /** Outputs only the API knows: unknown in a preview of a create. */
  computed: string[];
  create(session: AwsSession, inputs: Props): Promise<Created>;
  /** undefined when the resource is gone (the engine then drops it from the state on refresh). */
  read(session: AwsSession, id: string, state: Props): Promise<Props | undefined>;
  update(session: AwsSession, id: string, olds: Props, news: Props): Promise<Props>;
  delete(session: AwsSession, id: string, state: Props): Promise<void>;
}

/** The `tagsAll` the real provider computes: default tags, overridden by the resource's own. */
export function tagsAll(session: Pick<AwsSession, "defaultTags">, tags: Value | undefined): Record<string, string> {
  const own = typeof tags === "object" && tags !== null && !Array.isArray(tags) ? (tags as Record<string, string>) : {};
  return { ...session.defaultTags, ...own };
}

/**
 * On read, terraform-provider-aws sets `tags` to the resource's tags minus the default tags
 * that still carry the default value, and `tagsAll` to all of them.
 */
export function splitTags(session: Pick<AwsSession, "defaultTags">, all: Record<string, string>): Props {
  const own = Object.fromEntries(Object.entries(all).filter(([key, value]) => session.defaultTags[key] !== value));
  return { tags: own, tagsAll: all };
}

/** The keys to tag (new or changed values) and to untag, to go from one tag set to another. */
export function tagChanges(
  before: Record<string, string>,
  after: Record<string, string>,
): { tag: Record<string, string>; untag: string[] } {
  const tag = Object.fromEntries(Object.entries(after).filter(([key, value]) => before[key] !== value));
  const untag = Object.keys(before).filter((key) => !(key in after));
  return { tag, untag };
}

export function notFound(error: unknown): boolean {
  const name = (error as { name?: string; Code?: string }).name ?? "";
  return ["ResourceNotFoundException", "NoSuchEntity", "NoSuchEntityException", "NotFound", "NotFoundException"].includes(name);
}

/**
 * The tags IAM sees on the resource an operation's calls name (`aws:ResourceTag/…`): the
 * resource's own when it has tags (its state's `tagsAll`, or what it is being created with);
 * otherwise its parent's (a hosted version's profile, a role policy's role), which carries the
 * provider's default tags as every resource of the program does (infra/tags.ts).
 */
export function operationTags(type: ResourceType, session: Pick<AwsSession, "defaultTags">, props: Props): Record<string, string> {
  if (!type.taggable) return session.defaultTags;
  const all = props.tagsAll;
  return typeof all === "object" && all !== null && !Array.isArray(all) ? (all as Record<string, string>) : tagsAll(session, props.tags);
}
