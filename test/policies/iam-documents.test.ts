import { expect } from "chai";
import { broadArnReason, isWildcardAction, list, pinnedSourceAccount, principalsOf, statementsOf } from "../../policies/iam-documents";

describe("IAM policy documents", () => {
  describe("a value that may be one string or a list", () => {
    it("is read as a list either way, and empty when absent", () => {
      expect(list("s3:GetObject")).to.deep.equal(["s3:GetObject"]);
      expect(list(["s3:GetObject", "s3:PutObject"])).to.deep.equal(["s3:GetObject", "s3:PutObject"]);
      expect(list(undefined)).to.deep.equal([]);
    });
  });

  describe("the statements of a document", () => {
    const statement = { Effect: "Allow", Action: "cloudwatch:DescribeAlarms", Resource: "*" };

    it("are read from JSON text or from an object, one statement or a list", () => {
      expect(statementsOf(JSON.stringify({ Version: "2012-10-17", Statement: [statement] }))).to.deep.equal([statement]);
      expect(statementsOf({ Version: "2012-10-17", Statement: statement })).to.deep.equal([statement]);
    });

    it("leave out what is not a statement object", () => {
      expect(statementsOf({ Statement: [statement, "Allow", null, ["x"]] })).to.deep.equal([statement]);
      expect(statementsOf({ Version: "2012-10-17" })).to.deep.equal([]);
    });

    it("cannot be read from text that is not JSON, or JSON that is not an object", () => {
      expect(statementsOf("{not json")).to.equal(undefined);
      expect(statementsOf("[]")).to.equal(undefined);
      expect(statementsOf(JSON.stringify("Allow"))).to.equal(undefined);
      expect(statementsOf(undefined)).to.equal(undefined);
    });
  });

  describe("an action", () => {
    it("is a wildcard with a * or a ? anywhere in it", () => {
      for (const action of ["*", "iam:*", "iam:Put*", "s3:Get?bject", "*:GetObject"]) expect(isWildcardAction(action), action).to.equal(true);
      expect(isWildcardAction("cloudwatch:DescribeAlarms")).to.equal(false);
    });
  });

  describe("an ARN", () => {
    it("is scoped without a wildcard, or with one after a name prefix, a path or in its region", () => {
      for (const arn of [
        "arn:aws:cloudwatch:us-east-1:333333333333:alarm:checkout-5xx",
        "arn:aws:cloudwatch:us-east-1:333333333333:alarm:checkout-*",
        "arn:aws:iam::333333333333:role/storefront/*",
        "arn:aws:cloudwatch:*:333333333333:alarm:checkout-5xx",
        "arn:aws:s3:::dcp-state-prod/*",
        "*",
      ]) {
        expect(broadArnReason(arn), arn).to.equal(undefined);
      }
    });

    it("matches any service with a wildcard in its partition or service, or too few parts to name one", () => {
      for (const arn of ["arn:*:iam::333333333333:role/deploy", "arn:aws:iam?::333333333333:role/deploy", "arn:aws:iam::333333333333*"]) {
        expect(broadArnReason(arn), arn).to.equal("matches resources of any service");
      }
    });

    it("matches any account with a wildcard in its account", () => {
      expect(broadArnReason("arn:aws:iam::33333333333?:role/deploy")).to.equal("matches resources in any account");
    });

    it("matches every resource of a type when nothing but a wildcard follows the type", () => {
      for (const arn of ["arn:aws:iam::333333333333:role/*", "arn:aws:iam::333333333333:role/?eploy", "arn:aws:cloudwatch:us-east-1:333333333333:alarm:*", "arn:aws:s3:::*"]) {
        expect(broadArnReason(arn), arn).to.equal("matches every resource of its type");
      }
    });

    it("is no ARN when it does not start with arn:", () => {
      expect(broadArnReason("alarm:*")).to.equal("is a wildcard pattern, not an ARN");
    });
  });

  describe("a Principal block", () => {
    it('is any principal when it is "*"', () => {
      expect(principalsOf("*")).to.deep.equal([{ kind: "*", value: "*" }]);
    });

    it("lists each principal of each kind", () => {
      expect(principalsOf({ Service: ["appconfig.amazonaws.com", "ec2.amazonaws.com"], AWS: "arn:aws:iam::999999999999:root" })).to.deep.equal([
        { kind: "Service", value: "appconfig.amazonaws.com" },
        { kind: "Service", value: "ec2.amazonaws.com" },
        { kind: "AWS", value: "arn:aws:iam::999999999999:root" },
      ]);
    });

    it("names no principal when absent", () => {
      expect(principalsOf(undefined)).to.deep.equal([]);
    });
  });

  describe("an aws:SourceAccount condition", () => {
    it("pins one account with StringEquals or StringEqualsIgnoreCase, the key in any case", () => {
      expect(pinnedSourceAccount({ StringEquals: { "aws:SourceAccount": "333333333333" } })).to.equal("333333333333");
      expect(pinnedSourceAccount({ StringEqualsIgnoreCase: { "AWS:SOURCEACCOUNT": ["333333333333"] } })).to.equal("333333333333");
      expect(pinnedSourceAccount({ StringEquals: { "aws:SourceArn": "arn:aws:appconfig:*" }, StringEqualsIgnoreCase: { "aws:SourceAccount": "333333333333" } })).to.equal(
        "333333333333",
      );
    });

    it("pins nothing with another operator, several accounts, or a value that is not one account id", () => {
      for (const condition of [
        undefined,
        { StringLike: { "aws:SourceAccount": "333333333333" } },
        { StringEquals: "aws:SourceAccount" },
        { StringEquals: { "aws:SourceAccount": ["333333333333", "444444444444"] } },
        { StringEquals: { "aws:SourceAccount": [] } },
        { StringEquals: { "aws:SourceAccount": 333333333333 } },
        { StringEquals: { "aws:SourceAccount": "33333333333*" } },
        { StringEquals: { "aws:SourceAccount": "3333333333333" } },
        { StringEquals: { "aws:SourceAccount": "x333333333333" } },
        { StringEquals: { "aws:SourceOwner": "333333333333" } },
      ]) {
        expect(pinnedSourceAccount(condition), JSON.stringify(condition)).to.equal(undefined);
      }
    });
  });
});
