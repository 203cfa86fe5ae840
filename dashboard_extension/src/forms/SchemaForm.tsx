// A form for any step or trigger configuration, drawn from the JSON Schema the API serves
// for its type (campaignStepTypes.configSchema, campaignTriggerTypes.schema). A type the
// engine gains later gets a form without a change here.
import { Box, Button, Text } from "@saleor/macaw-ui";

import { Plus, Trash2 } from "lucide-react";
import { useEffect, useId, useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";

import { fieldLabels, labelOf } from "../i18n/labels";
import { Input } from "../components/Input";

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  items?: JsonSchema;
  title?: string;
  description?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  format?: string;
  pattern?: string;
  additionalProperties?: unknown;
}

export type FieldErrors = Record<string, string>;
type Json = Record<string, unknown>;

/** Where a field's value may name another step of the flow. */
const STEP_REFERENCES = new Set(["then", "else", "next"]);

export interface SchemaContext {
  stepKeys: string[];
  templateKeys: string[];
}

/** The API names error fields in camelCase, as Saleor does ("config.validDays"). */
export function camelPath(path: string): string {
  return path.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function types(schema: JsonSchema): string[] {
  return Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
}

function isRule(schema: JsonSchema): boolean {
  return types(schema).includes("object") && !schema.properties;
}

/** A JSON value edited as text: kept as typed while it does not parse. */
export function JsonEditor({
  id,
  label,
  value,
  onChange,
  error,
  help,
}: {
  id?: string;
  label: string;
  value: unknown;
  onChange: (value: unknown) => void;
  error?: string;
  help?: string;
}) {
  const intl = useIntl();
  const generated = useId();
  const fieldId = id ?? generated;
  const [text, setText] = useState(() => (value === undefined ? "" : JSON.stringify(value, null, 2)));
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    // A value replaced from outside (a save that succeeded) shows up; typing does not loop back.
    setText((current) => {
      try {
        if (current.trim() && JSON.stringify(JSON.parse(current)) === JSON.stringify(value)) return current;
      } catch {
        return current;
      }
      return value === undefined ? "" : JSON.stringify(value, null, 2);
    });
  }, [value]);
  const message = invalid
    ? intl.formatMessage({ id: "form.json.invalid", defaultMessage: "This is not valid JSON yet." })
    : error;
  return (
    <Box display="flex" flexDirection="column" gap={1}>
      <label htmlFor={fieldId} className="field-label">
        {label}
      </label>
      <textarea
        id={fieldId}
        className="json-editor"
        spellCheck={false}
        value={text}
        aria-invalid={Boolean(message)}
        aria-describedby={message || help ? `${fieldId}-help` : undefined}
        onChange={(event) => {
          setText(event.target.value);
          if (!event.target.value.trim()) {
            setInvalid(false);
            onChange(undefined);
            return;
          }
          try {
            onChange(JSON.parse(event.target.value));
            setInvalid(false);
          } catch {
            setInvalid(true);
          }
        }}
      />
      {(message || help) && (
        <Text id={`${fieldId}-help`} size={2} color={message ? "critical1" : "default2"}>
          {message ?? help}
        </Text>
      )}
    </Box>
  );
}

function Field({
  name,
  schema,
  value,
  onChange,
  path,
  errors,
  context,
  required,
}: {
  name: string;
  schema: JsonSchema;
  value: unknown;
  onChange: (value: unknown) => void;
  path: string;
  errors: FieldErrors;
  context: SchemaContext;
  required: boolean;
}) {
  const intl = useIntl();
  const id = useId();
  const label = `${labelOf(intl, fieldLabels, name, schema.title)}${required ? " *" : ""}`;
  const error = errors[camelPath(path)];
  const kinds = types(schema);

  if (STEP_REFERENCES.has(name) && kinds.includes("string") && context.stepKeys.length) {
    return (
      <Select id={id} label={label} value={String(value ?? "")} onChange={(next) => onChange(next || undefined)} error={error}
        options={context.stepKeys.map((key) => ({ value: key, label: key }))} />
    );
  }
  if (name === "template" && context.templateKeys.length) {
    const keys = [...new Set([...(value ? [String(value)] : []), ...context.templateKeys])];
    return (
      <Select id={id} label={label} value={String(value ?? "")} onChange={(next) => onChange(next || undefined)} error={error}
        options={keys.map((key) => ({ value: key, label: key }))} />
    );
  }
  if (schema.enum) {
    return (
      <Select id={id} label={label} value={String(value ?? "")} onChange={(next) => onChange(next || undefined)} error={error}
        options={schema.enum.map((option) => ({ value: String(option), label: String(option) }))} />
    );
  }
  if (kinds.includes("object") && kinds.includes("boolean") && schema.properties) {
    const enabled = value === true || (typeof value === "object" && value !== null);
    return (
      <Box display="flex" flexDirection="column" gap={3}>
        <label className="check-label">
          <input type="checkbox" checked={enabled} onChange={(event) => onChange(event.target.checked ? {} : false)} />
          {label}
        </label>
        {enabled && (
          <Box paddingLeft={6}>
            <SchemaFields schema={{ ...schema, type: "object" }} value={typeof value === "object" ? value : {}}
              onChange={onChange} path={path} errors={errors} context={context} />
          </Box>
        )}
        {error && <Text size={2} color="critical1">{error}</Text>}
      </Box>
    );
  }
  if (kinds[0] === "object" && schema.properties) {
    return (
      <Box as="fieldset" borderWidth={1} borderStyle="solid" borderColor="default1" borderRadius={3} padding={3} margin={0}>
        <Box as="legend" paddingX={1}>
          <Text size={2} color="default2">{label}</Text>
        </Box>
        <SchemaFields schema={schema} value={value} onChange={onChange} path={path} errors={errors} context={context} />
        {error && <Text size={2} color="critical1">{error}</Text>}
      </Box>
    );
  }
  if (isRule(schema) || (kinds.length > 1 && !kinds.every((kind) => ["string", "number", "null"].includes(kind)))) {
    return <JsonEditor id={id} label={label} value={value} onChange={onChange} error={error} help={schema.description} />;
  }
  if (kinds[0] === "array" && schema.items) {
    return <ArrayField name={name} label={label} schema={schema} value={value} onChange={onChange} path={path} errors={errors} context={context} />;
  }
  if (kinds[0] === "boolean") {
    return (
      <Box display="flex" flexDirection="column" gap={1}>
        <label className="check-label">
          <input type="checkbox" checked={Boolean(value)} onChange={(event) => onChange(event.target.checked)} />
          {label}
        </label>
        {error && <Text size={2} color="critical1">{error}</Text>}
      </Box>
    );
  }
  if (kinds[0] === "integer" || kinds[0] === "number") {
    return (
      <Input id={id} type="number" label={label} size="small" value={value === undefined || value === null ? "" : String(value)}
        error={Boolean(error)} helperText={error}
        onChange={(event) => {
          const text = event.target.value;
          // Kept as typed until it is a number: the server names what is wrong with it.
          const numeric = kinds[0] === "integer" ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
          onChange(text === "" ? undefined : numeric.test(text) ? Number(text) : text);
        }} />
    );
  }
  const inputType = schema.format === "date" ? "date" : schema.format === "date-time" ? "datetime-local" : "text";
  const shown = inputType === "datetime-local" && typeof value === "string" ? value.slice(0, 16) : String(value ?? "");
  return (
    <Input id={id} type={inputType} label={label} size="small" value={shown} error={Boolean(error)} helperText={error}
      onChange={(event) => {
        const text = event.target.value;
        if (text === "") onChange(kinds.includes("null") ? null : undefined);
        else onChange(inputType === "datetime-local" ? new Date(text).toISOString() : text);
      }} />
  );
}

function Select({
  id,
  label,
  value,
  onChange,
  options,
  error,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  error?: string;
}) {
  return (
    <Box display="flex" flexDirection="column" gap={1}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <select id={id} className="native-select" value={value} aria-invalid={Boolean(error)} onChange={(event) => onChange(event.target.value)}>
        <option value="">—</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {error && <Text size={2} color="critical1">{error}</Text>}
    </Box>
  );
}

function ArrayField({
  name,
  label,
  schema,
  value,
  onChange,
  path,
  errors,
  context,
}: {
  name: string;
  label: string;
  schema: JsonSchema;
  value: unknown;
  onChange: (value: unknown) => void;
  path: string;
  errors: FieldErrors;
  context: SchemaContext;
}) {
  const intl = useIntl();
  const id = useId();
  const items = Array.isArray(value) ? value : [];
  const itemSchema = schema.items!;
  const error = errors[camelPath(path)];
  if (types(itemSchema)[0] === "integer" && itemSchema.minimum === 0 && itemSchema.maximum === 6) {
    // Weekdays, Monday = 0 as Python counts them.
    const names = [0, 1, 2, 3, 4, 5, 6].map((day) =>
      intl.formatDate(new Date(Date.UTC(2024, 0, 1 + day)), { weekday: "short", timeZone: "UTC" }),
    );
    return (
      <Box as="fieldset" borderWidth={0} padding={0} margin={0} display="flex" flexDirection="column" gap={1}>
        <Box as="legend"><Text size={2} color="default2">{label}</Text></Box>
        <Box display="flex" gap={3} flexWrap="wrap">
          {names.map((dayName, day) => (
            <label key={day} className="check-label">
              <input type="checkbox" checked={items.includes(day)}
                onChange={(event) => {
                  const next = event.target.checked ? [...items, day].sort() : items.filter((item) => item !== day);
                  onChange(next.length ? next : undefined);
                }} />
              {dayName}
            </label>
          ))}
        </Box>
        {error && <Text size={2} color="critical1">{error}</Text>}
      </Box>
    );
  }
  if (types(itemSchema)[0] === "string" && !itemSchema.enum) {
    return (
      <Input id={id} label={label} size="small" value={items.join(", ")} error={Boolean(error)}
        helperText={error ?? intl.formatMessage({ id: "form.commaList", defaultMessage: "Separate several with commas." })}
        onChange={(event) => {
          const next = event.target.value.split(",").map((item) => item.trim()).filter(Boolean);
          onChange(next.length ? next : undefined);
        }} />
    );
  }
  if (types(itemSchema)[0] === "object" && itemSchema.properties) {
    return (
      <Box display="flex" flexDirection="column" gap={2}>
        <Text size={2} color="default2">{label}</Text>
        {items.map((item, index) => (
          <Box key={index} borderWidth={1} borderStyle="solid" borderColor="default1" borderRadius={3} padding={3} display="flex" flexDirection="column" gap={2}>
            <SchemaFields schema={itemSchema} value={item} path={`${path}[${index}]`} errors={errors} context={context}
              onChange={(next) => onChange(items.map((current, position) => (position === index ? next : current)))} />
            <Box>
              <Button type="button" variant="tertiary" size="small" icon={<Trash2 size={16} />}
                onClick={() => onChange(items.filter((_, position) => position !== index))}>
                <FormattedMessage id="form.remove" defaultMessage="Remove entry {number}" values={{ number: index + 1 }} />
              </Button>
            </Box>
          </Box>
        ))}
        <Box>
          <Button type="button" variant="secondary" size="small" icon={<Plus size={16} />} onClick={() => onChange([...items, {}])}>
            <FormattedMessage id="form.add" defaultMessage="Add" />
          </Button>
        </Box>
        {error && <Text size={2} color="critical1">{error}</Text>}
      </Box>
    );
  }
  return <JsonEditor id={id} label={label} value={value} onChange={onChange} error={error} help={name} />;
}

export function SchemaFields({
  schema,
  value,
  onChange,
  path = "",
  errors,
  context,
}: {
  schema: JsonSchema;
  value: unknown;
  onChange: (value: Json) => void;
  path?: string;
  errors: FieldErrors;
  context: SchemaContext;
}) {
  const current = (value && typeof value === "object" ? value : {}) as Json;
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) {
    return (
      <Text size={3} color="default2">
        <FormattedMessage id="form.noSettings" defaultMessage="This step has nothing to set." />
      </Text>
    );
  }
  return (
    <Box display="flex" flexDirection="column" gap={3}>
      {properties.map(([name, property]) => (
        <Field
          key={name}
          name={name}
          schema={property}
          value={current[name]}
          required={schema.required?.includes(name) ?? false}
          path={path ? `${path}.${name}` : name}
          errors={errors}
          context={context}
          onChange={(next) => {
            const updated = { ...current };
            if (next === undefined) delete updated[name];
            else updated[name] = next;
            onChange(updated);
          }}
        />
      ))}
    </Box>
  );
}

/** API error paths (``steps[2].config.variants[0].next``) as paths of this form. */
export function formErrors(
  errors: { field?: string | null; code?: string; message: string }[],
  prefix: RegExp,
): { fields: FieldErrors; general: string[] } {
  const fields: FieldErrors = {};
  const general: string[] = [];
  for (const error of errors) {
    // A conflict is about the whole copy being edited, not one field: its sentence says it all.
    if (error.code === "CONFLICT") {
      general.push(error.message);
      continue;
    }
    const path = (error.field ?? "").replace(prefix, "");
    if (error.field && path !== error.field && path) fields[path] = error.message;
    else if (error.field && prefix.test(error.field)) general.push(error.message);
    else general.push(error.field ? `${error.field}: ${error.message}` : error.message);
  }
  return { fields, general };
}
