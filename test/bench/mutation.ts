/**
 * mutation-score: killed (or timed out) ÷ valid mutants over the whole mutation scope (goal
 * ≥ 0.80), then per folder (goal ≥ 0.85 for cli/pipeline and policies/). Read from
 * test/mutation/scores.json, which `npm run mutate` writes after each run; a mutation run
 * takes far too long to repeat here. Until every folder has been run, the scope figure is
 * printed as `mutation-score-partial`: the folders run so far.
 */
import * as fs from "node:fs";
import * as path from "node:path";

interface Score {
  killed: number;
  valid: number;
  score: number | null;
}

const SCORES = path.join(__dirname, "../mutation/scores.json");

export async function benchMutation(): Promise<Record<string, number>> {
  if (!fs.existsSync(SCORES)) return {};
  const { scope, folders } = JSON.parse(fs.readFileSync(SCORES, "utf8")) as { scope: Score & { complete: boolean }; folders: Record<string, Score> };
  const measured = Object.entries(folders).filter((entry): entry is [string, Score & { score: number }] => entry[1].score !== null);
  return {
    ...(scope.score === null ? {} : { [scope.complete ? "mutation-score" : "mutation-score-partial"]: scope.score }),
    ...Object.fromEntries(measured.map(([folder, { score }]) => [`mutation-score ${folder}`, score])),
  };
}
