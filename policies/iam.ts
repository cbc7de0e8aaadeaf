import { Role, RolePolicy } from "@pulumi/aws/iam";
import { validateResourceOfType, type PolicyConfigSchema, type ResourceValidationPolicy, type ReportViolation } from "@pulumi/policy";
import { configOf } from "./config";
import { isRecord } from "./content";
import { knownOrUndefined } from "./unknowns";

/** IAM: the roles and policies dcp creates grant exactly what AppConfig needs. */

interface Statement {
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
}

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The statements of a policy document given as JSON text or as an object; undefined when it cannot be read. */
export function statementsOf(document: unknown): Statement[] | undefined {
  let parsed = document;
  if (typeof document === "string") {
    try {
      parsed = JSON.parse(document);
    } catch {
      return undefined;
    }
  }
  if (!isRecord(parsed)) return undefined;
  const statements = parsed.Statement;
  return (Array.isArray(statements) ? statements : [statements]).filter(isRecord) as Statement[];
}

const ADMIN_POLICIES = /:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;

const wildcardSchema: PolicyConfigSchema = {
  properties: {
    allowedWildcardActions: {
      type: "array",
      items: { type: "string" },
      default: [],
      description: 'Actions allowed on Resource "*" (for APIs without resource-level permissions)',
    },
  },
};

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
    const actions = list(statement.Action);
    for (const action of actions.filter((a) => a === "*" || a.endsWith(":*"))) {
      reportViolation(`${at} allows action "${action}"; name the actions dcp needs (e.g. cloudwatch:DescribeAlarms).`);
    }
    if (list(statement.Resource).includes("*") && !actions.every((action) => allowed.includes(action))) {
      reportViolation(`${at} allows Resource "*"; name the resources (e.g. the stage's alarm ARNs).`);
    }
  });
}

export const iamNoWildcards: ResourceValidationPolicy = {
  name: "iam-no-wildcards",
  description: 'IAM policies dcp creates name their actions and resources: no "*" or "service:*" actions, no Resource "*", no NotAction, no admin policies.',
  enforcementLevel: "mandatory",
  configSchema: wildcardSchema,
  validateResource: [
    validateResourceOfType(RolePolicy, (policy, args, reportViolation) => {
      const { allowedWildcardActions } = configOf<{ allowedWildcardActions: string[] }>(wildcardSchema, args);
      const document = knownOrUndefined(() => policy.policy);
      if (document !== undefined) checkDocument("policy", document, allowedWildcardActions, reportViolation);
    }),
    validateResourceOfType(Role, (role, args, reportViolation) => {
      const { allowedWildcardActions } = configOf<{ allowedWildcardActions: string[] }>(wildcardSchema, args);
      for (const inline of role.inlinePolicies ?? []) {
        const document = knownOrUndefined(() => inline.policy);
        if (document !== undefined) checkDocument(`inline policy ${inline.name ?? ""}`.trim(), document, allowedWildcardActions, reportViolation);
      }
      for (const arn of role.managedPolicyArns ?? []) {
        if (ADMIN_POLICIES.test(arn)) reportViolation(`role has the managed policy ${arn}, which grants far more than dcp needs.`);
      }
    }),
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

function principalsOf(principal: unknown): { kind: string; value: string }[] {
  if (principal === "*") return [{ kind: "*", value: "*" }];
  if (!isRecord(principal)) return [];
  return Object.entries(principal).flatMap(([kind, values]) =>
    (Array.isArray(values) ? values : [values]).map((value) => ({ kind, value: String(value) })),
  );
}

export const iamRoleTrustsOnlyServices: ResourceValidationPolicy = {
  name: "iam-role-trusts-only-services",
  description: "Roles dcp creates can be assumed only by the AWS services that need them (AppConfig), never by any principal or account.",
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
      for (const { kind, value } of principalsOf(statement.Principal)) {
        if (kind === "Service" && allowedServicePrincipals.includes(value)) continue;
        reportViolation(`the role trusts ${kind === "*" ? "any principal" : `${kind} ${value}`}; only ${allowedServicePrincipals.join(", ")} may assume it.`);
      }
    }
  }),
};
