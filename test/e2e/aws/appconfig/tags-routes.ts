// TagResource / UntagResource / ListTagsForResource (botocore appconfig/2019-10-09): the ARN
// is one URI label, percent-encoded by the client.
import type { Context } from "./context";
import { notFound } from "./errors";
import { json, jsonBody, noContent, tagMap, type ApiRequest, type Router } from "./http";

// Accounts are not modelled (see FIDELITY.md): moto gives each assumed role's account its
// own credentials, and pulumi-aws builds the ARN from the account it looked up through STS,
// so an ARN is matched on its partition, service, region and resource, whatever its account.
const withoutAccount = (arn: string): string => arn.split(":").filter((_, i) => i !== 4).join(":");

export function addTagRoutes(router: Router, ctx: Context): void {
  const tagsOf = (req: ApiRequest, arn: string): Record<string, string> => {
    const wanted = withoutAccount(arn);
    // No resource lives under an empty or malformed account (what pulumi-aws sends when it
    // may not look the account up): AppConfig does not find it.
    const account = arn.split(":")[4] ?? "";
    const tags = !/^\d{12}$/.test(account) ? undefined : [...ctx.regions.get(req.region).tags.entries()].find(([key]) => withoutAccount(key) === wanted)?.[1];
    if (!tags) throw notFound(`Resource ${arn} not found`, arn);
    return tags;
  };

  router
    .add("GET", "/tags/{arn}", (req, p) => json(200, { Tags: tagsOf(req, p.arn ?? "") }))
    .add("POST", "/tags/{arn}", (req, p) => {
      Object.assign(tagsOf(req, p.arn ?? ""), tagMap(jsonBody(req)));
      return noContent;
    })
    .add("DELETE", "/tags/{arn}", (req, p) => {
      const tags = tagsOf(req, p.arn ?? "");
      for (const key of req.query.getAll("tagKeys")) delete tags[key];
      return noContent;
    });
}
