/** A StackConfig as dcp resolves one for gamma-us-east-1, with enough in it to catch a lossy round trip. */
import type { StackConfig } from "../../infra/stack-config";

export function sampleConfig(releaseId = "0123456789ab"): StackConfig {
  return {
    workload: "storefront",
    stage: "gamma",
    region: "us-east-1",
    account: "222222222222",
    role: "arn:aws:iam::222222222222:role/dcp-deploy",
    production: false,
    rollout: { durationMinutes: 10, growthType: "LINEAR", growthFactor: 20, finalBakeMinutes: 10 },
    alarms: [
      {
        name: "checkout-5xx",
        namespace: "Storefront/Checkout",
        metric: "Http5xx",
        dimensions: { Service: "checkout" },
        statistic: "Sum",
        period: 60,
        evaluationPeriods: 3,
        threshold: 5,
        comparison: "GreaterThanOrEqualToThreshold",
      },
    ],
    flags: {
      "apple-pay": {
        declaration: { description: "Offer Apple Pay", owner: "team-payments", components: ["payments"] },
        value: { enabled: true },
      },
    },
    components: {
      checkout: { schema: { type: "object" }, config: { logLevel: "INFO", throttling: { requestsPerSecond: 100.5 } } },
    },
    metadata: { releaseId, releasedBy: "ada", gitCommit: "abc123", deployedContent: { "feature-flags": "ff01" } },
  };
}
