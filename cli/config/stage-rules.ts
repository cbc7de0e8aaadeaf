import { endpointProblem } from "../../infra/endpoint";
import type { Diagnostics } from "./diagnostics";
import type { PipelineFile } from "./formats/pipeline-file";
import type { StageFile } from "./formats/stage-file";
import type { SourceFile } from "./source";

/** Rules across one stage file that a schema cannot express. */
export function checkStage(stage: StageFile, source: SourceFile, diagnostics: Diagnostics): void {
  // arn:<partition>:iam::<account>:role/<name>, as the schema has already checked.
  const roleAccount = stage.role.split(":")[4];
  if (roleAccount !== stage.account) {
    diagnostics.error(source, ["role"], `deploy role is in account ${roleAccount} but the stage deploys to account ${stage.account}; use a role in the stage's own account`);
  }
  const regionSeen = new Map<string, string>();
  const waveSeen = new Set<string>();
  stage.waves.forEach((wave, w) => {
    if (waveSeen.has(wave.name)) diagnostics.error(source, ["waves", w, "name"], `wave name "${wave.name}" is used twice in this stage`);
    waveSeen.add(wave.name);
    wave.regions.forEach((region, r) => {
      const earlier = regionSeen.get(region);
      if (earlier !== undefined) {
        diagnostics.error(source, ["waves", w, "regions", r], `region ${region} is already in wave "${earlier}"; a region appears at most once per stage`);
      }
      regionSeen.set(region, wave.name);
    });
  });
  const alarmSeen = new Set<string>();
  // Stryker disable next-line ArrayDeclaration: one element that is not an alarm has no name to repeat, so it is reported as nothing, like no element
  (stage.alarms ?? []).forEach((alarm, a) => {
    if (alarmSeen.has(alarm.name)) diagnostics.error(source, ["alarms", a, "name"], `alarm name "${alarm.name}" is used twice in this stage`);
    alarmSeen.add(alarm.name);
  });
}

/** A stage's endpoint receives its deploy credentials: https, or loopback only, and only loopback in production. */
export function checkEndpoint(stage: StageFile, production: boolean, source: SourceFile, diagnostics: Diagnostics): void {
  if (stage.endpoint === undefined) return;
  const problem = endpointProblem(stage.endpoint, production);
  if (problem !== undefined) diagnostics.error(source, ["endpoint"], problem);
}

/** Rules of pipeline.yaml that refer across its own sections. */
export function checkPipeline(pipeline: PipelineFile, source: SourceFile, diagnostics: Diagnostics): void {
  (pipeline.production ?? []).forEach((stage, i) => {
    if (!pipeline.stages.includes(stage)) {
      diagnostics.error(source, ["production", i], `production stage "${stage}" is not in stages (${pipeline.stages.join(", ")})`);
    }
  });
  for (const [key, flag] of Object.entries(pipeline.flags ?? {})) {
    flag.components.forEach((component, i) => {
      if (!(component in pipeline.components)) {
        diagnostics.error(source, ["flags", key, "components", i], `flag "${key}" names component "${component}", which is not declared in components (${Object.keys(pipeline.components).join(", ")})`);
      }
    });
  }
}
