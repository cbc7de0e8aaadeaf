import { expect } from "chai";
import { isDescriptiveKey, isSecretContainer, isSecretKey, isSettingOrPlaceholder, namesSecretValue } from "../../policies/secret-keys";

describe("secret key names", () => {
  it("name a secret by their last word, short, plural or qualified", () => {
    for (const key of ["pass", "smtpPass", "auth", "basicAuth", "passwords", "apiKeys", "secrets", "AWS_SECRET_ACCESS_KEY", "masterKey", "credentials"]) {
      expect(isSecretKey(key), key).to.equal(true);
    }
  });

  it("do not name a secret when they count or describe one", () => {
    for (const key of ["maxTokens", "minPasswords", "passwordPolicy", "tokenTtlSeconds", "cacheKey", "bypass", "authMode", "secretName"]) {
      expect(isSecretKey(key), key).to.equal(false);
    }
  });

  it("make every string under them a secret, unless they hold a secret's settings", () => {
    expect(isSecretContainer("apiKeys")).to.equal(true);
    expect(isSecretContainer("password")).to.equal(true);
    expect(isSecretContainer("token")).to.equal(false);
    expect(isSecretContainer("auth")).to.equal(false);
  });

  it("describe the secret beside it by a word such as name, provider or rotation", () => {
    expect(isDescriptiveKey("secretName")).to.equal(true);
    expect(isDescriptiveKey("provider")).to.equal(true);
    expect(isDescriptiveKey("partnerA")).to.equal(false);
  });

  it("take a lower-case word under auth for its mode", () => {
    expect(namesSecretValue("auth", "cognito")).to.equal(false);
    expect(namesSecretValue("auth", "deploy:pa55w0rd")).to.equal(true);
    expect(namesSecretValue("password", "cognito")).to.equal(true);
  });

  it("tell settings and placeholders from values", () => {
    for (const value of ["none", "required", "${DB_PASSWORD}", "$DB_PASSWORD", "%DB_PASSWORD%", "********", "<set in SSM>"]) {
      expect(isSettingOrPlaceholder(value), value).to.equal(true);
    }
    expect(isSettingOrPlaceholder("hunter22")).to.equal(false);
  });
});
