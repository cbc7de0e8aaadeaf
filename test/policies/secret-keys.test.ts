import { expect } from "chai";
import { isDescriptiveKey, isSecretContainer, isSecretKey, isSettingOrPlaceholder, namesSecretValue } from "../../policies/secret-keys";

describe("secret key names", () => {
  it("name a secret by their last word, short, plural or qualified", () => {
    for (const key of ["pass", "smtpPass", "auth", "basicAuth", "passwords", "apiKeys", "secrets", "AWS_SECRET_ACCESS_KEY", "masterKey", "credentials"]) {
      expect(isSecretKey(key), key).to.equal(true);
    }
  });

  it("name a secret by any of the words people use for one", () => {
    for (const key of ["dbPassword", "ftpPasswd", "PWD", "gpgPassphrase", "clientSecret", "refreshToken", "x-apikey", "proxyAuth", "serviceCredential"]) {
      expect(isSecretKey(key), key).to.equal(true);
    }
  });

  it('name a secret by "key" after a word that makes it one', () => {
    for (const key of ["apiKey", "privateKey", "secretKey", "accessKey", "signingKey", "encryptionKey", "clientKey", "masterKey"]) {
      expect(isSecretKey(key), key).to.equal(true);
    }
    for (const key of ["key", "cacheKey", "partitionKey", "sortKey"]) {
      expect(isSecretKey(key), key).to.equal(false);
    }
  });

  it("do not name a secret when they count or describe one", () => {
    for (const key of ["maxTokens", "minPasswords", "passwordPolicy", "tokenTtlSeconds", "cacheKey", "bypass", "authMode", "secretName"]) {
      expect(isSecretKey(key), key).to.equal(false);
    }
  });

  it("do not name a secret when they lead with a quantity", () => {
    for (const key of ["numTokens", "number_of_tokens", "countSecrets", "totalTokens", "limitTokens"]) {
      expect(isSecretKey(key), key).to.equal(false);
    }
  });

  it("keep their words when a stray separator leads or trails them", () => {
    expect(isSecretKey("password ")).to.equal(true);
    expect(isSecretKey(" maxTokens")).to.equal(false);
  });

  it("name nothing when they have no words", () => {
    for (const key of ["", "_", "--"]) expect(isSecretKey(key), JSON.stringify(key)).to.equal(false);
  });

  it("are split into words at case changes, digits and punctuation", () => {
    expect(isSecretKey("db2Password")).to.equal(true);
    expect(isSecretKey("password2Rotation")).to.equal(false);
    expect(isSecretKey("PASSWORD")).to.equal(true);
    expect(isSecretKey("db.password")).to.equal(true);
  });

  it("make every string under them a secret, unless they hold a secret's settings", () => {
    expect(isSecretContainer("apiKeys")).to.equal(true);
    expect(isSecretContainer("password")).to.equal(true);
    expect(isSecretContainer("cacheKeys")).to.equal(false);
    for (const key of ["token", "auth", "pass", "credentials"]) expect(isSecretContainer(key), key).to.equal(false);
  });

  it("describe the secret beside it by a word such as name, provider or rotation", () => {
    expect(isDescriptiveKey("secretName")).to.equal(true);
    expect(isDescriptiveKey("provider")).to.equal(true);
    expect(isDescriptiveKey("partnerA")).to.equal(false);
    expect(isDescriptiveKey("")).to.equal(false);
  });

  it("describe the secret by every word of the list", () => {
    const keys = [
      "description", "keyName", "secretType", "kind", "partnerId", "secretArn", "region", "rotationUrl", "vaultUri", "host", "dbUser",
      "username", "format", "version", "rotation", "schedule", "enabled", "ttl", "expiry", "expires", "source", "provider", "issuer",
      "audience", "header",
    ];
    for (const key of keys) expect(isDescriptiveKey(key), key).to.equal(true);
  });

  it("take a lower-case word under auth for its mode", () => {
    expect(namesSecretValue("auth", "cognito")).to.equal(false);
    expect(namesSecretValue("auth", "api-key")).to.equal(false);
    expect(namesSecretValue("auth", "sigv4")).to.equal(false);
    expect(namesSecretValue("auth", "deploy:pa55w0rd")).to.equal(true);
    expect(namesSecretValue("auth", "Bearer abc123")).to.equal(true);
    expect(namesSecretValue("auth", "Cognito")).to.equal(true);
    expect(namesSecretValue("password", "cognito")).to.equal(true);
    expect(namesSecretValue("cacheKey", "cognito")).to.equal(false);
  });

  it("tell settings and placeholders from values", () => {
    for (const value of ["none", "required", "${DB_PASSWORD}", "$DB_PASSWORD", "%DB_PASSWORD%", "********", "<set in SSM>"]) {
      expect(isSettingOrPlaceholder(value), value).to.equal(true);
    }
    expect(isSettingOrPlaceholder("hunter22")).to.equal(false);
  });

  it("take every setting word, in any case, for a setting", () => {
    const settings = [
      "none", "null", "nil", "n/a", "disable", "disabled", "enable", "enabled", "true", "false", "on", "off", "yes", "no", "required",
      "optional", "iam", "sigv4", "oauth", "oauth2", "oidc", "basic", "bearer", "mtls", "jwt", "NONE", "Disabled",
    ];
    for (const value of settings) expect(isSettingOrPlaceholder(value), value).to.equal(true);
  });

  it("take a value that only starts or ends like a setting for a value", () => {
    for (const value of ["dragon", "iamgroot", "nonesuch", "offshore42", "n/a-but-secret", "sigv4!"]) {
      expect(isSettingOrPlaceholder(value), value).to.equal(false);
    }
  });

  it("take placeholders whole, not text around them", () => {
    for (const value of ["${DB.PASS:-x}", "${_X}", "$_PASS", "%_PASS%", "*", "xxx", "XXXXXXXX", "<>"]) {
      expect(isSettingOrPlaceholder(value), value).to.equal(true);
    }
    for (const value of ["${1PASS}", "$1PASS", "%1PASS%", "xx", "pa55${X}", "${X}pa55", "$X pa55", "<a<b>", "**pa55"]) {
      expect(isSettingOrPlaceholder(value), value).to.equal(false);
    }
  });
});
