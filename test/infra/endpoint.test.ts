import { expect } from "chai";
import { endpointProblem } from "../../infra/endpoint";

describe("a stack's endpoint", () => {
  describe("in a production stage", () => {
    for (const endpoint of ["http://localhost:4566", "http://127.0.0.1:4566", "https://127.0.0.1:4566", "http://127.1:4566", "http://[::1]:4566"]) {
      it(`may be the loopback address ${endpoint}`, () => expect(endpointProblem(endpoint, true)).to.equal(undefined));
    }

    for (const endpoint of ["https://localstack.example.com", "http://10.0.0.5:4566", "http://localhost.example.com:4566", "http://localhost@evil.example.com"]) {
      it(`may not be ${endpoint}`, () => expect(endpointProblem(endpoint, true)).to.be.a("string"));
    }

    it("says what is allowed instead", () => {
      expect(endpointProblem("https://localstack.example.com", true)).to.equal(
        "endpoint localstack.example.com in a production stage: only a loopback address (localhost, 127.0.0.1, [::1]) is allowed, for a local emulator; production deploys to AWS's own endpoints",
      );
    });
  });

  describe("in any other stage", () => {
    for (const endpoint of ["https://localstack.example.com:4566", "http://localhost:4566", "http://127.0.0.1:4566"]) {
      it(`may be ${endpoint}`, () => expect(endpointProblem(endpoint, false)).to.equal(undefined));
    }

    it("may not be plain http to another machine, which would show the credentials to the network", () => {
      expect(endpointProblem("http://10.0.0.5:4566", false)).to.match(/^endpoint http:\/\/10\.0\.0\.5:4566 would send the deploy role's credentials .* in clear text; use https, or http only to a loopback address$/);
    });

    it("may not carry a user or password", () => {
      expect(endpointProblem("https://admin:hunter22@localstack.example.com", false)).to.match(/^endpoint has a user or password in it/);
    });

    it("must be an http(s) URL", () => {
      expect(endpointProblem("ftp://localhost", false)).to.equal('endpoint "ftp://localhost" is not an http(s) URL');
      expect(endpointProblem("localhost:4566", false)).to.match(/is not an http\(s\) URL|is not a URL/);
    });
  });
});
