// One editor per kind of the rule language, each drawn from the kind's JSON Schema (ruleKinds)
// or the field's operators (ruleFields). A kind the builder has no editor for gets one from its
// schema; JSON the builder cannot read is edited as JSON.
import { Box, Button, Text } from "@saleor/macaw-ui";
import { Plus, Trash2 } from "lucide-react";
import { type ReactElement, useId } from "react";
import { FormattedMessage, type IntlShape, useIntl } from "react-intl";

import { type JsonSchema, JsonEditor } from "../forms/SchemaForm";
import type { RuleFieldDefinition, RuleKindDefinition } from "../gql/graphql";
import { consentLabels, labelOf, lifecycleLabels } from "../i18n/labels";
import { integerOrText, ListField, type Option, SelectField, shown, TextField } from "./inputs";
import { dateOperatorLabels, LIFECYCLE_STAGES, operatorLabels, propertyLabels } from "./labels";
import { useTagSuggestions } from "./useTagSuggestions";

export interface BuilderContext {
  /** Kinds a segment may use (scope CONTACT), without the groups. */
  kinds: Pick<RuleKindDefinition, "key" | "label" | "description" | "schema">[];
  fields: Pick<RuleFieldDefinition, "name" | "valueType" | "operators">[];
  segments: { pk: number; name: string }[];
  topics: { slug: string; name: string }[];
  /** Tags worth suggesting besides the ones found while typing (interest groups). */
  tags: string[];
  /** Event types known by name (ruleEventTypes); rules accept a storefront's own too. */
  eventTypes: { type: string; label: string }[];
}

export interface EditorProps {
  kind: string;
  spec: unknown;
  onChange: (spec: unknown) => void;
  /** The server's message for a part of the value (``value``, ``channel``; "" for the whole). */
  errorAt: (part: string) => string | undefined;
  context: BuilderContext;
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function schemaOf(context: BuilderContext, kind: string): JsonSchema {
  return (context.kinds.find((item) => item.key === kind)?.schema ?? {}) as JsonSchema;
}

function without(object: Json, key: string, value: unknown): Json {
  const next = { ...object };
  if (value === undefined || value === "") delete next[key];
  else next[key] = value;
  return next;
}

/** Operators as offered: "exists" both ways ("is set", "is not set"). */
function operatorOptions(intl: IntlShape, operators: readonly string[], dates = false): Option[] {
  const table = dates ? dateOperatorLabels : operatorLabels;
  return operators
    .flatMap((op) => (op === "exists" ? ["exists", "not_exists"] : [op]))
    .map((op) => ({ value: op, label: labelOf(intl, table, op) }));
}

function shownOperator(spec: Json): string {
  const op = typeof spec.op === "string" ? spec.op : "eq";
  return op === "exists" && spec.value === false ? "not_exists" : op;
}

/** A comparison's new value when its operator changes: kept where it still fits. */
function withOperator(spec: Json, next: string): Json {
  const { value, ...rest } = spec;
  if (next === "exists") return { ...rest, op: "exists" };
  if (next === "not_exists") return { ...rest, op: "exists", value: false };
  const wasList = spec.op === "in" || spec.op === "not_in";
  const isList = next === "in" || next === "not_in";
  const days = (op: unknown) => op === "within_days" || op === "older_than_days";
  if (spec.op === "exists" || wasList !== isList || days(spec.op) !== days(next)) return { ...rest, op: next };
  return { ...rest, op: next, value };
}

const DATE_TYPES = new Set(["date", "datetime"]);

export function FieldRuleEditor({ spec: raw, onChange, errorAt, context }: EditorProps) {
  const intl = useIntl();
  const spec = asObject(raw);
  const definition = context.fields.find((field) => field.name === spec.field);
  const valueType = definition?.valueType ?? "text";
  const op = shownOperator(spec);
  const operators = definition?.operators ?? [op];
  const valueLabel = intl.formatMessage({ id: "audience.builder.value", defaultMessage: "Value" });
  const setValue = (value: unknown) => onChange(without(spec, "value", value));

  let valueInput = null;
  if (op === "exists" || op === "not_exists") {
    valueInput = null;
  } else if (op === "within_days" || op === "older_than_days") {
    valueInput = (
      <TextField type="number" width="120px" label={intl.formatMessage({ id: "audience.builder.days", defaultMessage: "Days" })}
        value={shown(spec.value)} error={errorAt("value")} onChange={(text) => setValue(text === "" ? undefined : integerOrText(text))} />
    );
  } else if (op === "in" || op === "not_in") {
    if (valueType === "choice") {
      const chosen = Array.isArray(spec.value) ? spec.value : [];
      valueInput = (
        <Box as="fieldset" borderWidth={0} padding={0} margin={0} display="flex" flexDirection="column" gap={1}>
          <Box as="legend" className="field-label">{valueLabel}</Box>
          <Box display="flex" gap={3} flexWrap="wrap">
            {LIFECYCLE_STAGES.map((stage) => (
              <label key={stage} className="check-label">
                <input type="checkbox" checked={chosen.includes(stage)}
                  onChange={(event) => {
                    const next = event.target.checked ? [...chosen, stage] : chosen.filter((item) => item !== stage);
                    setValue(next.length ? next : undefined);
                  }} />
                {labelOf(intl, lifecycleLabels, stage.toUpperCase())}
              </label>
            ))}
          </Box>
          {errorAt("value") && <Text size={2} color="critical1">{errorAt("value")}</Text>}
        </Box>
      );
    } else {
      valueInput = (
        <ListField label={valueLabel} value={spec.value} error={errorAt("value")} onChange={setValue}
          help={intl.formatMessage({ id: "audience.builder.commaList", defaultMessage: "Separate several with commas." })}
          parseItem={valueType === "int" ? integerOrText : undefined} />
      );
    }
  } else if (valueType === "choice") {
    valueInput = (
      <SelectField label={valueLabel} value={shown(spec.value)} error={errorAt("value")} placeholder="—"
        onChange={(next) => setValue(next || undefined)}
        options={LIFECYCLE_STAGES.map((stage) => ({ value: stage, label: labelOf(intl, lifecycleLabels, stage.toUpperCase()) }))} />
    );
  } else if (valueType === "int") {
    valueInput = (
      <TextField type="number" width="120px" label={valueLabel} value={shown(spec.value)} error={errorAt("value")}
        onChange={(text) => setValue(text === "" ? undefined : integerOrText(text))} />
    );
  } else if (DATE_TYPES.has(valueType)) {
    valueInput = (
      <TextField type="date" width="170px" label={valueLabel} value={shown(spec.value).slice(0, 10)} error={errorAt("value")}
        onChange={(text) => setValue(text || undefined)} />
    );
  } else {
    valueInput = <TextField label={valueLabel} value={shown(spec.value)} error={errorAt("value")} onChange={(text) => setValue(text === "" && op !== "eq" && op !== "ne" ? undefined : text)} />;
  }

  return (
    <>
      <SelectField label={intl.formatMessage({ id: "audience.builder.operator", defaultMessage: "Operator" })} value={op}
        error={errorAt("op")} options={operatorOptions(intl, operators, DATE_TYPES.has(valueType))}
        onChange={(next) => onChange(withOperator(spec, next))} />
      {valueInput}
    </>
  );
}

export function AttributeRuleEditor({ kind, spec: raw, onChange, errorAt, context }: EditorProps) {
  const intl = useIntl();
  const spec = asObject(raw);
  const schema = schemaOf(context, kind);
  const operators = (schema.properties?.op?.enum as string[] | undefined) ?? ["eq"];
  const op = shownOperator(spec);
  const ordering = ["gt", "gte", "lt", "lte"].includes(op);
  const valueLabel = intl.formatMessage({ id: "audience.builder.value", defaultMessage: "Value" });
  return (
    <>
      <TextField label={intl.formatMessage(propertyLabels.key)} width="160px" value={shown(spec.key)} error={errorAt("key")}
        onChange={(text) => onChange({ ...spec, key: text })} />
      <SelectField label={intl.formatMessage({ id: "audience.builder.operator", defaultMessage: "Operator" })} value={op}
        error={errorAt("op")} options={operatorOptions(intl, operators)} onChange={(next) => onChange(withOperator(spec, next))} />
      {op === "in" || op === "not_in" ? (
        <ListField label={valueLabel} value={spec.value} error={errorAt("value")} onChange={(value) => onChange(without(spec, "value", value))}
          help={intl.formatMessage({ id: "audience.builder.commaList", defaultMessage: "Separate several with commas." })} />
      ) : op !== "exists" && op !== "not_exists" ? (
        <TextField label={valueLabel} value={shown(spec.value)} error={errorAt("value")}
          onChange={(text) => {
            // Sizes compare as numbers; anything else as typed.
            const numeric = ordering && /^-?\d+(\.\d+)?$/.test(text.trim());
            onChange({ ...spec, value: numeric ? Number(text) : text });
          }} />
      ) : null}
    </>
  );
}

export function TagRuleEditor({ spec, onChange, errorAt, context }: EditorProps) {
  const intl = useIntl();
  const listId = useId();
  const typed = shown(spec);
  const suggestions = useTagSuggestions(typed, context.tags);
  return (
    <>
      <TextField label={intl.formatMessage({ id: "audience.builder.tag", defaultMessage: "Tag" })} value={typed}
        error={errorAt("")} list={suggestions.length ? listId : undefined} onChange={onChange}
        help={intl.formatMessage({ id: "audience.builder.tagHelp", defaultMessage: "Pick a tag in use or type any other." })} />
      {suggestions.length > 0 && (
        <datalist id={listId}>
          {suggestions.map((tag) => (
            <option key={tag.name} value={tag.name} label={tag.contacts === null ? undefined
              : intl.formatMessage({ id: "audience.builder.tagContacts", defaultMessage: "{count, plural, one {# contact} other {# contacts}}" }, { count: tag.contacts })} />
          ))}
        </datalist>
      )}
    </>
  );
}

export function ConsentRuleEditor({ kind, spec: raw, onChange, errorAt, context }: EditorProps) {
  const intl = useIntl();
  const spec = asObject(raw);
  const properties = schemaOf(context, kind).properties ?? {};
  const channels = (properties.channel?.enum as string[] | undefined) ?? ["email"];
  const statuses = (properties.status?.enum as string[] | undefined) ?? ["subscribed"];
  const topic = shown(spec.topic);
  const topics = context.topics.some((item) => item.slug === topic) || !topic ? context.topics : [...context.topics, { slug: topic, name: topic }];
  return (
    <>
      <SelectField label={intl.formatMessage(propertyLabels.channel)} value={shown(spec.channel ?? "email")} error={errorAt("channel")}
        options={channels.map((channel) => ({ value: channel, label: labelOf(intl, consentLabels, channel.toUpperCase()) }))}
        onChange={(next) => onChange({ ...spec, channel: next })} />
      <SelectField label={intl.formatMessage(propertyLabels.topic)} value={topic} error={errorAt("topic")}
        placeholder={intl.formatMessage({ id: "audience.builder.topic.none", defaultMessage: "The channel as a whole" })}
        options={topics.map((item) => ({ value: item.slug, label: item.name }))}
        onChange={(next) => onChange(without(spec, "topic", next))} />
      <SelectField label={intl.formatMessage(propertyLabels.status)} value={shown(spec.status ?? "subscribed")} error={errorAt("status")}
        options={statuses.map((status) => ({ value: status, label: labelOf(intl, consentLabels, status.toUpperCase()) }))}
        onChange={(next) => onChange({ ...spec, status: next })} />
    </>
  );
}

export function EventRuleEditor({ spec: raw, onChange, errorAt, context }: EditorProps) {
  const intl = useIntl();
  const listId = useId();
  const spec = asObject(raw);
  const number = (key: string) => (
    <TextField type="number" width="130px" label={intl.formatMessage(propertyLabels[key as keyof typeof propertyLabels])}
      value={shown(spec[key])} error={errorAt(key)}
      onChange={(text) => onChange(without(spec, key, text === "" ? undefined : integerOrText(text)))} />
  );
  const more = ["where", "product_id", "category_id", "variant_id"].some((key) => spec[key] !== undefined || errorAt(key));
  return (
    <>
      <TextField label={intl.formatMessage(propertyLabels.type)} value={shown(spec.type)} error={errorAt("type")} list={listId}
        help={intl.formatMessage({ id: "audience.builder.eventTypeHelp", defaultMessage: "Pick a known type or type a storefront's own." })}
        onChange={(text) => onChange({ ...spec, type: text })} />
      <datalist id={listId}>
        {context.eventTypes.map((known) => (
          <option key={known.type} value={known.type} label={known.label} />
        ))}
      </datalist>
      {number("min_count")}
      {number("within_days")}
      <details className="rule-more" open={more}>
        <summary>
          <FormattedMessage id="audience.builder.event.more" defaultMessage="Products, categories and payload" />
        </summary>
        <Box display="flex" gap={3} flexWrap="wrap" marginTop={2} alignItems="flex-start">
          {(["product_id", "category_id", "variant_id"] as const).map((key) => (
            <ListField key={key} label={intl.formatMessage(propertyLabels[key])} value={spec[key]} error={errorAt(key)}
              onChange={(value) => onChange(without(spec, key, value && value.length === 1 ? value[0] : value))} />
          ))}
          <Box __flexBasis="100%">
            <JsonEditor label={intl.formatMessage(propertyLabels.where)} value={spec.where} error={errorAt("where")}
              help={intl.formatMessage({ id: "audience.builder.event.whereHelp", defaultMessage: "Payload keys and values, e.g. {example}" }, { example: '{"url": {"contains": "/espresso"}}' })}
              onChange={(value) => onChange(without(spec, "where", value))} />
          </Box>
        </Box>
      </details>
    </>
  );
}

export function ScoreRuleEditor({ kind, spec: raw, onChange, errorAt, context }: EditorProps) {
  const intl = useIntl();
  const spec = asObject(raw);
  const operators = Object.keys(schemaOf(context, kind).properties ?? { gte: {} });
  const entries = Object.entries(spec);
  const unused = operators.filter((op) => !(op in spec));
  const rename = (from: string, to: string) =>
    onChange(Object.fromEntries(entries.map(([op, value]) => [op === from ? to : op, value])));
  return (
    <Box display="flex" flexDirection="column" gap={2}>
      {entries.map(([op, value], index) => (
        <Box key={op} display="flex" gap={3} alignItems="flex-end" flexWrap="wrap">
          <SelectField label={intl.formatMessage({ id: "audience.builder.operator", defaultMessage: "Operator" })} value={op}
            options={[op, ...unused].map((item) => ({ value: item, label: labelOf(intl, operatorLabels, item) }))}
            onChange={(next) => rename(op, next)} />
          <TextField type="number" width="120px" label={intl.formatMessage({ id: "audience.builder.points", defaultMessage: "Points" })}
            value={shown(value)} error={errorAt(op)} onChange={(text) => onChange({ ...spec, [op]: integerOrText(text) })} />
          {entries.length > 1 && (
            <Button type="button" variant="tertiary" size="small" icon={<Trash2 size={16} aria-hidden />}
              aria-label={intl.formatMessage({ id: "audience.builder.score.remove", defaultMessage: "Remove bound {number}" }, { number: index + 1 })}
              onClick={() => onChange(Object.fromEntries(entries.filter(([item]) => item !== op)))} />
          )}
        </Box>
      ))}
      {unused.length > 0 && (
        <Box>
          <Button type="button" variant="tertiary" size="small" icon={<Plus size={16} aria-hidden />}
            onClick={() => onChange({ ...spec, [unused.includes("lte") ? "lte" : unused[0]]: "" })}>
            <FormattedMessage id="audience.builder.score.add" defaultMessage="Add bound" />
          </Button>
        </Box>
      )}
    </Box>
  );
}

export function SegmentRuleEditor({ spec, onChange, errorAt, context }: EditorProps) {
  const intl = useIntl();
  const value = shown(spec);
  const known = context.segments.some((segment) => String(segment.pk) === value);
  const options = context.segments.map((segment) => ({ value: String(segment.pk), label: segment.name }));
  if (value && !known) options.push({ value, label: `#${value}` });
  return (
    <SelectField label={intl.formatMessage({ id: "audience.builder.segment", defaultMessage: "Segment" })} value={value}
      error={errorAt("")} options={options} placeholder="—" onChange={(next) => onChange(next ? Number(next) : "")} />
  );
}

/** Any object kind, property by property from its schema (RFM, and kinds added later). */
export function PropertiesEditor({ kind, spec: raw, onChange, errorAt, context }: EditorProps) {
  const intl = useIntl();
  const spec = asObject(raw);
  const properties = Object.entries(schemaOf(context, kind).properties ?? {});
  return (
    <>
      {properties.map(([name, property]) => {
        const label = labelOf(intl, propertyLabels, name, property.title);
        const type = Array.isArray(property.type) ? property.type[0] : property.type;
        if (property.enum) {
          return (
            <SelectField key={name} label={label} value={shown(spec[name])} error={errorAt(name)} placeholder="—"
              options={property.enum.map((item) => ({ value: String(item), label: String(item) }))}
              onChange={(next) => onChange(without(spec, name, next || undefined))} />
          );
        }
        if (type === "integer" || type === "number") {
          return (
            <TextField key={name} type="number" width="150px" label={label} value={shown(spec[name])} error={errorAt(name)}
              onChange={(text) => onChange(without(spec, name, text === "" ? undefined : integerOrText(text)))} />
          );
        }
        if (type === "string") {
          return (
            <TextField key={name} width="150px" label={label} value={shown(spec[name])} error={errorAt(name)}
              onChange={(text) => onChange(without(spec, name, text))} />
          );
        }
        return (
          <Box key={name} __flexBasis="100%">
            <JsonEditor label={label} value={spec[name]} error={errorAt(name)} onChange={(value) => onChange(without(spec, name, value))} />
          </Box>
        );
      })}
    </>
  );
}

/** A kind whose value is one string or number, from its schema. */
function ScalarEditor({ kind, spec, onChange, errorAt, context }: EditorProps) {
  const intl = useIntl();
  const schema = schemaOf(context, kind);
  const label = intl.formatMessage({ id: "audience.builder.value", defaultMessage: "Value" });
  if (schema.type === "integer") {
    return <TextField type="number" label={label} value={shown(spec)} error={errorAt("")} onChange={(text) => onChange(integerOrText(text))} />;
  }
  return <TextField label={label} value={shown(spec)} error={errorAt("")} onChange={onChange} />;
}

export function RawEditor({ spec, onChange, errorAt }: EditorProps) {
  const intl = useIntl();
  return (
    <Box __flexBasis="100%">
      <JsonEditor label={intl.formatMessage({ id: "audience.builder.json", defaultMessage: "Rule (JSON)" })} value={spec}
        error={errorAt("")} onChange={(value) => onChange(value ?? {})} />
    </Box>
  );
}

const EDITORS: Record<string, { editor: (props: EditorProps) => ReactElement; parts: string[] }> = {
  field: { editor: FieldRuleEditor, parts: ["field", "op", "value"] },
  attribute: { editor: AttributeRuleEditor, parts: ["key", "op", "value"] },
  tag: { editor: TagRuleEditor, parts: [""] },
  consent: { editor: ConsentRuleEditor, parts: ["channel", "topic", "status"] },
  event: { editor: EventRuleEditor, parts: ["type", "min_count", "within_days", "where", "product_id", "category_id", "variant_id"] },
  score: { editor: ScoreRuleEditor, parts: ["eq", "ne", "gt", "gte", "lt", "lte"] },
  segment: { editor: SegmentRuleEditor, parts: [""] },
  "": { editor: RawEditor, parts: [""] },
};

/** The editor of a kind, and the parts of its value it shows errors at. */
export function editorFor(kind: string, context: BuilderContext): { editor: (props: EditorProps) => ReactElement; parts: string[] } {
  const known = EDITORS[kind];
  if (known) return known;
  const schema = schemaOf(context, kind);
  if (schema.properties) return { editor: PropertiesEditor, parts: Object.keys(schema.properties) };
  if (schema.type === "string" || schema.type === "integer") return { editor: ScalarEditor, parts: [""] };
  return EDITORS[""];
}

/** The value a rule of a kind starts with when it is picked. */
export function initialSpec(choice: string, context: BuilderContext): { key: string; spec: unknown } {
  if (choice.startsWith("field:")) {
    const name = choice.slice("field:".length);
    const field = context.fields.find((item) => item.name === name);
    const operators = field?.operators ?? ["eq"];
    const op = operators.includes("within_days") ? "within_days" : operators[0];
    return { key: "field", spec: { field: name, op } };
  }
  if (choice === "raw") return { key: "", spec: {} };
  const key = choice.slice("kind:".length);
  switch (key) {
    case "tag":
      return { key, spec: "" };
    case "consent":
      return { key, spec: { channel: "email", status: "subscribed" } };
    case "event":
      return { key, spec: { type: "" } };
    case "score":
      return { key, spec: { gte: "" } };
    case "segment":
      return { key, spec: context.segments[0]?.pk ?? "" };
    case "attribute":
      return { key, spec: { key: "", op: "eq" } };
  }
  const schema = schemaOf(context, key);
  return { key, spec: schema.type === "string" || schema.type === "integer" ? "" : {} };
}
