import { EXPRESSIBLE_CONSTRAINTS } from "../../infra/appconfig/feature-flags";
import { featureFlagsSchema } from "../../infra/appconfig/feature-flags-rules";
import type { AttributeDeclaration, FlagDeclaration } from "../../infra/stack-config";
import type { Diagnostics } from "./diagnostics";
import type { PipelineFile } from "./formats/pipeline-file";
import type { JsonPath, SourceFile } from "./source";

/*
 * Each flag of the catalogue becomes a flag definition in every stage's
 * AWS.AppConfig.FeatureFlags document, so the catalogue may declare only what that
 * format can hold. AppConfig's published JSON Schema for it
 * (https://docs.aws.amazon.com/appconfig/latest/userguide/appconfig-type-reference-feature-flags.html):
 * - a flag name is one line of 1 to 64 characters (customerDefinedName);
 * - an attribute description is at most 1024 characters (customerDefinedDescription);
 * - numberConstraints take `minimum` and `maximum` of type integer, and nothing else;
 * - stringConstraints take a `pattern` (at most 1024 characters) or an `enum` (strings of
 *   at most 1024 characters, or integers; at most 100 of them), never both
 *   (`"not": { "required": ["pattern", "enum"] }`);
 * - boolConstraints take no constraint; arrays constrain their elements as above.
 * And "enabled" is reserved: no attribute may be called that
 * (https://docs.aws.amazon.com/appconfig/latest/userguide/appconfig-creating-configuration-and-profile-feature-flags.html).
 * The limits are read from dcp's copy of that schema, which the program checks every
 * rendered document against: what passes here renders a document that passes there.
 */
const { flagDefinition, attributeDefinition, stringConstraints } = featureFlagsSchema.definitions;
const NAME_PATTERN = flagDefinition.properties.name.pattern;
const DESCRIPTION_MAX = attributeDefinition.properties.description.maxLength;
const PATTERN_MAX = stringConstraints.properties.pattern.maxLength;
const ENUM_MAX = stringConstraints.properties.enum.maxItems;
const ENUM_TEXT_MAX = stringConstraints.properties.enum.items.oneOf[0].maxLength;
const RESERVED_ATTRIBUTE = "enabled";
const CONSTRAINTS = ["minimum", "maximum", "pattern", "enum"] as const;

/** A flag whose expiry date is before `today` (YYYY-MM-DD, UTC). */
export function isExpired(flag: FlagDeclaration, today: string): boolean {
  return flag.expires !== undefined && flag.expires < today;
}

/** Every flag of the catalogue: expired ones (a warning), and anything AppConfig would refuse to hold. */
export function checkFlagCatalogue(pipeline: PipelineFile, source: SourceFile, today: string, diagnostics: Diagnostics): void {
  for (const [key, flag] of Object.entries(pipeline.flags ?? {})) {
    if (isExpired(flag, today)) {
      diagnostics.warning(source, ["flags", key, "expires"], `flag "${key}" expired on ${flag.expires}; switch it off, remove it from the code and then from the catalogue`);
    }
    // eslint-disable-next-line security/detect-non-literal-regexp -- AppConfig's own name pattern, a constant of its schema
    if (flag.name !== undefined && !new RegExp(NAME_PATTERN).test(flag.name)) {
      diagnostics.error(source, ["flags", key, "name"], `flag "${key}": its name must be one line of text; AppConfig takes a flag name of 1 to 64 characters without a line break`);
    }
    for (const [name, attribute] of Object.entries(flag.attributes ?? {})) {
      const report = (path: JsonPath, message: string, options?: { key?: boolean }) =>
        diagnostics.error(source, ["flags", key, "attributes", name, ...path], `flag "${key}" attribute "${name}": ${message}`, options);
      checkAttribute(name, attribute, report);
    }
  }
}

type Report = (path: JsonPath, message: string, options?: { key?: boolean }) => void;

function checkAttribute(name: string, attribute: AttributeDeclaration, report: Report): void {
  if (name === RESERVED_ATTRIBUTE) {
    // Stryker disable next-line ArrayDeclaration: a path below the attribute that does not exist is placed at the attribute's key all the same
    report([], `"${RESERVED_ATTRIBUTE}" is reserved: AppConfig keeps it for the flag's own on/off value; give the attribute another name`, { key: true });
  }
  if (attribute.description !== undefined && attribute.description.length > DESCRIPTION_MAX) {
    report(["description"], `description is ${attribute.description.length} characters long; AppConfig takes at most ${DESCRIPTION_MAX}`);
  }
  const expressible = EXPRESSIBLE_CONSTRAINTS[attribute.type];
  for (const constraint of CONSTRAINTS) {
    if (attribute[constraint] !== undefined && !expressible.includes(constraint)) {
      const allowed = expressible.length > 0 ? `${expressible.join(" and ")} only` : "nothing but required";
      report([constraint], `${constraint} does not apply to a ${attribute.type} attribute; AppConfig constrains a ${attribute.type} with ${allowed}`, { key: true });
    }
  }
  if (expressible.includes("minimum")) checkBounds(attribute, report);
  if (expressible.includes("pattern")) checkStringConstraints(attribute, report);
}

function checkBounds(attribute: AttributeDeclaration, report: Report): void {
  for (const bound of ["minimum", "maximum"] as const) {
    const value = attribute[bound];
    if (value !== undefined && !Number.isInteger(value)) {
      report([bound], `${bound} ${value} is not a whole number; AppConfig bounds number attributes by integers only. Use a whole-number bound, or give the attribute a finer unit (a percentage 0 to 100 rather than a fraction 0 to 1)`);
    }
  }
  if (attribute.minimum !== undefined && attribute.maximum !== undefined && attribute.minimum > attribute.maximum) {
    report(["minimum"], `minimum ${attribute.minimum} is above maximum ${attribute.maximum}, so no value could satisfy both`);
  }
}

function checkStringConstraints(attribute: AttributeDeclaration, report: Report): void {
  if (attribute.pattern !== undefined && attribute.enum !== undefined) {
    report(["enum"], `has both a pattern and an enum; AppConfig constrains a string attribute with one or the other, not both. Keep the enum (the values it allows), or drop it and let the pattern describe them`, { key: true });
  }
  if (attribute.pattern !== undefined) {
    if (attribute.pattern.length > PATTERN_MAX) {
      report(["pattern"], `pattern is ${attribute.pattern.length} characters long; AppConfig takes a pattern of at most ${PATTERN_MAX}`);
    }
    try {
      // eslint-disable-next-line security/detect-non-literal-regexp -- compiled only to report a pattern that does not compile; never run
      new RegExp(attribute.pattern);
    } catch (error) {
      // Stryker disable next-line Regex: V8's message starts with this prefix, so anchoring it changes nothing
      report(["pattern"], `pattern is not a valid regular expression (${(error as Error).message.replace(/^Invalid regular expression: /, "")})`);
    }
  }
  if (attribute.enum === undefined) return;
  if (attribute.enum.length > ENUM_MAX) {
    report(["enum"], `enum lists ${attribute.enum.length} values; AppConfig takes at most ${ENUM_MAX}`);
  }
  attribute.enum.forEach((value, i) => {
    if (typeof value !== "string") {
      // AppConfig would take an integer here, but a string attribute's value is never
      // a number, so the entry could never be chosen: the author meant the string.
      report(["enum", i], `enum value ${value} is a number, but the values of a ${attribute.type} attribute are strings; quote it ("${value}")`);
    } else if (value.length > ENUM_TEXT_MAX) {
      report(["enum", i], `enum value is ${value.length} characters long; AppConfig takes enum values of at most ${ENUM_TEXT_MAX}`);
    }
  });
}
