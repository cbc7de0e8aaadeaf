import { expect } from "chai";
import { policy } from "../../../cli/iam/policy-document";
import { evaluate } from "./evaluate";

const ROLE = "arn:aws:iam::111111111111:role/shop-beta-us-west-2-appconfig-alarms";

describe("the test IAM policy evaluator", () => {
  it("allows only what a statement allows: anything else is implicitly denied", () => {
    const p = policy([{ Effect: "Allow", Action: "iam:GetRole", Resource: ROLE }]);
    expect(evaluate([p], { action: "iam:GetRole", resource: ROLE })).to.equal("allow");
    expect(evaluate([p], { action: "iam:DeleteRole", resource: ROLE })).to.equal("implicit-deny");
    expect(evaluate([p], { action: "iam:GetRole", resource: `${ROLE}x` })).to.equal("implicit-deny");
  });

  it("lets an explicit Deny win over any Allow", () => {
    const p = policy([
      { Effect: "Allow", Action: "iam:*", Resource: "*" },
      { Effect: "Deny", Action: "iam:DeleteRole", Resource: ROLE },
    ]);
    expect(evaluate([p], { action: "iam:DeleteRole", resource: ROLE })).to.equal("explicit-deny");
    expect(evaluate([p], { action: "iam:GetRole", resource: ROLE })).to.equal("allow");
  });

  it("matches actions case-insensitively with wildcards, and NotAction as everything else", () => {
    const p = policy([{ Effect: "Allow", Action: "appconfig:Get*", Resource: "*" }]);
    expect(evaluate([p], { action: "AppConfig:getApplication", resource: "*" })).to.equal("allow");
    expect(evaluate([p], { action: "appconfig:DeleteApplication", resource: "*" })).to.equal("implicit-deny");
    const not = policy([{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }]);
    expect(evaluate([not], { action: "sns:CreateTopic", resource: "*" })).to.equal("allow");
    expect(evaluate([not], { action: "iam:CreateRole", resource: "*" })).to.equal("implicit-deny");
  });

  it("matches ARNs part by part, so a wildcard in one part never spans into another", () => {
    const p = policy([{ Effect: "Allow", Action: "cloudwatch:PutMetricAlarm", Resource: "arn:aws:cloudwatch:us-?est-2:111111111111:alarm:shop-beta-*" }]);
    expect(evaluate([p], { action: "cloudwatch:PutMetricAlarm", resource: "arn:aws:cloudwatch:us-west-2:111111111111:alarm:shop-beta-5xx" })).to.equal("allow");
    expect(evaluate([p], { action: "cloudwatch:PutMetricAlarm", resource: "arn:aws:cloudwatch:us-west-2:222222222222:alarm:shop-beta-5xx" })).to.equal("implicit-deny");
    const wide = policy([{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::*" }]);
    expect(evaluate([wide], { action: "s3:GetObject", resource: "arn:aws:s3:us-east-1::x" })).to.equal("implicit-deny");
    const not = policy([{ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::secret/*" }]);
    expect(evaluate([not], { action: "s3:GetObject", resource: "arn:aws:s3:::secret/key" })).to.equal("implicit-deny");
    expect(evaluate([not], { action: "s3:GetObject", resource: "arn:aws:s3:::state/key" })).to.equal("allow");
  });

  it("requires every condition, any of a key's values, and refuses a key the request lacks", () => {
    const p = policy([
      {
        Effect: "Allow",
        Action: "appconfig:CreateApplication",
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestTag/workload": "shop", "aws:RequestedRegion": ["us-east-1", "eu-west-1"] } },
      },
    ]);
    const create = (context: Record<string, string>) => evaluate([p], { action: "appconfig:CreateApplication", resource: "*", context });
    expect(create({ "aws:RequestTag/workload": "shop", "aws:RequestedRegion": "eu-west-1" })).to.equal("allow");
    expect(create({ "aws:requesttag/workload": "shop", "aws:RequestedRegion": "eu-west-1" })).to.equal("allow");
    expect(create({ "aws:RequestTag/workload": "other", "aws:RequestedRegion": "eu-west-1" })).to.equal("implicit-deny");
    expect(create({ "aws:RequestTag/workload": "shop", "aws:RequestedRegion": "us-west-2" })).to.equal("implicit-deny");
    expect(create({ "aws:RequestedRegion": "eu-west-1" })).to.equal("implicit-deny");
  });

  it("treats a negated operator, IfExists and ForAllValues as true of a missing key, Null as its presence", () => {
    const request = (operator: string, context: Record<string, string | string[]> = {}) =>
      evaluate([policy([{ Effect: "Allow", Action: "iam:CreateRole", Resource: "*", Condition: { [operator]: { "aws:TagKeys": ["workload", "stage"] } } }])], {
        action: "iam:CreateRole",
        resource: "*",
        context,
      });
    expect(request("StringNotEquals")).to.equal("allow");
    expect(request("StringEqualsIfExists")).to.equal("allow");
    expect(request("ForAllValues:StringEquals")).to.equal("allow");
    expect(request("ForAllValues:StringEquals", { "aws:TagKeys": ["workload", "owner"] })).to.equal("implicit-deny");
    expect(request("ForAnyValue:StringEquals", { "aws:TagKeys": ["workload", "owner"] })).to.equal("allow");
    expect(request("StringLike", { "aws:TagKeys": "work*" })).to.equal("implicit-deny");
    const nullCheck = (present: boolean) =>
      evaluate([policy([{ Effect: "Deny", Action: "iam:CreateRole", Resource: "*", Condition: { Null: { "iam:PermissionsBoundary": "true" } } }])], {
        action: "iam:CreateRole",
        resource: "*",
        context: present ? { "iam:PermissionsBoundary": "arn:aws:iam::1:policy/b" } : {},
      });
    expect(nullCheck(false)).to.equal("explicit-deny");
    expect(nullCheck(true)).to.equal("implicit-deny");
  });

  it("refuses to judge a condition operator it does not know", () => {
    const p = policy([{ Effect: "Allow", Action: "*", Resource: "*", Condition: { NumericLessThan: { "aws:MultiFactorAuthAge": "3600" } } }]);
    expect(() => evaluate([p], { action: "iam:GetRole", resource: ROLE })).to.throw(/NumericLessThan/);
  });
});
