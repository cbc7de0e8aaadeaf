import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListTagsForResourceCommand,
  SetTopicAttributesCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-sns";
import { ignoringNotFound, readOrGone } from "./appconfig";
import { splitTags, tagChanges, tagsAll, type ResourceType } from "./resource";
import { asString, type Props } from "./values";

/** The topic arguments dcp may set, with the SNS attribute each one is. */
const ATTRIBUTES: Record<string, string> = {
  displayName: "DisplayName",
  kmsMasterKeyId: "KmsMasterKeyId",
  policy: "Policy",
  deliveryPolicy: "DeliveryPolicy",
};

function attributesOf(inputs: Props): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [key, attribute] of Object.entries(ATTRIBUTES)) {
    const value = asString(inputs[key]);
    if (value !== undefined && value !== "") attributes[attribute] = value;
  }
  if (inputs.fifoTopic === true) attributes.FifoTopic = "true";
  return attributes;
}

export const topic: ResourceType = {
  token: "aws:sns/topic:Topic",
  fields: {
    name: { forceNew: true },
    displayName: {},
    fifoTopic: { forceNew: true },
    kmsMasterKeyId: {},
    policy: { computed: true, json: true },
    deliveryPolicy: { json: true },
  },
  autonamed: true,
  taggable: true,
  computed: ["arn", "owner", "id"],
  async create(session, inputs) {
    const created = await session.sns.send(
      new CreateTopicCommand({
        Name: asString(inputs.name),
        Attributes: attributesOf(inputs),
        Tags: Object.entries(tagsAll(session, inputs.tags)).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    // A topic's id is its ARN.
    const id = created.TopicArn ?? "";
    return { id, outputs: (await this.read(session, id, inputs)) ?? {} };
  },
  async read(session, id) {
    const got = await readOrGone(() => session.sns.send(new GetTopicAttributesCommand({ TopicArn: id })));
    if (got === undefined) return undefined;
    const a = got.Attributes ?? {};
    const listed = await session.sns.send(new ListTagsForResourceCommand({ ResourceArn: id }));
    const tags = Object.fromEntries((listed.Tags ?? []).map((tag) => [tag.Key ?? "", tag.Value ?? ""]));
    return {
      arn: id,
      name: id.split(":").pop() ?? "",
      namePrefix: "",
      displayName: a.DisplayName ?? "",
      fifoTopic: a.FifoTopic === "true",
      kmsMasterKeyId: a.KmsMasterKeyId ?? "",
      policy: a.Policy ?? "",
      deliveryPolicy: a.DeliveryPolicy ?? "",
      owner: a.Owner ?? "",
      ...splitTags(session, tags),
    };
  },
  async update(session, id, olds, news) {
    for (const [key, attribute] of Object.entries(ATTRIBUTES)) {
      if (news[key] !== undefined && (olds[key] ?? "") !== (news[key] ?? "")) {
        await session.sns.send(
          new SetTopicAttributesCommand({ TopicArn: id, AttributeName: attribute, AttributeValue: asString(news[key]) ?? "" }),
        );
      }
    }
    const { tag, untag } = tagChanges((olds.tagsAll ?? {}) as Record<string, string>, tagsAll(session, news.tags));
    if (untag.length > 0) await session.sns.send(new UntagResourceCommand({ ResourceArn: id, TagKeys: untag }));
    if (Object.keys(tag).length > 0) {
      const tags = Object.entries(tag).map(([Key, Value]) => ({ Key, Value }));
      await session.sns.send(new TagResourceCommand({ ResourceArn: id, Tags: tags }));
    }
    return (await this.read(session, id, news)) ?? {};
  },
  async delete(session, id) {
    await ignoringNotFound(() => session.sns.send(new DeleteTopicCommand({ TopicArn: id })));
  },
};
