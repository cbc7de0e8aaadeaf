import {
  GroupPolicy,
  GroupPolicyAttachment,
  GroupPolicyAttachmentsExclusive,
  Policy,
  PolicyAttachment,
  Role,
  RolePolicy,
  RolePolicyAttachment,
  RolePolicyAttachmentsExclusive,
  UserPolicy,
  UserPolicyAttachment,
  UserPolicyAttachmentsExclusive,
} from "@pulumi/aws/iam";
import type { CustomResourceOptions, Resource, Unwrap } from "@pulumi/pulumi";
import { validateResourceOfType, type PolicyConfigSchema, type ResourceValidationPolicy, type ReportViolation } from "@pulumi/policy";
import { configOf } from "./config";
import { broadArnReason, isWildcardAction, list, pinnedSourceAccount, principalsOf, statementsOf } from "./iam-documents";
import { knownOrUndefined } from "./unknowns";

/** IAM: the roles and policies dcp creates grant exactly what AppConfig needs. */

const wildcardSchema: PolicyConfigSchema = {
  properties: {
    allowedWildcardActions: {
      type: "array",
      items: { type: "string" },
      // Stryker disable next-line ArrayDeclaration: a default naming an action no policy grants allows nothing more than the empty default
      default: [],
      description: 'Actions allowed on Resource "*" (for APIs without resource-level permissions)',
    },
    allowedManagedPolicyArns: {
      type: "array",
      items: { type: "string" },
      // Stryker disable next-line ArrayDeclaration: a default naming a policy ARN no attachment has allows nothing more than the empty default
      default: [],
      description: "Managed policies roles may have attached; by default none, since this pack cannot read what they grant",
    },
  },
};

interface WildcardConfig {
  allowedWildcardActions: string[];
  allowedManagedPolicyArns: string[];
}

function checkDocument(where: string, document: unknown, allowed: string[], reportViolation: ReportViolation): void {
  const statements = statementsOf(document);
  if (statements === undefined) {
    reportViolation(`${where} is not a readable JSON policy document.`);
    return;
  }
  statements.forEach((statement, i) => {
    if (statement.Effect !== "Allow") return;
    const at = `${where} statement ${i + 1}`;
    if (statement.NotAction !== undefined) reportViolation(`${at} allows NotAction: every action except a few; list the actions instead.`);
    if (statement.NotResource !== undefined) reportViolation(`${at} allows NotResource: every resource except a few; list the resources instead.`);
    if (statement.NotPrincipal !== undefined) reportViolation(`${at} allows NotPrincipal: every principal except a few; name the principals instead.`);
    const actions = list(statement.Action);
    for (const action of actions.filter(isWildcardAction)) {
      reportViolation(`${at} allows action "${action}", a wildcard; name the actions dcp needs (e.g. cloudwatch:DescribeAlarms).`);
    }
    const resources = list(statement.Resource);
    if (resources.includes("*") && !actions.every((action) => allowed.includes(action))) {
      reportViolation(`${at} allows Resource "*"; name the resources (e.g. the stage's alarm ARNs).`);
    }
    for (const resource of resources) {
      const reason = broadArnReason(resource);
      if (reason !== undefined) reportViolation(`${at} allows Resource "${resource}", which ${reason}; name the resources.`);
    }
  });
}

/** Reports each attached managed policy that config does not allow. */
function checkAttachments(where: string, arns: readonly string[] | undefined, allowed: string[], reportViolation: ReportViolation): void {
  for (const arn of arns ?? []) {
    if (allowed.includes(arn)) continue;
    reportViolation(`${where} has the managed policy ${arn} attached; what it grants is not checked here, so use an inline policy naming the actions and resources.`);
  }
}

type ResourceClass<TArgs> = new (name: string, args: TArgs, opts?: CustomResourceOptions) => Resource;

/** The document-holding resources: identity policies standalone or inline on a role, user or group. */
function documentCheck<TArgs extends { policy: unknown }>(type: ResourceClass<TArgs>) {
  return validateResourceOfType(type, (resource, args, reportViolation) => {
    const { allowedWildcardActions } = configOf<WildcardConfig>(wildcardSchema, args);
    const document = knownOrUndefined(() => resource.policy);
    if (document !== undefined) checkDocument("policy", document, allowedWildcardActions, reportViolation);
  });
}

/** A resource that attaches managed policies, and how to read their ARNs from its inputs. */
function attachmentCheck<TArgs>(type: ResourceClass<TArgs>, arnsOf: (args: Unwrap<NonNullable<TArgs>>) => string[]) {
  return validateResourceOfType(type, (resource, args, reportViolation) => {
    const { allowedManagedPolicyArns } = configOf<WildcardConfig>(wildcardSchema, args);
    checkAttachments("the attachment", knownOrUndefined(() => arnsOf(resource)), allowedManagedPolicyArns, reportViolation);
  });
}

export const iamNoWildcards: ResourceValidationPolicy = {
  name: "iam-no-wildcards",
  description:
    'IAM policies dcp creates name their actions and resources: no wildcard in an action ("*", "iam:Put*"), no Resource "*" or ARN matching any account or every resource of a type, no NotAction, NotResource or NotPrincipal, no managed policies.',
  enforcementLevel: "mandatory",
  configSchema: wildcardSchema,
  validateResource: [
    documentCheck(RolePolicy),
    documentCheck(Policy),
    documentCheck(UserPolicy),
    documentCheck(GroupPolicy),
    validateResourceOfType(Role, (role, args, reportViolation) => {
      const { allowedWildcardActions, allowedManagedPolicyArns } = configOf<WildcardConfig>(wildcardSchema, args);
      for (const inline of role.inlinePolicies ?? []) {
        const document = knownOrUndefined(() => inline.policy);
        if (document !== undefined) checkDocument(`inline policy ${inline.name ?? ""}`.trim(), document, allowedWildcardActions, reportViolation);
      }
      checkAttachments("role", knownOrUndefined(() => role.managedPolicyArns), allowedManagedPolicyArns, reportViolation);
    }),
    attachmentCheck(RolePolicyAttachment, (attachment) => [attachment.policyArn]),
    attachmentCheck(PolicyAttachment, (attachment) => [attachment.policyArn]),
    attachmentCheck(UserPolicyAttachment, (attachment) => [attachment.policyArn]),
    attachmentCheck(GroupPolicyAttachment, (attachment) => [attachment.policyArn]),
    attachmentCheck(RolePolicyAttachmentsExclusive, (attachment) => attachment.policyArns),
    attachmentCheck(UserPolicyAttachmentsExclusive, (attachment) => attachment.policyArns),
    attachmentCheck(GroupPolicyAttachmentsExclusive, (attachment) => attachment.policyArns),
  ],
};

const trustSchema: PolicyConfigSchema = {
  properties: {
    allowedServicePrincipals: {
      type: "array",
      items: { type: "string" },
      default: ["appconfig.amazonaws.com"],
      description: "Services that roles dcp creates may trust",
    },
  },
};

export const iamRoleTrustsOnlyServices: ResourceValidationPolicy = {
  name: "iam-role-trusts-only-services",
  description:
    "Roles dcp creates can be assumed only by the AWS services that need them (AppConfig), on behalf of one account (aws:SourceAccount), never by any principal or account.",
  enforcementLevel: "mandatory",
  configSchema: trustSchema,
  validateResource: validateResourceOfType(Role, (role, args, reportViolation) => {
    const { allowedServicePrincipals } = configOf<{ allowedServicePrincipals: string[] }>(trustSchema, args);
    const statements = statementsOf(role.assumeRolePolicy);
    if (statements === undefined) {
      reportViolation("the trust policy is not a readable JSON policy document.");
      return;
    }
    for (const statement of statements.filter((s) => s.Effect === "Allow")) {
      if (statement.NotPrincipal !== undefined) {
        reportViolation("the trust policy allows NotPrincipal: every principal except a few may assume the role; name the service instead.");
      }
      if (statement.NotAction !== undefined) reportViolation("the trust policy allows NotAction; allow sts:AssumeRole only.");
      let trustsService = false;
      for (const { kind, value } of principalsOf(statement.Principal)) {
        if (kind === "Service" && allowedServicePrincipals.includes(value)) {
          trustsService = true;
          continue;
        }
        reportViolation(`the role trusts ${kind === "*" ? "any principal" : `${kind} ${value}`}; only ${allowedServicePrincipals.join(", ")} may assume it.`);
      }
      // Without it, the service would assume the role on behalf of any account that names it (the confused deputy).
      if (trustsService && pinnedSourceAccount(statement.Condition) === undefined) {
        reportViolation('the role trusts a service without a StringEquals "aws:SourceAccount" condition naming one account; any account could have that service act with this role.');
      }
    }
  }),
};
