import { expect } from "chai";
import { SerialQueue } from "../../cli/engine/serial";

describe("the queue stack selections wait in", () => {
  it("starts each task once the one queued before it has finished, in the order queued", async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    let finishFirst!: () => void;
    const first = queue.run(async () => {
      log.push("first started");
      await new Promise<void>((resolve) => (finishFirst = resolve));
      log.push("first finished");
      return 1;
    });
    const second = queue.run(async () => {
      log.push("second started");
      return 2;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).to.deep.equal(["first started"]);
    finishFirst();
    expect(await Promise.all([first, second])).to.deep.equal([1, 2]);
    expect(log).to.deep.equal(["first started", "first finished", "second started"]);
  });

  it("runs the tasks queued after one that failed, and gives that one its failure", async () => {
    const queue = new SerialQueue();
    const failed = queue.run(async () => {
      throw new Error("stack select failed");
    });
    const next = queue.run(async () => "selected");
    expect(await failed.catch((error: Error) => error.message)).to.equal("stack select failed");
    expect(await next).to.equal("selected");
  });
});
