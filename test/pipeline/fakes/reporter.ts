import type { PipelineEvent, PipelineEventType } from "../../../cli/pipeline/events";
import type { Reporter } from "../../../cli/pipeline/ports";

export class RecordingReporter implements Reporter {
  readonly events: PipelineEvent[] = [];

  emit(event: PipelineEvent): void {
    this.events.push(event);
  }

  of<T extends PipelineEventType>(type: T): Extract<PipelineEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<PipelineEvent, { type: T }> => e.type === type);
  }
}
