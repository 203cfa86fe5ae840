// The small controls of the rule builder: a labelled native select, a text list typed with
// commas, numbers kept as typed until they are numbers (the server names what is wrong).
import { Box, Text } from "@saleor/macaw-ui";
import { useEffect, useId, useState } from "react";

import { Input } from "../components/Input";

export interface Option {
  value: string;
  label: string;
}

export function SelectField({
  label,
  value,
  options,
  onChange,
  error,
  groups,
  placeholder,
}: {
  label: string;
  value: string;
  options?: Option[];
  groups?: { label: string; options: Option[] }[];
  onChange: (value: string) => void;
  error?: string;
  placeholder?: string;
}) {
  const id = useId();
  return (
    <Box display="flex" flexDirection="column" gap={1} __minWidth="0">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <select
        id={id}
        className="native-select"
        value={value}
        aria-invalid={Boolean(error)}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => onChange(event.target.value)}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options?.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
        {groups?.map((group) => (
          <optgroup key={group.label} label={group.label}>
            {group.options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {error && (
        <Text id={`${id}-error`} size={2} color="critical1">
          {error}
        </Text>
      )}
    </Box>
  );
}

export function TextField({
  label,
  value,
  onChange,
  error,
  help,
  list,
  type = "text",
  width = "200px",
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  help?: string;
  list?: string;
  type?: "text" | "number" | "date";
  width?: string;
}) {
  return (
    <Box __flex={`1 1 ${width}`} __minWidth="0">
      <Input
        type={type}
        size="small"
        label={label}
        value={value}
        list={list}
        error={Boolean(error)}
        helperText={error ?? help}
        onChange={(event) => onChange(event.target.value)}
      />
    </Box>
  );
}

/** A whole number once it is one; what was typed otherwise, so the server can say why. */
export function integerOrText(text: string): number | string {
  return /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text;
}

export function shown(value: unknown): string {
  return value === undefined || value === null ? "" : String(value);
}

/** A list typed as "a, b, c": the text stays as typed while the list is sent. */
export function ListField({
  label,
  value,
  onChange,
  error,
  help,
  parseItem = (item) => item,
}: {
  label: string;
  value: unknown;
  onChange: (value: unknown[] | undefined) => void;
  error?: string;
  help?: string;
  parseItem?: (item: string) => unknown;
}) {
  const items = Array.isArray(value) ? value : value === undefined || value === null || value === "" ? [] : [value];
  const [text, setText] = useState(() => items.map(String).join(", "));
  const parse = (raw: string) => raw.split(",").map((item) => item.trim()).filter(Boolean).map(parseItem);
  useEffect(() => {
    // A list replaced from outside shows up; typing (a trailing comma) does not loop back.
    setText((current) => (JSON.stringify(parse(current)) === JSON.stringify(items) ? current : items.map(String).join(", ")));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [JSON.stringify(items)]);
  return (
    <TextField
      label={label}
      value={text}
      error={error}
      help={help}
      width="260px"
      onChange={(next) => {
        setText(next);
        const parsed = parse(next);
        onChange(parsed.length ? parsed : undefined);
      }}
    />
  );
}
