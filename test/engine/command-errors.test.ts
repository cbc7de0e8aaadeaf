import { expect } from "chai";
import { engineMessage, isConcurrentUpdate, isStackNotFound, toDomainError } from "../../cli/engine/command-errors";
import { DeploymentError, InterruptedError, StackLockedError } from "../../cli/errors";
import { commandError } from "./fake-stack";

describe("the engine's errors as dcp's", () => {
  it("passes dcp's own errors through as they are", () => {
    const interrupted = new InterruptedError("update of stack beta-us-west-2 was interrupted");
    expect(toDomainError("beta-us-west-2", "update", interrupted, ["ignored"])).to.equal(interrupted);
  });

  it("is the stack-locked error, naming the stack, when another update holds the lock", () => {
    const error = toDomainError("beta-us-west-2", "update", commandError("error: the stack is currently locked by 1 lock(s)"));
    expect(error).to.be.instanceOf(StackLockedError).and.include({ stackName: "beta-us-west-2" });
  });

  it("names the operation and the stack, with the engine's diagnostics rather than its stderr, keeping the engine's error as the cause", () => {
    const engine = commandError("error: update failed");
    const error = toDomainError("beta-us-west-2", "update", engine, ["checkout-flags: BadRequestException", "checkout-5xx: AccessDenied"]);
    expect(error).to.be.instanceOf(DeploymentError);
    expect(error.message).to.equal("update of stack beta-us-west-2 failed: checkout-flags: BadRequestException\ncheckout-5xx: AccessDenied");
    expect(error.cause).to.equal(engine);
  });

  it("looks for a setup problem in the diagnostics and in stderr, line by line", () => {
    const error = toDomainError("beta-us-west-2", "preview", commandError("error: decrypting secrets: incorrect passphrase"), ["checkout-flags: preview failed"]);
    expect(error.message).to.match(/\. The engine said: decrypting secrets: incorrect passphrase$/);
  });

  it("keeps the engine's error as the cause of a setup problem too", () => {
    const engine = commandError("error: decrypting secrets: incorrect passphrase");
    expect(toDomainError("beta-us-west-2", "history", engine).cause).to.equal(engine);
  });

  it("recognises the SDK's errors by name, and nothing that merely looks like one", () => {
    expect(isStackNotFound(commandError("error: no stack named 'beta-us-west-2' found"))).to.equal(true);
    expect(isConcurrentUpdate(commandError("error: the stack is currently locked by 1 lock(s)"))).to.equal(true);
    expect(isStackNotFound(commandError("error: the stack is currently locked by 1 lock(s)"))).to.equal(false);
    expect(isConcurrentUpdate(commandError("error: no stack named 'beta-us-west-2' found"))).to.equal(false);
    expect(isStackNotFound({ name: "StackNotFoundError" })).to.equal(false);
    expect(isConcurrentUpdate({ name: "ConcurrentUpdateError" })).to.equal(false);
  });

  describe("what the engine said", () => {
    it("is the failed command's stderr, without colours, blank lines or trailing spaces", () => {
      expect(engineMessage(commandError("\u001b[31;1merror:\u001b[0m could not assume role   \n\n  Details: AccessDenied\n"))).to.equal(
        "error: could not assume role\n  Details: AccessDenied",
      );
    });

    it("is the error's own message when the command printed nothing to stderr", () => {
      const error = Object.assign(new Error("spawn pulumi ENOENT"), { commandResult: { stderr: " \n" } });
      expect(engineMessage(error)).to.equal("spawn pulumi ENOENT");
      expect(engineMessage(Object.assign(new Error("spawn pulumi EACCES"), { commandResult: { stderr: undefined } }))).to.equal("spawn pulumi EACCES");
      expect(engineMessage(new Error("plain failure"))).to.equal("plain failure");
    });

    it("is the text of whatever was thrown that is not an error", () => {
      expect(engineMessage("a string thrown")).to.equal("a string thrown");
      expect(engineMessage(null)).to.equal("null");
    });

    it("keeps the first 20 lines and says how many more there were", () => {
      const stderr = Array.from({ length: 23 }, (_, i) => `line ${i + 1}`).join("\n");
      const lines = engineMessage(commandError(stderr)).split("\n");
      expect(lines).to.have.length(21);
      expect(lines[19]).to.equal("line 20");
      expect(lines[20]).to.equal("… (3 more lines)");
      expect(engineMessage(commandError(Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n"))).split("\n")).to.have.length(20);
    });
  });
});
