import { expect } from "chai";
import { resolveStacks } from "../../cli/config/resolve";
import { valuePaths } from "../../cli/config/value-paths";
import { sampleEnvsOf } from "../support/sample-envs";

describe("value paths of a resolved stack", () => {
  async function betaPaths() {
    const [beta] = resolveStacks(await sampleEnvsOf(), { stage: "beta" });
    return valuePaths(beta!.config);
  }

  it("names each flag's enabled and each attribute value by flags.<flag>.<name>", async () => {
    const paths = await betaPaths();
    expect(paths.get("flags.one-page-checkout.enabled")).to.equal(true);
    expect(paths.get("flags.one-page-checkout.rolloutPercent")).to.equal(100);
    expect(paths.get("flags.one-page-checkout.layout")).to.equal("expanded");
  });

  it("gives a flag the stage does not mention enabled false, as the release deploys it", async () => {
    const envs = await sampleEnvsOf();
    const stage = envs.stages[0]!;
    const { ["apple-pay"]: _unmentioned, ...flags } = stage.definition.flags ?? {};
    const [beta] = resolveStacks({ ...envs, stages: [{ ...stage, definition: { ...stage.definition, flags } }] });
    expect(valuePaths(beta!.config).get("flags.apple-pay.enabled")).to.equal(false);
  });

  it("names every component config value by its path inside the component, objects flattened, lists whole", async () => {
    const paths = await betaPaths();
    expect(paths.get("config.checkout.logLevel")).to.equal("DEBUG");
    expect(paths.get("config.checkout.throttling.requestsPerSecond")).to.equal(200);
    expect(paths.get("flags.search-v2.boostCategories")).to.deep.equal(["shoes", "outdoor"]);
  });

  it("names alarm fields by the alarm's name, and the rollout's fields by rollout.<field>", async () => {
    const paths = await betaPaths();
    expect(paths.get("alarms.checkout-5xx.threshold")).to.equal(20);
    expect(paths.get("alarms.checkout-5xx.dimensions.Service")).to.equal("checkout");
    expect(paths.get("rollout.durationMinutes")).to.equal(2);
  });

  it("leaves out where the stack is (stage, region, account, role): not values anybody promotes", async () => {
    const paths = [...(await betaPaths()).keys()];
    expect(paths.filter((p) => !/^(flags|config|alarms|rollout)\./.test(p))).to.deep.equal([]);
  });

  it("names a null value as a value of its own", async () => {
    const [beta] = resolveStacks(await sampleEnvsOf(), { stage: "beta" });
    const config = { ...beta!.config, components: { checkout: { schema: {}, config: { retries: { max: null } } } } };
    expect(valuePaths(config).get("config.checkout.retries.max")).to.equal(null);
  });
});
