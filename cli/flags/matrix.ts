/**
 * The flag matrix: every flag of the catalogue against every stage, as envs/ wants it
 * and (when asked) as the stacks run it, with the marks that say which flags need a
 * person's attention. Pure: the histories are read by the caller.
 */
import type { FlagDeclaration, FlagValue } from "../../infra/stack-config";
import type { Envs, ResolvedStack } from "../config/model";
import { flagMarks, type FlagMark } from "./marks";
import type { DeployedStack } from "../pipeline/deployed-config";
import type { HeldValue } from "./held-values";
import { sameFlagValue } from "./same-value";

/** One stage's value of a flag, over the regions that agree on it (every region of the stage, unless they differ). */
export interface FlagCell {
  stage: string;
  regions: string[];
  /** What envs/ wants. */
  wanted: FlagValue;
  /** With `deployed`: what those stacks run (their last successful update); null where they were never released. */
  deployed?: FlagValue | null;
  /** With `deployed`: an update after that one failed or never finished, so part of it may be live too. */
  unfinished?: true;
}

export interface FlagRow {
  key: string;
  /** The name AppConfig shows, when the catalogue gives one other than the key. */
  name?: string;
  description: string;
  owner: string;
  expires?: string;
  /** The stages whose file sets the flag; a stage that does not has it off. */
  setBy: string[];
  cells: FlagCell[];
  marks: FlagMark[];
  /** For a removal candidate: since when every stack has run its value. */
  unchangedSince?: string;
}

export interface FlagMatrix {
  stages: string[];
  /** The day the marks were judged on (YYYY-MM-DD, UTC). */
  today: string;
  staleDays: number;
  deployed: boolean;
  flags: FlagRow[];
}

export interface MatrixInput {
  envs: Envs;
  stacks: ResolvedStack[];
  /** Stack name → what it runs of each flag, from its release history. */
  held: ReadonlyMap<string, ReadonlyMap<string, HeldValue>>;
  now: Date;
  staleDays: number;
  /** Stack name → what it runs, to show beside what envs/ wants; absent: show only what envs/ wants. */
  deployed?: ReadonlyMap<string, DeployedStack>;
}

export function flagMatrix(input: MatrixInput): FlagMatrix {
  const { envs, stacks, held, now, staleDays, deployed } = input;
  const today = now.toISOString().slice(0, 10);
  const byStage = envs.stages.map((stage) => stacks.filter((s) => s.stage === stage.name));
  const flags = Object.entries(envs.pipeline.flags ?? {}).map(([key, declaration]) => {
    const setBy = envs.stages.filter((s) => s.definition.flags?.[key] !== undefined).map((s) => s.name);
    const cells = byStage.flatMap((stageStacks) => stageCells(key, stageStacks, deployed));
    const { marks, unchangedSince } = flagMarks({ key, declaration, setBy, stacks, held, today, now, staleDays });
    return rowOf(key, declaration, setBy, cells, marks, unchangedSince);
  });
  return { stages: envs.stages.map((s) => s.name), today, staleDays, deployed: deployed !== undefined, flags };
}

function rowOf(key: string, declaration: FlagDeclaration, setBy: string[], cells: FlagCell[], marks: FlagMark[], unchangedSince: string | undefined): FlagRow {
  return {
    key,
    ...(declaration.name !== undefined && declaration.name !== key && { name: declaration.name }),
    description: declaration.description,
    owner: declaration.owner,
    ...(declaration.expires !== undefined && { expires: declaration.expires }),
    setBy,
    cells,
    marks,
    ...(unchangedSince !== undefined && { unchangedSince }),
  };
}

/** The stage's stacks grouped by what they want and run, in wave order: one cell when they all agree. */
function stageCells(key: string, stacks: ResolvedStack[], deployed: MatrixInput["deployed"]): FlagCell[] {
  const cells: FlagCell[] = [];
  for (const stack of stacks) {
    const wanted = stack.config.flags[key]!.value;
    const running = deployed?.get(stack.name);
    const live = deployed ? (running?.config?.flags[key]?.value ?? null) : undefined;
    const unfinished = running?.unfinished === true;
    const cell = cells.find((c) => sameFlagValue(c.wanted, wanted) && sameFlagValue(c.deployed, live) && (c.unfinished === true) === unfinished);
    if (cell) cell.regions.push(stack.region);
    else cells.push({ stage: stack.stage, regions: [stack.region], wanted, ...(live !== undefined && { deployed: live }), ...(unfinished && { unfinished }) });
  }
  return cells;
}

