import { expect } from "chai";
import { isSecretReference } from "../../policies/secret-references";

describe("secret references", () => {
  it("are well-formed references to a secret store, as a whole", () => {
    for (const reference of [
      "arn:aws:secretsmanager:us-east-1:333333333333:secret:prod/db-AbCdEf",
      "arn:aws:iam::aws:policy/ReadOnlyAccess",
      "{{resolve:ssm-secure:/prod/db/password:3}}",
      "ssm:/storefront/prod/db/password",
      "secretsmanager:prod/storefront/oauth#clientSecret",
      "vault:secret/data/storefront#db",
      "env:DB_PASSWORD",
    ]) {
      expect(isSecretReference(reference), reference).to.equal(true);
    }
  });

  it("are ARNs of any partition, with or without a region and an account", () => {
    for (const arn of [
      "arn:aws-cn:secretsmanager:cn-north-1:333333333333:secret:db-AbCdEf",
      "arn:aws-us-gov:ssm:us-gov-west-1:333333333333:parameter/prod/db",
      "arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      "arn:aws:s3:::dcp-secrets/prod/db.json",
    ]) {
      expect(isSecretReference(arn), arn).to.equal(true);
    }
  });

  it("are not ARNs with a malformed service, account or resource", () => {
    for (const value of [
      "arn:aws::us-east-1:333333333333:secret:db",
      "arn:aws:SecretsManager:us-east-1:333333333333:secret:db",
      "arn:aws:secretsmanager:us-east-1:33333333333:secret:db",
      "arn:aws:secretsmanager:us-east-1:3333333333333:secret:db",
      "arn:aws:secretsmanager:us-east-1:other:secret:db",
      "arn:aws:secretsmanager:us-east-1:333333333333:",
      "arn:aws:secretsmanager:US-EAST-1:333333333333:secret:db",
      "see arn:aws:secretsmanager:us-east-1:333333333333:secret:db",
      "arn:awsx1:secretsmanager:us-east-1:333333333333:secret:db",
    ]) {
      expect(isSecretReference(value), value).to.equal(false);
    }
  });

  it("are CloudFormation dynamic references to SSM or Secrets Manager", () => {
    for (const reference of ["{{resolve:ssm:/prod/db/user}}", "{{resolve:ssm-secure:/prod/db/password:3}}", "{{resolve:secretsmanager:prod/db:SecretString:password}}"]) {
      expect(isSecretReference(reference), reference).to.equal(true);
    }
    for (const value of ["{{resolve:vault:prod/db}}", "{{resolve:ssm:}}", "{{resolve:ssm:/prod/db password}}", "{{resolve:ssm:/prod/db}} hunter22", "x{{resolve:ssm:/prod/db}}"]) {
      expect(isSecretReference(value), value).to.equal(false);
    }
  });

  it("are SSM parameters by their full hierarchical name", () => {
    expect(isSecretReference("ssm:/db")).to.equal(true);
    for (const value of ["ssm:/", "ssm://prod/db", "ssm:/prod/db password", "ssm:prod/db"]) expect(isSecretReference(value), value).to.equal(false);
  });

  it("are Secrets Manager and Vault paths, optionally with one field", () => {
    for (const reference of ["secretsmanager:prod/db", "secretsmanager:prod/db#password", "vault:secret/db", "vault:secret/data/db#password"]) {
      expect(isSecretReference(reference), reference).to.equal(true);
    }
    for (const value of ["secretsmanager:prod", "secretsmanager:prod/", "secretsmanager:prod/db#", "secretsmanager:/db", "vault:secret", "vault:secret/", "vault:secret/db#", "vault:/db", "vault:secret/db#a b"]) {
      expect(isSecretReference(value), value).to.equal(false);
    }
  });

  it("are environment variables named in upper case", () => {
    for (const reference of ["env:DB_PASSWORD", "env:_TOKEN", "env:A1"]) expect(isSecretReference(reference), reference).to.equal(true);
    for (const value of ["env:1PASSWORD", "env:db_password", "env:", "env:DB PASSWORD"]) expect(isSecretReference(value), value).to.equal(false);
  });

  it("are not a store's prefix in front of something else", () => {
    for (const value of [
      "env:hunter22",
      "env:DB_PASSWORD hunter22",
      "vault:hunter22",
      "ssm:hunter22",
      "secretsmanager:hunter22",
      "arn:aws:hunter22",
      "arn:aws:secretsmanager:us-east-1:333333333333:secret:db hunter22",
      "see ssm:/prod/db",
      "see secretsmanager:prod/db",
      "secretsmanager:prod/db hunter22",
      "see vault:secret/db",
      "vault:secret/db hunter22",
      "see env:DB_PASSWORD",
    ]) {
      expect(isSecretReference(value), value).to.equal(false);
    }
  });
});
