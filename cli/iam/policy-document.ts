/** An IAM policy document, as dcp generates them: identity policies, a boundary and trust policies. */
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

export type ConditionBlock = Record<string, Record<string, string | string[]>>;

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: Record<string, string | string[]>;
  Condition?: ConditionBlock;
}

export function policy(statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** What every generated document for one stage is scoped by, read from envs/. */
export interface StageScope {
  workload: string;
  stage: string;
  account: string;
  /** The stage's deploy role (`role` in the stage file): its ARN gives the partition. */
  role: string;
  /** The bake's read-only role (`monitorRole` in the stage file), when the stage names one. */
  monitorRole?: string;
  /** Every region of the stage's waves. */
  regions: string[];
}

export function partitionOf(arn: string): string {
  return arn.split(":")[1] ?? "aws";
}
