import { expect } from "chai";
import { iamNoWildcards, iamRoleTrustsOnlyServices } from "../../policies/iam";
import { violationsOf, type ResourceUnderTest } from "./harness";

const ALARM = "arn:aws:cloudwatch:us-east-1:333333333333:alarm:checkout-5xx";

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
    props: { assumeRolePolicy: document({ Effect: "Allow", Principal: { Service: "appconfig.amazonaws.com" }, Action: "sts:AssumeRole" }) },
  };
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
      expect((await violationsOf(iamRoleTrustsOnlyServices, role))[0]).to.match(/^the role trusts AWS arn:aws:iam::999999999999:root/);
    });

    it("accepts a trust policy given as an object", async () => {
      const role = happyRole();
      role.props.assumeRolePolicy = JSON.parse(role.props.assumeRolePolicy as string);
      expect(await violationsOf(iamRoleTrustsOnlyServices, role)).to.deep.equal([]);
    });
  });
});
