import type { Plan } from "../pipeline/plan";
import { bold, dim, yellow } from "./style";
import { plural } from "./diagnostics";

/** The plan as a person reads it: stages in order, waves in order, each stack with its release id. */
export function renderPlan(plan: Plan): string {
  const stacks = plan.stages.flatMap((s) => s.waves.flatMap((w) => w.stacks));
  const waves = plan.stages.reduce((n, s) => n + s.waves.length, 0);
  const width = Math.max(...stacks.map((s) => s.name.length));
  const lines = [`${bold(plan.workload)}: ${plural(plan.stages.length, "stage")}, ${plural(waves, "wave")}, ${plural(stacks.length, "stack")}`];
  for (const [i, stage] of plan.stages.entries()) {
    const gate = stage.approval === "manual" ? yellow("  ⏸ manual approval required") : "";
    lines.push("", `${i + 1}. ${bold(stage.name)}${stage.production ? dim(" (production)") : ""}${gate}`);
    for (const [w, wave] of stage.waves.entries()) {
      lines.push(`   wave ${w + 1}/${stage.waves.length} ${bold(wave.name)} ${dim(`— bake ${wave.bakeMinutes} min`)}`);
      for (const stack of wave.stacks) {
        lines.push(`     ${stack.name.padEnd(width)}  ${stack.region.padEnd(15)} release ${stack.releaseId}`);
      }
    }
  }
  return lines.join("\n");
}

/** The plan as data for --json: no StackConfigs, only what a release walks. */
export function planAsJson(plan: Plan): unknown {
  return {
    workload: plan.workload,
    stages: plan.stages.map((stage) => ({
      name: stage.name,
      approval: stage.approval,
      production: stage.production,
      waves: stage.waves.map((wave) => ({
        name: wave.name,
        bakeMinutes: wave.bakeMinutes,
        stacks: wave.stacks.map((s) => ({ name: s.name, region: s.region, releaseId: s.releaseId })),
      })),
    })),
  };
}
