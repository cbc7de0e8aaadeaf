import * as pulumi from "@pulumi/pulumi";
import { ConfigurationProfile, HostedConfigurationVersion } from "@pulumi/aws/appconfig";
import { COMPONENT_TYPES } from "../component-types";
import type { ProfileContent } from "./profile-contents";

export interface ConfigProfilesArgs {
  applicationId: pulumi.Input<string>;
  profiles: ProfileContent[];
}

/** A profile's AppConfig ids, what a deployment of it needs. */
export interface HostedProfile {
  profileId: pulumi.Output<string>;
  versionNumber: pulumi.Output<number>;
}

/**
 * One AppConfig configuration profile per ProfileContent, hosted by AppConfig, with its
 * content as a hosted configuration version. Freeform profiles carry their component's
 * JSON Schema as a validator, so AppConfig itself refuses content the schema refuses.
 */
export class ConfigProfiles extends pulumi.ComponentResource {
  readonly hosted: Record<string, HostedProfile> = {};

  constructor(name: string, args: ConfigProfilesArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENT_TYPES.profiles, name, {}, opts);
    for (const content of args.profiles) {
      const profile = new ConfigurationProfile(
        content.name,
        {
          applicationId: args.applicationId,
          name: content.name,
          description: `${content.name}, managed by dcp`,
          locationUri: "hosted",
          type: content.type,
          validators:
            content.validatorSchema === undefined ? [] : [{ type: "JSON_SCHEMA", content: content.validatorSchema }],
          tags: { profile: content.name },
        },
        { parent: this },
      );
      const version = new HostedConfigurationVersion(
        hostedVersionName(content),
        {
          applicationId: args.applicationId,
          configurationProfileId: profile.configurationProfileId,
          content: content.content,
          contentType: "application/json",
          description: `${content.name} ${content.hash.slice(0, 12)}`,
        },
        // When AppConfig rolls a deployment back, it returns to the version deployed before:
        // replacing the content must not delete that version from under it. New content is a
        // new resource (the name carries its hash), so `content` itself is never diffed: AWS
        // stores feature flags with _createdAt/_updatedAt added, and pulumi-aws plans against
        // what AWS stored, which would replace unchanged flags on every release (pulumi-aws#2172).
        { parent: this, retainOnDelete: true, ignoreChanges: ["content"] },
      );
      this.hosted[content.name] = { profileId: profile.configurationProfileId, versionNumber: version.versionNumber };
    }
    this.registerOutputs({ hosted: this.hosted });
  }
}

/** One hosted version per content: its name carries the content hash, as a deployment's does. */
export function hostedVersionName(content: Pick<ProfileContent, "name" | "hash">): string {
  return `${content.name}-${content.hash.slice(0, 12)}`;
}
