import * as pulumi from "@pulumi/pulumi";
import { Application } from "@pulumi/aws/appconfig";
import { COMPONENT_TYPES } from "../component-types";

export interface ConfigApplicationArgs {
  workload: string;
}

/** The AppConfig application of the workload, in the stack's region. */
export class ConfigApplication extends pulumi.ComponentResource {
  readonly applicationId: pulumi.Output<string>;

  constructor(name: string, args: ConfigApplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENT_TYPES.application, name, {}, opts);
    const application = new Application(
      "application",
      { name: args.workload, description: `Feature flags and operational configuration of ${args.workload}, managed by dcp` },
      { parent: this },
    );
    this.applicationId = application.id;
    this.registerOutputs({ applicationId: this.applicationId });
  }
}
