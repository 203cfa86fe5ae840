// Picking products (by SKU), categories or collections from the shop's catalogue: a search,
// its matches as buttons, the picks as removable chips in their order. A value the lookup
// does not know (a SKU added tomorrow) can be added as typed.
import { Box, Text } from "@saleor/macaw-ui";
import { X } from "lucide-react";
import { useEffect, useId, useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";

import { CatalogueSearchQuery } from "../api/composerOperations";
import { useApiQuery } from "../api/hooks";
import { Input } from "../components/Input";
import type { CatalogueLookupKindEnum } from "../gql/graphql";

function useDebounced<T>(value: T, delay = 300): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
  return debounced;
}

export function CataloguePicker({
  kind,
  label,
  values,
  onChange,
  error,
  single = false,
}: {
  kind: CatalogueLookupKindEnum;
  label: string;
  values: string[];
  onChange: (values: string[]) => void;
  error?: string;
  /** One value only (a product feed's collection): picking replaces it. */
  single?: boolean;
}) {
  const intl = useIntl();
  const id = useId();
  const [search, setSearch] = useState("");
  const query = useDebounced(search.trim());
  const results = useApiQuery(CatalogueSearchQuery, { kind, search: query }, { enabled: query.length >= 2 });
  const found = (results.data?.catalogueSearch ?? []).filter((choice) => !values.includes(choice.value));
  const labels = new Map((results.data?.catalogueSearch ?? []).map((choice) => [choice.value, choice.label]));
  const [known, setKnown] = useState<Map<string, string>>(new Map());
  const pick = (value: string, name?: string) => {
    if (name) setKnown((current) => new Map(current).set(value, name));
    onChange(single ? [value] : [...values.filter((item) => item !== value), value]);
    setSearch("");
  };
  return (
    <Box display="flex" flexDirection="column" gap={2}>
      <Text id={`${id}-label`} size={2} color="default2">
        {label}
      </Text>
      {values.length > 0 && (
        <Box as="ul" aria-labelledby={`${id}-label`} margin={0} padding={0} display="flex" gap={2} flexWrap="wrap">
          {values.map((value) => (
            <Box as="li" key={value} listStyleType="none" className="pick-chip">
              <span>{known.get(value) ?? labels.get(value) ?? value}</span>
              <button
                type="button"
                className="icon-button"
                aria-label={intl.formatMessage({ id: "composer.picker.remove", defaultMessage: "Remove {name}" }, { name: known.get(value) ?? value })}
                onClick={() => onChange(values.filter((item) => item !== value))}
              >
                <X size={14} aria-hidden />
              </button>
            </Box>
          ))}
        </Box>
      )}
      <Input
        size="small"
        label={intl.formatMessage({ id: "composer.picker.search", defaultMessage: "Search the catalogue" })}
        value={search}
        error={Boolean(error)}
        helperText={error}
        onChange={(event) => setSearch(event.target.value)}
        onKeyDown={(event) => {
          // Enter adds the first match (or the value as typed) instead of submitting the step.
          if (event.key === "Enter") {
            event.preventDefault();
            if (found[0]) pick(found[0].value, found[0].label);
            else if (search.trim()) pick(search.trim());
          }
        }}
      />
      {query.length >= 2 && (
        <Box as="ul" margin={0} padding={0} display="flex" flexDirection="column" gap={1} aria-live="polite">
          {found.map((choice) => (
            <Box as="li" key={choice.value} listStyleType="none">
              <button type="button" className="list-button" onClick={() => pick(choice.value, choice.label)}>
                {choice.label}
              </button>
            </Box>
          ))}
          {results.isSuccess && found.length === 0 && (
            <Box as="li" listStyleType="none" display="flex" flexDirection="column" gap={1}>
              <Text size={2} color="default2">
                <FormattedMessage id="composer.picker.none" defaultMessage="Nothing in the catalogue matches." />
              </Text>
              <button type="button" className="list-button compact" onClick={() => pick(query)}>
                <FormattedMessage id="composer.picker.asTyped" defaultMessage="Add “{value}” as typed" values={{ value: query }} />
              </button>
            </Box>
          )}
        </Box>
      )}
    </Box>
  );
}
