import { expect } from "chai";
import { PassThrough } from "node:stream";
import { TerminalApprover } from "../../cli/ui/terminal-approver";

describe("the approval prompt at a terminal", () => {
  function prompt(answer: string) {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = "";
    output.on("data", (chunk: Buffer) => (shown += chunk.toString()));
    setImmediate(() => input.write(`${answer}\n`));
    return { approver: new TerminalApprover(input, output as unknown as NodeJS.WriteStream), shown: () => shown };
  }

  const summary = "prod: 6 stack(s) change in 3 wave(s)\nprod-us-east-1, prod-eu-west-1:\n  flags.saved-cards.enabled  true → false";

  it("shows the summary and the stage's value diff below it, and approves when the person types the stage's name", async () => {
    const { approver, shown } = prompt("prod");
    expect(await approver.approve("prod", summary)).to.equal(true);
    expect(shown()).to.include("prod-us-east-1, prod-eu-west-1:\n  flags.saved-cards.enabled  true → false\nType prod to release it");
  });

  it("refuses on anything but the stage's name", async () => {
    const { approver } = prompt("y");
    expect(await approver.approve("prod", summary)).to.equal(false);
  });
});
