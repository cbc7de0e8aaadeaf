import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesForRoleCommand,
  ListRolePoliciesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from "@aws-sdk/client-iam";
import { ignoringNotFound, readOrGone } from "./appconfig";
import { splitTags, tagChanges, tagsAll, type ResourceType } from "./resource";
import type { AwsSession } from "./session";
import { asNumber, asString } from "./values";

/** IAM returns policy documents URL-encoded; the provider keeps them decoded in state. */
function decodePolicy(document: string | undefined): string {
  return document === undefined ? "" : decodeURIComponent(document);
}

/** The TF role read also reads its inline and attached policies (`inline_policy`, `managed_policy_arns`). */
async function rolePolicies(session: AwsSession, roleName: string) {
  const names = (await session.iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? [];
  const inlinePolicies = [];
  for (const name of names) {
    const got = await session.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
    inlinePolicies.push({ name, policy: decodePolicy(got.PolicyDocument) });
  }
  const attached = await session.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
  return { inlinePolicies, managedPolicyArns: (attached.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? "") };
}

export const role: ResourceType = {
  token: "aws:iam/role:Role",
  fields: {
    name: { forceNew: true },
    path: { forceNew: true, default: "/" },
    assumeRolePolicy: { json: true },
    description: {},
    maxSessionDuration: { default: 3600 },
    forceDetachPolicies: { default: false },
    permissionsBoundary: {},
    inlinePolicies: { computed: true, set: true, json: true },
    managedPolicyArns: { computed: true, set: true },
  },
  autonamed: true,
  taggable: true,
  computed: ["arn", "createDate", "uniqueId", "id"],
  async create(session, inputs) {
    const all = tagsAll(session, inputs.tags);
    const created = await session.iam.send(
      new CreateRoleCommand({
        RoleName: asString(inputs.name),
        Path: asString(inputs.path),
        AssumeRolePolicyDocument: asString(inputs.assumeRolePolicy),
        Description: asString(inputs.description) || undefined,
        MaxSessionDuration: asNumber(inputs.maxSessionDuration),
        PermissionsBoundary: asString(inputs.permissionsBoundary) || undefined,
        Tags: Object.entries(all).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    const id = created.Role?.RoleName ?? "";
    return { id, outputs: (await this.read(session, id, inputs)) ?? {} };
  },
  async read(session, id, state) {
    const got = await readOrGone(() => session.iam.send(new GetRoleCommand({ RoleName: id })));
    if (got?.Role === undefined) return undefined;
    const r = got.Role;
    const tags = Object.fromEntries((r.Tags ?? []).map((tag) => [tag.Key ?? "", tag.Value ?? ""]));
    return {
      arn: r.Arn ?? "",
      name: r.RoleName ?? id,
      namePrefix: "",
      path: r.Path ?? "/",
      assumeRolePolicy: decodePolicy(r.AssumeRolePolicyDocument),
      description: r.Description ?? "",
      maxSessionDuration: r.MaxSessionDuration ?? 3600,
      forceDetachPolicies: state.forceDetachPolicies ?? false,
      permissionsBoundary: r.PermissionsBoundary?.PermissionsBoundaryArn ?? "",
      createDate: r.CreateDate?.toISOString() ?? "",
      uniqueId: r.RoleId ?? "",
      ...(await rolePolicies(session, id)),
      ...splitTags(session, tags),
    };
  },
  async update(session, id, olds, news) {
    if (olds.assumeRolePolicy !== news.assumeRolePolicy) {
      await session.iam.send(
        new UpdateAssumeRolePolicyCommand({ RoleName: id, PolicyDocument: asString(news.assumeRolePolicy) }),
      );
    }
    if ((olds.description ?? "") !== (news.description ?? "") || olds.maxSessionDuration !== news.maxSessionDuration) {
      await session.iam.send(
        new UpdateRoleCommand({
          RoleName: id,
          Description: asString(news.description) ?? "",
          MaxSessionDuration: asNumber(news.maxSessionDuration),
        }),
      );
    }
    const boundary = asString(news.permissionsBoundary) ?? "";
    if ((asString(olds.permissionsBoundary) ?? "") !== boundary) {
      // TF resourceRoleUpdate: a changed boundary is put, a removed one deleted.
      if (boundary === "") await session.iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: id }));
      else await session.iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: id, PermissionsBoundary: boundary }));
    }
    const { tag, untag } = tagChanges((olds.tagsAll ?? {}) as Record<string, string>, tagsAll(session, news.tags));
    if (untag.length > 0) await session.iam.send(new UntagRoleCommand({ RoleName: id, TagKeys: untag }));
    if (Object.keys(tag).length > 0) {
      const tags = Object.entries(tag).map(([Key, Value]) => ({ Key, Value }));
      await session.iam.send(new TagRoleCommand({ RoleName: id, Tags: tags }));
    }
    return (await this.read(session, id, news)) ?? {};
  },
  async delete(session, id) {
    // The TF resource always takes the role out of its instance profiles first; dcp's roles are in none.
    await session.iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: id }));
    await ignoringNotFound(() => session.iam.send(new DeleteRoleCommand({ RoleName: id })));
  },
};

/** `role:name` (terraform-provider-aws RolePolicyParseID). */
function rolePolicyKey(id: string) {
  const at = id.indexOf(":");
  return { roleName: id.slice(0, at), policyName: id.slice(at + 1) };
}

export const rolePolicy: ResourceType = {
  token: "aws:iam/rolePolicy:RolePolicy",
  fields: { role: { forceNew: true }, name: { forceNew: true }, policy: { json: true } },
  autonamed: true,
  taggable: false,
  computed: ["id"],
  async create(session, inputs) {
    const roleName = asString(inputs.role) ?? "";
    const policyName = asString(inputs.name) ?? "";
    await session.iam.send(
      new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: asString(inputs.policy) }),
    );
    const id = `${roleName}:${policyName}`;
    return { id, outputs: (await this.read(session, id, inputs)) ?? {} };
  },
  async read(session, id) {
    const { roleName, policyName } = rolePolicyKey(id);
    const got = await readOrGone(() =>
      session.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })),
    );
    if (got === undefined) return undefined;
    return { role: roleName, name: policyName, namePrefix: "", policy: decodePolicy(got.PolicyDocument) };
  },
  async update(session, id, _olds, news) {
    const { roleName, policyName } = rolePolicyKey(id);
    await session.iam.send(
      new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: asString(news.policy) }),
    );
    return (await this.read(session, id, news)) ?? {};
  },
  async delete(session, id) {
    const { roleName, policyName } = rolePolicyKey(id);
    await ignoringNotFound(() =>
      session.iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })),
    );
  },
};
