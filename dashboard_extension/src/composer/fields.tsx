// The composer's inputs: a text for every language or one per language, a URL checked as it
// is typed (the server checks it again), a count kept as typed until it is a number.
import { Box, Text } from "@saleor/macaw-ui";
import { useId, useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import type { ZodType } from "zod";

import { Input } from "../components/Input";
import { LANGUAGES, MAX_ITEMS } from "./blocks";

type Localized = string | Record<string, string> | undefined;

const languageNames: Record<string, string> = { en: "English", de: "Deutsch", pl: "Polski" };

/** A text for every reader, or one per language (``{"en": ..., "de": ...}``). */
export function LocalizedField({
  label,
  value,
  onChange,
  error,
  multiline = false,
  help,
}: {
  label: string;
  value: unknown;
  onChange: (value: Localized) => void;
  error?: string;
  multiline?: boolean;
  help?: string;
}) {
  const intl = useIntl();
  const id = useId();
  const perLanguage = typeof value === "object" && value !== null;
  const texts = (perLanguage ? value : {}) as Record<string, string>;
  const single = typeof value === "string" ? value : "";
  const toggle = () => {
    if (perLanguage) {
      onChange(texts.en ?? Object.values(texts)[0] ?? "");
    } else {
      onChange(Object.fromEntries(LANGUAGES.map((language) => [language, language === "en" ? single : ""])));
    }
  };
  const setText = (language: string, text: string) => {
    const next = { ...texts, [language]: text };
    onChange(next);
  };
  const field = (fieldId: string, fieldLabel: string, text: string, change: (text: string) => void) =>
    multiline ? (
      <Box display="flex" flexDirection="column" gap={1}>
        <label htmlFor={fieldId} className="field-label">
          {fieldLabel}
        </label>
        <textarea
          id={fieldId}
          className="json-editor composer-text"
          value={text}
          aria-invalid={Boolean(error)}
          aria-describedby={error || help ? `${id}-help` : undefined}
          onChange={(event) => change(event.target.value)}
        />
      </Box>
    ) : (
      <Input id={fieldId} label={fieldLabel} size="small" value={text} error={Boolean(error)} onChange={(event) => change(event.target.value)} />
    );
  return (
    <Box display="flex" flexDirection="column" gap={1}>
      {perLanguage ? (
        <Box as="fieldset" margin={0} padding={0} borderWidth={0} display="flex" flexDirection="column" gap={2}>
          <Box as="legend" padding={0} marginBottom={1}>
            <Text size={2} color="default2">{label}</Text>
          </Box>
          {LANGUAGES.map((language) => (
            <div key={language}>
              {field(`${id}-${language}`, `${label} (${languageNames[language]})`, texts[language] ?? "", (text) => setText(language, text))}
            </div>
          ))}
        </Box>
      ) : (
        field(`${id}-all`, label, single, (text) => onChange(text))
      )}
      {(error || help) && (
        <Text id={`${id}-help`} size={2} color={error ? "critical1" : "default2"}>
          {error ?? help}
        </Text>
      )}
      <Box>
        <button type="button" className="link-button" onClick={toggle}>
          {perLanguage
            ? intl.formatMessage({ id: "composer.oneText", defaultMessage: "Use one text for every language" })
            : intl.formatMessage({ id: "composer.perLanguage", defaultMessage: "Write it per language" })}
        </button>
      </Box>
    </Box>
  );
}

/** A URL, checked by ``schema`` once the field is left; the server's error wins. */
export function UrlField({
  label,
  value,
  onChange,
  error,
  schema,
  invalidMessage,
  help,
}: {
  label: string;
  value: unknown;
  onChange: (value: string) => void;
  error?: string;
  schema: ZodType<string>;
  invalidMessage: string;
  help?: string;
}) {
  const [touched, setTouched] = useState(false);
  const text = typeof value === "string" ? value : "";
  const invalid = touched && text.trim() !== "" && !schema.safeParse(text).success;
  const message = error ?? (invalid ? invalidMessage : undefined);
  return (
    <Input
      label={label}
      size="small"
      type="url"
      value={text}
      error={Boolean(message)}
      helperText={message ?? help}
      onBlur={() => setTouched(true)}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}

/** How many items a product or feed block lists (1-12); kept as typed until it is a number. */
export function LimitField({ value, onChange, error }: { value: unknown; onChange: (value: unknown) => void; error?: string }) {
  const intl = useIntl();
  const text = value === undefined || value === null ? "" : String(value);
  const outOfRange = /^\d+$/.test(text) && (Number(text) < 1 || Number(text) > MAX_ITEMS);
  const message =
    error ??
    (outOfRange
      ? intl.formatMessage({ id: "composer.limit.range", defaultMessage: "Enter a whole number from 1 to {max}." }, { max: MAX_ITEMS })
      : undefined);
  return (
    <Input
      type="number"
      size="small"
      label={intl.formatMessage({ id: "composer.limit", defaultMessage: "How many" })}
      value={text}
      error={Boolean(message)}
      helperText={message}
      onChange={(event) => {
        const typed = event.target.value;
        onChange(typed === "" ? undefined : /^\d+$/.test(typed) ? Number(typed) : typed);
      }}
    />
  );
}

export function FieldError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <Text size={2} color="critical1">
      {message}
    </Text>
  );
}

export function Hint({ children }: { children: React.ReactNode }) {
  return (
    <Text size={2} color="default2">
      {children}
    </Text>
  );
}

export function EmptyNote() {
  return (
    <Hint>
      <FormattedMessage id="composer.divider.note" defaultMessage="A thin line between the blocks above and below." />
    </Hint>
  );
}
