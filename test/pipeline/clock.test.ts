import { expect } from "chai";
import { systemClock } from "../../cli/pipeline/clock";

describe("the system clock", () => {
  it("stops sleeping when its signal aborts, as the bake and the lease rely on", async () => {
    const failure = await systemClock.sleep(60_000, AbortSignal.abort()).catch((error: unknown) => error);
    expect(failure).to.have.property("name", "AbortError");
  });
});
