import { expect } from "chai";
import { iamNoWildcards, iamRoleTrustsOnlyServices } from "../../policies/iam";
import { UNKNOWN_AT_PREVIEW, violationsOf, type ResourceUnderTest } from "./harness";

const ALARM = "arn:aws:cloudwatch:us-east-1:333333333333:alarm:checkout-5xx";
const APPCONFIG_TRUST = {
  Effect: "Allow",
  Principal: { Service: "appconfig.amazonaws.com" },
  Action: "sts:AssumeRole",
  Condition: { StringEquals: { "aws:SourceAccount": "333333333333" } },
};

function document(statement: Record<string, unknown>): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
}

function happyRolePolicy(statement: Record<string, unknown> = {}): ResourceUnderTest {
  return {
    type: "aws:iam/rolePolicy:RolePolicy",
    name: "monitor-alarms",
    props: { role: "monitor", policy: document({ Effect: "Allow", Action: ["cloudwatch:DescribeAlarms"], Resource: [ALARM], ...statement }) },
  };
}

function happyRole(): ResourceUnderTest {
  return {
    type: "aws:iam/role:Role",
    name: "monitor",
    props: { assumeRolePolicy: document(APPCONFIG_TRUST) },
  };
}

function resourceOf(type: string, props: Record<string, unknown>): ResourceUnderTest {
  return { type, name: "attachment", props };
}

describe("IAM policies", () => {
  describe("iam-no-wildcards", () => {
    it("passes a policy naming its actions and resources", async () => {
      expect(await violationsOf(iamNoWildcards, happyRolePolicy())).to.deep.equal([]);
    });

    it('rejects the action "*"', async () => {
      expect((await violationsOf(iamNoWildcards, happyRolePolicy({ Action: "*" })))[0]).to.match(/^policy statement 1 allows action "\*"/);
    });

    it('rejects a whole-service action such as "cloudwatch:*"', async () => {
      expect((await violationsOf(iamNoWildcards, happyRolePolicy({ Action: "cloudwatch:*" })))[0]).to.match(/allows action "cloudwatch:\*"/);
    });

    for (const action of ["iam:Put*", "iam:*Policy", "s3:Get?bject", "*:*"]) {
      it(`rejects the partial wildcard action "${action}"`, async () => {
        const messages = await violationsOf(iamNoWildcards, happyRolePolicy({ Action: ["cloudwatch:DescribeAlarms", action] }));
        expect(messages).to.deep.equal([`policy statement 1 allows action "${action}", a wildcard; name the actions dcp needs (e.g. cloudwatch:DescribeAlarms).`]);
      });
    }

    const broadArns: [string, string][] = [
      ["arn:*", "matches resources of any service"],
      ["arn:aws:*:*:333333333333:*", "matches resources of any service"],
      ["arn:aws:iam::*:*", "matches resources in any account"],
      ["arn:aws:iam::333333333333:role/*", "matches every resource of its type"],
      ["arn:aws:cloudwatch:us-east-1:333333333333:alarm:*", "matches every resource of its type"],
      ["arn:aws:s3:::*", "matches every resource of its type"],
      ["*:*", "is a wildcard pattern, not an ARN"],
    ];
    for (const [arn, reason] of broadArns) {
      it(`rejects the resource "${arn}": it ${reason}`, async () => {
        const messages = await violationsOf(iamNoWildcards, happyRolePolicy({ Resource: [ALARM, arn] }));
        expect(messages).to.deep.equal([`policy statement 1 allows Resource "${arn}", which ${reason}; name the resources.`]);
      });
    }

    it("allows a wildcard after a name prefix the workload owns, and one bucket's objects", async () => {
      const scoped = ["arn:aws:cloudwatch:us-east-1:333333333333:alarm:checkout-*", "arn:aws:s3:::dcp-state-prod/storefront/*"];
      expect(await violationsOf(iamNoWildcards, happyRolePolicy({ Resource: scoped }))).to.deep.equal([]);
    });

    it("rejects iam:Put* on arn:aws:iam::*:* twice over: the action and the resource", async () => {
      const messages = await violationsOf(iamNoWildcards, happyRolePolicy({ Action: "iam:Put*", Resource: "arn:aws:iam::*:*" }));
      expect(messages).to.have.length(2);
      expect(messages[0]).to.match(/allows action "iam:Put\*"/);
      expect(messages[1]).to.match(/allows Resource "arn:aws:iam::\*:\*", which matches resources in any account/);
    });

    it("rejects NotPrincipal in an Allow statement", async () => {
      const messages = await violationsOf(iamNoWildcards, happyRolePolicy({ NotPrincipal: { AWS: "arn:aws:iam::333333333333:root" } }));
      expect(messages).to.deep.equal(["policy statement 1 allows NotPrincipal: every principal except a few; name the principals instead."]);
    });

    it("checks the document of a standalone aws.iam.Policy", async () => {
      const policy = resourceOf("aws:iam/policy:Policy", { policy: document({ Effect: "Allow", Action: "iam:*", Resource: "*" }) });
      const messages = await violationsOf(iamNoWildcards, policy);
      expect(messages[0]).to.match(/^policy statement 1 allows action "iam:\*"/);
      expect(messages[1]).to.match(/^policy statement 1 allows Resource "\*"/);
    });

    it("checks the documents of user and group inline policies", async () => {
      const wildcard = document({ Effect: "Allow", Action: "*", Resource: ALARM });
      expect(await violationsOf(iamNoWildcards, resourceOf("aws:iam/userPolicy:UserPolicy", { user: "u", policy: wildcard }))).to.have.length(1);
      expect(await violationsOf(iamNoWildcards, resourceOf("aws:iam/groupPolicy:GroupPolicy", { group: "g", policy: wildcard }))).to.have.length(1);
    });

    it('rejects Resource "*"', async () => {
      expect((await violationsOf(iamNoWildcards, happyRolePolicy({ Resource: "*" })))[0]).to.match(/^policy statement 1 allows Resource "\*"/);
    });

    it('allows Resource "*" for actions configured as needing it', async () => {
      const messages = await violationsOf(iamNoWildcards, happyRolePolicy({ Resource: "*" }), { allowedWildcardActions: ["cloudwatch:DescribeAlarms"] });
      expect(messages).to.deep.equal([]);
    });

    it("rejects NotAction", async () => {
      const policy = happyRolePolicy({ NotAction: "iam:*", Action: undefined });
      expect((await violationsOf(iamNoWildcards, policy))[0]).to.match(/allows NotAction/);
    });

    it("ignores Deny statements", async () => {
      expect(await violationsOf(iamNoWildcards, happyRolePolicy({ Effect: "Deny", Action: "*", Resource: "*" }))).to.deep.equal([]);
    });

    it("rejects a policy that is not JSON", async () => {
      const policy = happyRolePolicy();
      policy.props.policy = "{not json";
      expect(await violationsOf(iamNoWildcards, policy)).to.deep.equal(["policy is not a readable JSON policy document."]);
    });

    it("leaves to the update a document not known at preview, standalone or inline, and managed policy ARNs not known yet", async () => {
      const policy = happyRolePolicy();
      policy.props.policy = UNKNOWN_AT_PREVIEW;
      const role = happyRole();
      role.props.inlinePolicies = [{ name: "inline", policy: UNKNOWN_AT_PREVIEW }];
      role.props.managedPolicyArns = UNKNOWN_AT_PREVIEW;
      const attachment = resourceOf("aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "monitor", policyArn: UNKNOWN_AT_PREVIEW });

      for (const resource of [policy, role, attachment]) expect(await violationsOf(iamNoWildcards, resource), resource.type).to.deep.equal([]);
    });

    it("rejects a wildcard in a role's inline policy", async () => {
      const role = happyRole();
      role.props.inlinePolicies = [{ name: "inline", policy: document({ Effect: "Allow", Action: "*", Resource: ALARM }) }];
      expect((await violationsOf(iamNoWildcards, role))[0]).to.match(/^inline policy inline statement 1 allows action "\*"/);
    });

    it("rejects an administrator managed policy on a role", async () => {
      const role = happyRole();
      role.props.managedPolicyArns = ["arn:aws:iam::aws:policy/AdministratorAccess"];
      expect((await violationsOf(iamNoWildcards, role))[0]).to.match(/^role has the managed policy arn:aws:iam::aws:policy\/AdministratorAccess/);
    });
    const attachments: [string, Record<string, unknown>][] = [
      ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", { role: "monitor", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }],
      ["aws:iam/policyAttachment:PolicyAttachment", { roles: ["monitor"], policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }],
      ["aws:iam/userPolicyAttachment:UserPolicyAttachment", { user: "u", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }],
      ["aws:iam/groupPolicyAttachment:GroupPolicyAttachment", { group: "g", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }],
      ["aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", { roleName: "monitor", policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }],
      ["aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive", { userName: "u", policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }],
      ["aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive", { groupName: "g", policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }],
    ];
    for (const [type, props] of attachments) {
      it(`rejects a managed policy attached through ${type.split(":").at(-1)}`, async () => {
        expect(await violationsOf(iamNoWildcards, resourceOf(type, props))).to.deep.equal([
          "the attachment has the managed policy arn:aws:iam::aws:policy/ReadOnlyAccess attached; what it grants is not checked here, so use an inline policy naming the actions and resources.",
        ]);
      });
    }

    it("rejects any managed policy in a role's managedPolicyArns, not only the administrator ones", async () => {
      const role = happyRole();
      role.props.managedPolicyArns = ["arn:aws:iam::333333333333:policy/team-ops"];
      expect(await violationsOf(iamNoWildcards, role)).to.have.length(1);
    });

    it("names each statement it rejects by its place in the document, and skips Deny statements", async () => {
      const policy = happyRolePolicy();
      policy.props.policy = JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Deny", Action: "*", Resource: "*" },
          { Effect: "Allow", Action: "cloudwatch:DescribeAlarms", Resource: ALARM },
          { Effect: "Allow", Action: "iam:*", Resource: ALARM },
        ],
      });
      expect(await violationsOf(iamNoWildcards, policy)).to.deep.equal([
        'policy statement 3 allows action "iam:*", a wildcard; name the actions dcp needs (e.g. cloudwatch:DescribeAlarms).',
      ]);
    });

    it("reads a document whose Statement is one object", async () => {
      const policy = happyRolePolicy();
      policy.props.policy = JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Allow", Action: "*", Resource: ALARM } });
      expect(await violationsOf(iamNoWildcards, policy)).to.have.length(1);
    });

    it("rejects NotAction, NotResource and NotPrincipal, each in its own words", async () => {
      const policy = happyRolePolicy({ NotAction: "iam:*", NotResource: ALARM, NotPrincipal: { AWS: "arn:aws:iam::333333333333:root" } });
      expect(await violationsOf(iamNoWildcards, policy)).to.deep.equal([
        "policy statement 1 allows NotAction: every action except a few; list the actions instead.",
        "policy statement 1 allows NotResource: every resource except a few; list the resources instead.",
        "policy statement 1 allows NotPrincipal: every principal except a few; name the principals instead.",
      ]);
    });

    it('rejects Resource "*" when only some of the statement\'s actions are configured as needing it', async () => {
      const policy = happyRolePolicy({ Action: ["cloudwatch:DescribeAlarms", "cloudwatch:SetAlarmState"], Resource: "*" });
      expect(await violationsOf(iamNoWildcards, policy, { allowedWildcardActions: ["cloudwatch:DescribeAlarms"] })).to.deep.equal([
        'policy statement 1 allows Resource "*"; name the resources (e.g. the stage\'s alarm ARNs).',
      ]);
    });

    it("reports every broad resource of a statement", async () => {
      const messages = await violationsOf(iamNoWildcards, happyRolePolicy({ Resource: ["arn:aws:iam::333333333333:role/*", "arn:aws:sns:*:*:*"] }));
      expect(messages).to.deep.equal([
        'policy statement 1 allows Resource "arn:aws:iam::333333333333:role/*", which matches every resource of its type; name the resources.',
        'policy statement 1 allows Resource "arn:aws:sns:*:*:*", which matches resources in any account; name the resources.',
      ]);
    });

    it("rejects a document that is JSON but no policy", async () => {
      const policy = happyRolePolicy();
      policy.props.policy = JSON.stringify(["Allow"]);
      expect(await violationsOf(iamNoWildcards, policy)).to.deep.equal(["policy is not a readable JSON policy document."]);
    });

    it("names a role's inline policy in what it reports, or says inline policy when it has no name", async () => {
      const role = happyRole();
      const wildcard = document({ Effect: "Allow", Action: "*", Resource: ALARM });
      role.props.inlinePolicies = [{ name: "monitor", policy: wildcard }, { policy: wildcard }, { name: "broken", policy: "{" }];
      expect(await violationsOf(iamNoWildcards, role)).to.deep.equal([
        'inline policy monitor statement 1 allows action "*", a wildcard; name the actions dcp needs (e.g. cloudwatch:DescribeAlarms).',
        'inline policy statement 1 allows action "*", a wildcard; name the actions dcp needs (e.g. cloudwatch:DescribeAlarms).',
        "inline policy broken is not a readable JSON policy document.",
      ]);
    });

    it("applies the configured actions to a role's inline policies too", async () => {
      const role = happyRole();
      role.props.inlinePolicies = [{ name: "monitor", policy: document({ Effect: "Allow", Action: "cloudwatch:DescribeAlarms", Resource: "*" }) }];
      expect(await violationsOf(iamNoWildcards, role)).to.have.length(1);
      expect(await violationsOf(iamNoWildcards, role, { allowedWildcardActions: ["cloudwatch:DescribeAlarms"] })).to.deep.equal([]);
    });

    it("reports each managed policy of a role that config does not allow, in its own words", async () => {
      const role = happyRole();
      role.props.managedPolicyArns = ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/AdministratorAccess"];
      expect(await violationsOf(iamNoWildcards, role, { allowedManagedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] })).to.deep.equal([
        "role has the managed policy arn:aws:iam::aws:policy/AdministratorAccess attached; what it grants is not checked here, so use an inline policy naming the actions and resources.",
      ]);
    });

    it("passes a role with neither inline nor managed policies", async () => {
      expect(await violationsOf(iamNoWildcards, happyRole())).to.deep.equal([]);
    });

    it("passes a policy whose statements all name their actions and resources, user and group policies alike", async () => {
      const scoped = document({ Effect: "Allow", Action: "cloudwatch:DescribeAlarms", Resource: ALARM });
      for (const [type, props] of [
        ["aws:iam/policy:Policy", { policy: scoped }],
        ["aws:iam/userPolicy:UserPolicy", { user: "u", policy: scoped }],
        ["aws:iam/groupPolicy:GroupPolicy", { group: "g", policy: scoped }],
      ] as const) {
        expect(await violationsOf(iamNoWildcards, resourceOf(type, props)), type).to.deep.equal([]);
      }
    });

    it("allows a managed policy that config names", async () => {
      const attachment = resourceOf(attachments[0]![0], attachments[0]![1]);
      const config = { allowedManagedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] };
      expect(await violationsOf(iamNoWildcards, attachment, config)).to.deep.equal([]);
    });
  });

  describe("iam-role-trusts-only-services", () => {
    it("passes a role only AppConfig can assume", async () => {
      expect(await violationsOf(iamRoleTrustsOnlyServices, happyRole())).to.deep.equal([]);
    });

    it("rejects a role anyone can assume", async () => {
      const role = happyRole();
      role.props.assumeRolePolicy = document({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" });
      expect((await violationsOf(iamRoleTrustsOnlyServices, role))[0]).to.match(/^the role trusts any principal/);
    });

    it("rejects a role another account can assume", async () => {
      const role = happyRole();
      role.props.assumeRolePolicy = document({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "sts:AssumeRole" });
      expect(await violationsOf(iamRoleTrustsOnlyServices, role)).to.deep.equal([
        "the role trusts AWS arn:aws:iam::999999999999:root; only appconfig.amazonaws.com may assume it.",
      ]);
    });

    it("rejects a service trust without an aws:SourceAccount condition (the confused deputy)", async () => {
      const role = happyRole();
      role.props.assumeRolePolicy = document({ ...APPCONFIG_TRUST, Condition: undefined });
      expect(await violationsOf(iamRoleTrustsOnlyServices, role)).to.deep.equal([
        'the role trusts a service without a StringEquals "aws:SourceAccount" condition naming one account; any account could have that service act with this role.',
      ]);
    });

    it("rejects an aws:SourceAccount condition that matches any account", async () => {
      const role = happyRole();
      role.props.assumeRolePolicy = document({ ...APPCONFIG_TRUST, Condition: { StringLike: { "aws:SourceAccount": "*" } } });
      expect(await violationsOf(iamRoleTrustsOnlyServices, role)).to.have.length(1);
    });

    it("reads the condition key case-insensitively, as IAM does", async () => {
      const role = happyRole();
      role.props.assumeRolePolicy = document({ ...APPCONFIG_TRUST, Condition: { StringEquals: { "AWS:SourceAccount": "333333333333" } } });
      expect(await violationsOf(iamRoleTrustsOnlyServices, role)).to.deep.equal([]);
    });

    it("rejects NotPrincipal: a role every principal but one may assume", async () => {
      const role = happyRole();
      role.props.assumeRolePolicy = document({ Effect: "Allow", NotPrincipal: { Service: "appconfig.amazonaws.com" }, Action: "sts:AssumeRole" });
      expect(await violationsOf(iamRoleTrustsOnlyServices, role)).to.deep.equal([
        "the trust policy allows NotPrincipal: every principal except a few may assume the role; name the service instead.",
      ]);
    });

    it("rejects NotAction in a trust statement", async () => {
      const role = happyRole();
      role.props.assumeRolePolicy = document({ ...APPCONFIG_TRUST, Action: undefined, NotAction: "sts:TagSession" });
      expect(await violationsOf(iamRoleTrustsOnlyServices, role)).to.deep.equal(["the trust policy allows NotAction; allow sts:AssumeRole only."]);
    });

    it("rejects a trust policy it cannot read", async () => {
      const role = happyRole();
      role.props.assumeRolePolicy = "{";
      expect(await violationsOf(iamRoleTrustsOnlyServices, role)).to.deep.equal(["the trust policy is not a readable JSON policy document."]);
    });

    it("trusts the allowed service only as a service principal, not a name given as another kind", async () => {
      const role = happyRole();
      role.props.assumeRolePolicy = document({ ...APPCONFIG_TRUST, Principal: { AWS: "appconfig.amazonaws.com" } });
      expect(await violationsOf(iamRoleTrustsOnlyServices, role)).to.deep.equal([
        "the role trusts AWS appconfig.amazonaws.com; only appconfig.amazonaws.com may assume it.",
      ]);
    });

    it("rejects a service that config does not name, saying which may", async () => {
      const role = happyRole();
      role.props.assumeRolePolicy = document({ ...APPCONFIG_TRUST, Principal: { Service: ["appconfig.amazonaws.com", "ec2.amazonaws.com"] } });
      expect(await violationsOf(iamRoleTrustsOnlyServices, role)).to.deep.equal([
        "the role trusts Service ec2.amazonaws.com; only appconfig.amazonaws.com may assume it.",
      ]);
      const config = { allowedServicePrincipals: ["appconfig.amazonaws.com", "ec2.amazonaws.com"] };
      expect(await violationsOf(iamRoleTrustsOnlyServices, role, config)).to.deep.equal([]);
    });

    it("rejects any principal in full words", async () => {
      const role = happyRole();
      role.props.assumeRolePolicy = document({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" });
      const config = { allowedServicePrincipals: ["appconfig.amazonaws.com", "lambda.amazonaws.com"] };
      expect(await violationsOf(iamRoleTrustsOnlyServices, role, config)).to.deep.equal([
        "the role trusts any principal; only appconfig.amazonaws.com, lambda.amazonaws.com may assume it.",
      ]);
    });

    it("ignores Deny statements of a trust policy", async () => {
      const role = happyRole();
      role.props.assumeRolePolicy = JSON.stringify({
        Version: "2012-10-17",
        Statement: [APPCONFIG_TRUST, { Effect: "Deny", Principal: "*", NotPrincipal: { AWS: "x" }, NotAction: "sts:AssumeRole" }],
      });
      expect(await violationsOf(iamRoleTrustsOnlyServices, role)).to.deep.equal([]);
    });

    it("asks for aws:SourceAccount on each statement that trusts a service", async () => {
      const role = happyRole();
      role.props.assumeRolePolicy = JSON.stringify({
        Version: "2012-10-17",
        Statement: [APPCONFIG_TRUST, { ...APPCONFIG_TRUST, Condition: { StringEquals: { "aws:SourceAccount": ["333333333333", "444444444444"] } } }],
      });
      expect(await violationsOf(iamRoleTrustsOnlyServices, role)).to.have.length(1);
    });

    it("accepts a trust policy given as an object", async () => {
      const role = happyRole();
      role.props.assumeRolePolicy = JSON.parse(role.props.assumeRolePolicy as string);
      expect(await violationsOf(iamRoleTrustsOnlyServices, role)).to.deep.equal([]);
    });
  });
});
