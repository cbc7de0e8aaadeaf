import type { Approver } from "../../../cli/pipeline/ports";

/** Answers the prompts in order, as a person at a terminal would. */
export class ScriptedApprover implements Approver {
  readonly asked: string[] = [];

  constructor(private readonly answers: boolean[]) {}

  async approve(stage: string): Promise<boolean> {
    this.asked.push(stage);
    const answer = this.answers.shift();
    if (answer === undefined) throw new Error(`the approver was asked about ${stage} more often than scripted`);
    return answer;
  }
}
