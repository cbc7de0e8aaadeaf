#!/usr/bin/env node
/**
 * `npm run mutate`: StrykerJS over the core, the adapters it names and the policy pack,
 * incremental against test/mutation/incremental.json (committed), so a re-run, and CI, only
 * test the mutants whose code or covering tests differ from what that file recorded. Then
 * writes the scores per folder to test/mutation/scores.json, which `npm run bench` prints.
 * Extra arguments go to `stryker run` (`-- --mutate 'policies/**\/*.ts'`, `-- --force`).
 *
 * `npm run mutate:changed` (CI, after the unit suite) does the same run and then fails when a
 * folder is below its goal and either its source differs from the committed incremental file
 * or its score fell below the committed one. A clean clone needs no git history for this: what
 * "changed" means is the difference between the checkout and the incremental file.
 *
 * `node scripts/mutate.js --summary` only rewrites scores.json from the incremental file
 * (after merging two branches' incremental files, say).
 */
const { spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const INCREMENTAL = path.join(ROOT, "test/mutation/incremental.json");
const SCORES = path.join(ROOT, "test/mutation/scores.json");
const EQUIVALENTS = path.join(ROOT, "test/mutation/equivalent-mutants.md");
const SCOPE_GOAL = 0.8;
/** Folders in the mutation scope and the score each must keep (issue #14). */
const GOALS = {
  "cli/pipeline": 0.85,
  "cli/config": SCOPE_GOAL,
  "cli/engine": SCOPE_GOAL,
  "cli/health": SCOPE_GOAL,
  "cli/verify": SCOPE_GOAL,
  policies: 0.85,
};
/** Mutants a test detects: killed outright, or made the tests hang. */
const DETECTED = new Set(["Killed", "Timeout"]);
/**
 * Stryker's reason for a static mutant it did not run (`ignoreStatic`): one in code that runs
 * when a module loads, which no test's coverage records, so it would run the whole suite.
 */
const isStatic = ({ status, statusReason }) => status === "Ignored" && /^Static mutant/.test(statusReason ?? "");
/** Mutants that count: detected ones plus those that survived or no test reached. */
const VALID = new Set([...DETECTED, "Survived", "NoCoverage"]);

function folderOf(file) {
  return Object.keys(GOALS).find((folder) => file.startsWith(`${folder}/`));
}

function readReport() {
  return fs.existsSync(INCREMENTAL) ? JSON.parse(fs.readFileSync(INCREMENTAL, "utf8")) : undefined;
}

/** killed ÷ valid for the whole scope and for each folder of it. */
function scores(report) {
  const tally = () => ({ killed: 0, valid: 0, static: 0 });
  const scope = tally();
  const folders = Object.fromEntries(Object.keys(GOALS).map((folder) => [folder, tally()]));
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const folder = folders[folderOf(path.relative(ROOT, path.resolve(ROOT, file)))];
    const counts = folder ? [scope, folder] : [scope];
    for (const mutant of mutants) {
      for (const count of counts) {
        count.static += isStatic(mutant) ? 1 : 0;
        count.valid += VALID.has(mutant.status) ? 1 : 0;
        count.killed += DETECTED.has(mutant.status) ? 1 : 0;
      }
    }
  }
  const withScore = (count) => ({ ...count, score: count.valid ? Number((count.killed / count.valid).toFixed(4)) : null });
  return {
    // Whole scope only once every folder has been run (they can be run one at a time).
    scope: { ...withScore(scope), goal: SCOPE_GOAL, complete: Object.values(folders).every((count) => count.valid > 0) },
    folders: Object.fromEntries(Object.entries(folders).map(([folder, count]) => [folder, { ...withScore(count), goal: GOALS[folder] }])),
  };
}

const digest = (text) => crypto.createHash("sha256").update(text).digest("hex");

/**
 * Folders with a file whose source differs between two incremental reports (each records
 * the source of every file that has mutants), or that only one of them has.
 */
function changedFolders(before, after) {
  const sources = (report) => new Map(Object.entries(report?.files ?? {}).map(([file, { source }]) => [path.relative(ROOT, path.resolve(ROOT, file)), digest(source)]));
  const [old, now] = [sources(before), sources(after)];
  const changed = new Set();
  for (const file of new Set([...old.keys(), ...now.keys()])) {
    if (old.get(file) !== now.get(file)) changed.add(folderOf(file));
  }
  changed.delete(undefined);
  return changed;
}

function runStryker(args) {
  // The package exports no bin/ path; its bin is found beside its package.json.
  const core = path.dirname(require.resolve("@stryker-mutator/core/package.json", { paths: [ROOT] }));
  const stryker = path.join(core, "bin", "stryker.js");
  const shim = path.join(__dirname, "mocha12-cli-paths.js");
  return spawnSync(process.execPath, ["--require", shim, stryker, "run", ...args], { cwd: ROOT, stdio: "inherit" }).status ?? 1;
}

/**
 * The mutants left alive on purpose: each marked in the source with
 * `// Stryker disable next-line <mutator>: <why it is equivalent>`, which Stryker reports as
 * Ignored with that reason. Listed in one file so a reviewer reads every reason at once.
 */
function writeEquivalents(report) {
  const rows = [];
  for (const [file, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    for (const mutant of mutants) {
      const { status, statusReason, mutatorName, replacement, location } = mutant;
      if (status !== "Ignored" || isStatic(mutant)) continue;
      const cell = (text) => String(text).replace(/\|/g, "\\|").replace(/\s+/g, " ");
      rows.push(`| ${file}:${location.start.line} | ${mutatorName} | \`${cell(replacement)}\` | ${cell(statusReason ?? "")} |`);
    }
  }
  const text = [
    "# Equivalent mutants",
    "",
    "Mutants no test can kill, because they behave as the code does. Each is marked in the source",
    "with `// Stryker disable next-line <mutator>: <reason>`; `npm run mutate` writes this list from",
    "its last run. They count neither as killed nor as valid.",
    "",
    "| where | mutator | replacement | why it is equivalent |",
    "|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
  fs.writeFileSync(EQUIVALENTS, text);
  return rows.length;
}

function writeScores() {
  const report = readReport();
  const now = scores(report);
  fs.writeFileSync(SCORES, `${JSON.stringify(now, null, 2)}\n`);
  const equivalents = writeEquivalents(report);
  console.log(`mutation score ${now.scope.score} (${now.scope.killed}/${now.scope.valid}, goal ${now.scope.goal})`);
  for (const [folder, { killed, valid, score, goal, static: statics }] of Object.entries(now.folders)) {
    console.log(`  ${folder}: ${score ?? "not run"} (${killed}/${valid}, goal ${goal}${statics ? `; ${statics} static mutant(s) not run` : ""})`);
  }
  console.log(`  ${equivalents} equivalent mutant(s) marked, listed in ${path.relative(ROOT, EQUIVALENTS)}`);
  return now;
}

function main(argv) {
  if (argv[0] === "--summary") {
    writeScores();
    return 0;
  }
  const check = argv[0] === "--check";
  const strykerArgs = check ? argv.slice(1) : argv;
  const before = readReport();
  const previous = before && scores(before);

  const status = runStryker(strykerArgs);
  if (status !== 0) return status;

  const now = writeScores();
  const touched = changedFolders(before, readReport());
  const failed = [];
  for (const [folder, { score, goal }] of Object.entries(now.folders)) {
    const before = previous?.folders[folder].score ?? null;
    const fell = score !== null && before !== null && score < before;
    if (score !== null && score < goal && (touched.has(folder) || fell)) failed.push(`${folder} (${score}${fell ? `, was ${before}` : ", its source changed"})`);
  }
  if (check && failed.length > 0) {
    console.error(`mutation score below goal in ${failed.join(", ")}: add the specs the surviving mutants in reports/mutation/index.html ask for`);
    return 1;
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
