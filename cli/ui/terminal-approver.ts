import { createInterface } from "node:readline/promises";
import type { Approver } from "../pipeline/ports";
import { bold, yellow } from "./style";

/**
 * Asks the person at the terminal. They type the stage's name rather than "y",
 * so that an approval of prod is never a reflex.
 */
export class TerminalApprover implements Approver {
  constructor(
    private readonly input: NodeJS.ReadableStream = process.stdin,
    private readonly output: NodeJS.WriteStream = process.stderr,
  ) {}

  async approve(stage: string, summary: string): Promise<boolean> {
    const prompt = createInterface({ input: this.input, output: this.output });
    const cancel = new AbortController();
    // readline swallows Ctrl-C while it reads; a refusal is what the person means by it.
    prompt.on("SIGINT", () => cancel.abort());
    try {
      // The first line says what is asked; the value diff below it reads better uncoloured.
      const [headline = "", ...details] = summary.split("\n");
      const question = `${[yellow(headline, this.output), ...details].join("\n")}\nType ${bold(stage, this.output)} to release it, anything else to stop: `;
      const answer = await prompt.question(question, { signal: cancel.signal });
      return answer.trim() === stage;
    } catch {
      return false;
    } finally {
      prompt.close();
    }
  }
}
