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

  it("are not a store's prefix in front of something else", () => {
    for (const value of [
      "env:hunter22",
      "env:DB_PASSWORD hunter22",
      "vault:hunter22",
      "ssm:hunter22",
      "secretsmanager:hunter22",
      "arn:aws:hunter22",
      "arn:aws:secretsmanager:us-east-1:333333333333:secret:db hunter22",
    ]) {
      expect(isSecretReference(value), value).to.equal(false);
    }
  });
});
