/**
 * The GitHub Actions pipeline users run (.github/workflows/pipeline.yml) against the dcp it
 * ships with: every dcp command line in it must parse, its stages must be envs/'s stages in
 * order, and each deploy job must get AWS credentials only through OIDC.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { compareVersions } from "../../cli/engine/pulumi-version";
import { pinnedCliVersion } from "../e2e/engine/engine";
import { dcpInvocations, parseWithoutRunning } from "./dcp-invocations";

const ROOT = path.resolve(__dirname, "../..");
const WORKFLOW_PATH = ".github/workflows/pipeline.yml";

interface Step {
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  "timeout-minutes"?: number;
  steps: Step[];
}
interface Workflow {
  on: Record<string, { branches?: string[] } | null>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const text = readFileSync(path.join(ROOT, WORKFLOW_PATH), "utf8");
const workflow = parse(text) as Workflow;
const jobs = Object.entries(workflow.jobs);
const stages = (parse(readFileSync(path.join(ROOT, "envs/pipeline.yaml"), "utf8")) as { stages: string[] }).stages;
const approvalOf = (stage: string) => (parse(readFileSync(path.join(ROOT, "envs", `${stage}.yaml`), "utf8")) as { approval?: string }).approval;

const invocationsOf = (job: Job) => job.steps.flatMap((step) => (step.run === undefined ? [] : dcpInvocations(step.run)));
/** A job's shell scripts, continued lines joined. */
const runsOf = (job: Job) => job.steps.map((step) => (step.run ?? "").replace(/\\\r?\n\s*/g, " ")).join("\n");
const needsOf = (job: Job) => [job.needs ?? []].flat();
const environmentOf = (job: Job) => (typeof job.environment === "object" ? job.environment.name : job.environment);

/** The deploy jobs: those that run `dcp release`, with what they release (a line dcp rejects has no args). */
const releases = jobs.flatMap(([id, job]) =>
  invocationsOf(job)
    .filter((argv) => argv[0] === "release")
    .map((argv) => {
      const parsed = parseWithoutRunning(argv);
      return { id, job, args: parsed.ok ? parsed.args : {} };
    }),
);

describe(`the pipeline definition (${WORKFLOW_PATH})`, () => {
  describe("its dcp command lines", () => {
    const all = jobs.flatMap(([id, job]) => invocationsOf(job).map((argv) => ({ id, argv })));

    it("include validate in the build and a release per stage", () => {
      expect(all.map((i) => `${i.id}: ${i.argv[0]}`)).to.include.members(["build: validate", ...stages.map((s) => `${s}: release`)]);
    });

    it("are all commands and options this dcp accepts", () => {
      const rejected = all.flatMap(({ id, argv }) => {
        const result = parseWithoutRunning(argv);
        return result.ok ? [] : [`${id}: dcp ${argv.join(" ")} → ${result.error}`];
      });
      expect(rejected).to.deep.equal([]);
    });

    it("ask for JSON output, so the release log is NDJSON for machines", () => {
      for (const { id, args } of releases) expect(args.json, id).to.equal(true);
    });
  });

  describe("its value diffs", () => {
    const diffs = jobs.flatMap(([id, job]) =>
      invocationsOf(job)
        .filter((argv) => argv[0] === "diff")
        .map((argv) => {
          const parsed = parseWithoutRunning(argv);
          return { id, job, args: parsed.ok ? parsed.args : {} };
        }),
    );

    it("show a pull request's changes against every stage of envs/, in the job summary", () => {
      expect(diffs.map((d) => d.args.stage)).to.deep.equal(stages);
      for (const { id, args } of diffs) expect(args.markdown, id).to.equal("$GITHUB_STEP_SUMMARY");
    });

    it("run on pull requests only, in a job that releases nothing and has no stage's environment", () => {
      for (const { id, job } of diffs) {
        expect(job.if, id).to.match(/github\.event_name == 'pull_request'/);
        expect(invocationsOf(job).filter((argv) => argv[0] !== "diff"), id).to.deep.equal([]);
        expect(job.environment, id).to.equal(undefined);
      }
    });

    it("write each release's value diff, waves and policy results to the job summary", () => {
      for (const { id, args } of releases) expect(args.markdown, id).to.equal("$GITHUB_STEP_SUMMARY");
    });
  });

  describe("its stages", () => {
    it("release each stage of envs/pipeline.yaml by itself, in its own job and GitHub environment", () => {
      expect(releases.map((r) => ({ job: r.id, environment: environmentOf(r.job), to: r.args.to, stage: r.args.stage }))).to.deep.equal(
        stages.map((stage) => ({ job: stage, environment: stage, to: stage, stage })),
      );
    });

    it("run in envs/ order: the first after the build, each later one after the one before", () => {
      stages.forEach((stage, i) => expect(needsOf(workflow.jobs[stage]!), stage).to.deep.equal([i === 0 ? "build" : stages[i - 1]]));
    });

    it("pass --approve exactly where the stage file asks for manual approval, which the GitHub environment then gives", () => {
      for (const { id, args } of releases) expect(args.approve, id).to.equal(approvalOf(id) === "manual");
      expect(releases.some((r) => r.args.approve), "a stage with manual approval (prod)").to.be.true;
    });

    it("deploy only from pushes to main, never from a pull request", () => {
      expect(workflow.jobs[stages[0]!]!.if).to.match(/github\.event_name == 'push'/).and.match(/github\.ref == 'refs\/heads\/main'/);
      expect(workflow.on.push?.branches).to.deep.equal(["main"]);
    });

    it("never run two releases of a stage at once, and never hold one stage for another: a concurrency group per stage that never cancels a release in progress", () => {
      const groups = releases.map((r) => r.job.concurrency);
      expect(new Set(groups.map((g) => g?.group))).to.have.property("size", releases.length);
      for (const { id, job } of releases) {
        expect(job.concurrency?.["cancel-in-progress"], id).to.equal(false);
        expect(job.concurrency?.group, id).to.include(id);
      }
    });

    it("keep the release's NDJSON log and verification report as artifacts", () => {
      for (const { id, job } of releases) {
        expect(runsOf(job), id).to.match(new RegExp(`\\| tee reports/${id}-release\\.ndjson`));
        const upload = job.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
        expect(upload?.with?.path, id).to.equal("reports/");
      }
    });

    it("publish their verification reports from a job that cannot mint an OIDC token", () => {
      for (const { id, job } of releases) {
        expect(job.steps.filter((s) => s.uses?.startsWith("mikepenz/action-junit-report@")), id).to.deep.equal([]);
        expect(job.permissions?.checks, id).to.equal(undefined);
        const publisher = jobs.find(([, other]) => other.steps.some((s) => s.with?.report_paths === `reports/${id}-verify.xml`));
        expect(publisher, `the job publishing reports/${id}-verify.xml`).to.not.equal(undefined);
        expect(needsOf(publisher![1]), publisher![0]).to.include(id);
        expect(publisher![1].permissions?.["id-token"], publisher![0]).to.equal(undefined);
      }
    });
  });

  describe("what runs beside the deploy credentials", () => {
    it("is the build job's dcp: each deploy job downloads it before running dcp and installs nothing", () => {
      for (const { id, job } of releases) {
        const runs = runsOf(job);
        expect(runs, id).not.to.match(/npm (ci|install|i|rebuild)\b|yarn|pnpm|npx (-y|--yes)\b|curl [^\n]*\| *(ba)?sh/);
        const download = job.steps.findIndex((s) => s.uses?.startsWith("actions/download-artifact@") && s.with?.name === "dcp-build");
        const releaseStep = job.steps.findIndex((s) => s.run !== undefined && dcpInvocations(s.run).some((a) => a[0] === "release"));
        expect(download, id).to.be.within(0, releaseStep - 1);
      }
      const upload = workflow.jobs.build!.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@") && s.with?.name === "dcp-build");
      expect(upload, "the build job uploads dcp-build").to.not.equal(undefined);
      expect(runsOf(workflow.jobs.build!)).to.match(/npm prune --omit=dev/);
    });

    it("runs dcp through npx without letting npx fetch a package of that name from the registry", () => {
      const npx = [...text.matchAll(/npx ([^\n]*)/g)].map((m) => m[1]!);
      expect(npx).to.not.be.empty;
      for (const line of npx) expect(line, `npx ${line}`).to.match(/^--no\b/);
    });

    it("uses the Pulumi CLI the end-to-end suite runs, which is no older than the SDK in package-lock.json", () => {
      const lock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version: string }> };
      const sdk = lock.packages["node_modules/@pulumi/pulumi"]!.version;
      const tested = pinnedCliVersion().replace(/^v/, "");
      expect(compareVersions(tested, sdk), `e2e CLI ${tested} vs SDK ${sdk}`).to.be.at.least(0);
      for (const { id, job } of releases) {
        expect(job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))?.with?.["pulumi-version"], id).to.equal(tested);
      }
    });

    it("runs every job that sets up Node.js on a version package.json's engines allows", () => {
      const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { engines: { node: string } };
      const minimum = /^>=(\d+)$/.exec(manifest.engines.node)?.[1];
      expect(minimum, `engines.node ${manifest.engines.node}`).to.be.a("string");
      const setups = jobs.flatMap(([id, job]) => job.steps.filter((s) => s.uses?.startsWith("actions/setup-node@")).map((s) => ({ id, step: s })));
      expect(setups).to.not.be.empty;
      for (const { id, step } of setups) expect(Number(step.with?.["node-version"]), id).to.be.at.least(Number(minimum));
    });

    it("gets the SBOM from the locked devDependency, not a package npx fetches", () => {
      const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
      expect(manifest.devDependencies).to.have.property("@cyclonedx/cyclonedx-npm");
      expect(text).not.to.match(/npx (-y|--yes)|@cyclonedx\/cyclonedx-npm@/);
    });
  });

  describe("its AWS access", () => {
    it("gives every deploy job an OIDC token and nothing more than read access to the repository", () => {
      for (const { id, job } of releases) {
        expect(job.permissions?.["id-token"], id).to.equal("write");
        expect(job.permissions?.contents, id).to.equal("read");
      }
      expect(workflow.permissions, "the workflow's default").to.deep.equal({ contents: "read" });
    });

    it("assumes the pipeline role through configure-aws-credentials, its ARN from a variable", () => {
      for (const { id, job } of releases) {
        const credentials = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
        expect(credentials?.with?.["role-to-assume"], id).to.match(/^\$\{\{\s*vars\.[A-Z_]+\s*\}\}$/);
        const releaseStep = job.steps.findIndex((s) => s.run !== undefined && dcpInvocations(s.run).some((a) => a[0] === "release"));
        expect(job.steps.indexOf(credentials!), id).to.be.lessThan(releaseStep);
      }
    });

    it("asks for an AWS session that lasts as long as the job may run, since the default hour ends mid-bake", () => {
      for (const { id, job } of releases) {
        const credentials = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
        expect(job["timeout-minutes"], `${id} timeout-minutes`).to.be.a("number");
        expect(credentials?.with?.["role-duration-seconds"], id).to.be.at.least((job["timeout-minutes"] ?? Infinity) * 60);
      }
    });

    it("holds no AWS access keys, stored or literal", () => {
      expect(text).not.to.match(/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN/i);
      expect(text).not.to.match(/secrets\.AWS_/);
      expect(text).not.to.match(/\b(AKIA|ASIA)[0-9A-Z]{16}\b/);
    });
  });

  describe("its build job", () => {
    const build = workflow.jobs.build!;
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

    it("runs on pull requests as well as pushes", () => {
      expect(workflow.on).to.have.property("pull_request");
      expect(build.if).to.equal(undefined);
    });

    it("runs every required build step: lint with SAST, typecheck, unit tests as JUnit, validate, secrets scan, audit, SBOM", () => {
      const runs = runsOf(build);
      for (const step of [/npm run lint\b/, /npm run typecheck\b/, /npm run test:ci\b/, /npx --no dcp validate --json/, /gitleaks\S* +git\b/, /npm audit --audit-level=high/, /npm audit signatures/, /cyclonedx-npm .*--output-file/]) {
        expect(runs).to.match(step);
      }
    });

    it("runs npm scripts that package.json defines, SAST included in lint and JUnit output in test:ci", () => {
      const used = [...text.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!);
      for (const script of used) expect(scripts, `npm run ${script}`).to.have.property(script);
      expect(readFileSync(path.join(ROOT, "eslint.config.mjs"), "utf8")).to.include("security.configs.recommended");
      expect(scripts["test:ci"]).to.match(/--reporter xunit/).and.match(/output=reports\/junit\.xml/);
    });

    it("publishes the unit test report even when tests fail", () => {
      const report = build.steps.find((s) => s.with?.report_paths === "reports/junit.xml");
      expect(report?.uses).to.match(/^mikepenz\/action-junit-report@/);
      expect(report?.if).to.match(/!cancelled\(\)|always\(\)/);
    });

    it("scans with gitleaks' image pinned by digest, which Dependabot keeps current", () => {
      const dockerfile = readFileSync(path.join(ROOT, ".github/gitleaks/Dockerfile"), "utf8");
      expect(dockerfile).to.match(/^FROM ghcr\.io\/gitleaks\/gitleaks:v[\d.]+@sha256:[0-9a-f]{64}$/m);
      expect(runsOf(build)).to.include("docker build --quiet --tag dcp-gitleaks .github/gitleaks");
    });

    it("checks out the whole history, which the secrets scan reads", () => {
      expect(build.steps.find((s) => s.uses?.startsWith("actions/checkout@"))?.with?.["fetch-depth"]).to.equal(0);
    });
  });

  it("checks out the whole history for every deploy job, which a rollback to an earlier release's program needs", () => {
    for (const { id, job } of releases) expect(job.steps.find((s) => s.uses?.startsWith("actions/checkout@"))?.with?.["fetch-depth"], id).to.equal(0);
  });

  it("pins every action by full commit SHA, its release tag in a comment", () => {
    const uses = [...text.matchAll(/^\s*(?:- )?uses: (.*)$/gm)].map((m) => m[1]!);
    expect(uses).to.not.be.empty;
    for (const use of uses) expect(use).to.match(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it("never leaves the checkout's token in the git config of a job", () => {
    const checkouts = jobs.flatMap(([id, job]) => job.steps.filter((s) => s.uses?.startsWith("actions/checkout@")).map((s) => ({ id, s })));
    expect(checkouts).to.not.be.empty;
    for (const { id, s } of checkouts) expect(s.with?.["persist-credentials"], id).to.equal(false);
  });

  it("keeps every artifact 14 days", () => {
    const uploads = jobs.flatMap(([id, job]) => job.steps.filter((s) => s.uses?.startsWith("actions/upload-artifact@")).map((s) => ({ id, s })));
    for (const { id, s } of uploads) expect(s.with?.["retention-days"], `${id}: ${String(s.with?.name)}`).to.equal(14);
  });

  it("has Dependabot keep the actions, the npm packages and the gitleaks image current", () => {
    const dependabot = parse(readFileSync(path.join(ROOT, ".github/dependabot.yml"), "utf8")) as { updates: Array<{ "package-ecosystem": string; directory: string }> };
    const watched = dependabot.updates.map((u) => `${u["package-ecosystem"]} ${u.directory}`);
    expect(watched).to.include.members(["github-actions /", "npm /", "docker /.github/gitleaks"]);
  });
});
