/**
 * secret-recall: the share of the corpus's secret shapes the scanner finds (goal ≥ 0.98);
 * secret-false-positive-rate: the share of its harmless look-alikes it reports (goal ≤ 0.03).
 * The same detector serves `dcp validate` and the no-secrets-in-configuration policy.
 */
import { findSecretsIn } from "../../policies/secret-patterns";
import { LOOK_ALIKES, SECRETS, type CorpusEntry } from "../policies/secret-corpus";

const flagged = (entry: CorpusEntry) => findSecretsIn(entry.document).length > 0;

export async function benchSecrets(): Promise<Record<string, number>> {
  const missed = SECRETS.filter((entry) => !flagged(entry));
  const falseAlarms = LOOK_ALIKES.filter(flagged);
  if (process.env.DCP_BENCH_VERBOSE) {
    for (const entry of missed) console.error(`missed: ${entry.what}`);
    for (const entry of falseAlarms) console.error(`false positive: ${entry.what}`);
  }
  return {
    "secret-recall": Number((1 - missed.length / SECRETS.length).toFixed(3)),
    "secret-false-positive-rate": Number((falseAlarms.length / LOOK_ALIKES.length).toFixed(3)),
  };
}
