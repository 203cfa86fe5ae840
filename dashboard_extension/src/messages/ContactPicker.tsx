// Whose data the preview and the test use: sample data, or a real contact found by name or
// email through the contact search.
import { Box } from "@saleor/macaw-ui";
import { useState } from "react";
import { useIntl } from "react-intl";

import { useApiQuery } from "../api/hooks";
import { TemplateContactSearchQuery } from "../api/templateOperations";
import { useSettled } from "../audience/useRulePreview";
import { Input } from "../components/Input";
import type { TemplateContactSearchQuery as SearchData } from "../gql/graphql";

export type PickedContact = NonNullable<NonNullable<NonNullable<SearchData["contacts"]>["edges"][number]>["node"]>;

export function contactLabel(contact: PickedContact): string {
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(" ");
  return name ? `${name} <${contact.email}>` : contact.email;
}

export function ContactPicker({
  value,
  onChange,
}: {
  value: PickedContact | null;
  onChange: (contact: PickedContact | null) => void;
}) {
  const intl = useIntl();
  const [search, setSearch] = useState("");
  const settled = useSettled(search.trim(), 300);
  const found = useApiQuery(TemplateContactSearchQuery, { search: settled || undefined }, { placeholderData: (previous) => previous });
  const contacts = (found.data?.contacts?.edges ?? []).flatMap((edge) => (edge?.node ? [edge.node] : []));
  const options = value && !contacts.some((contact) => contact.id === value.id) ? [value, ...contacts] : contacts;

  return (
    <Box display="flex" flexWrap="wrap" gap={3} alignItems="flex-end">
      <Box __flex="1 1 180px" __minWidth="0">
        <Input
          type="text"
          size="small"
          label={intl.formatMessage({ id: "messages.contact.search", defaultMessage: "Find a contact" })}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
      </Box>
      <label className="field-label" style={{ flex: "2 1 220px", minWidth: 0 }}>
        {intl.formatMessage({ id: "messages.contact.pick", defaultMessage: "Preview for" })}
        <select
          className="native-select"
          value={value?.id ?? ""}
          onChange={(event) => onChange(options.find((contact) => contact.id === event.target.value) ?? null)}
        >
          <option value="">{intl.formatMessage({ id: "messages.contact.sample", defaultMessage: "Sample data" })}</option>
          {options.map((contact) => (
            <option key={contact.id} value={contact.id}>
              {contactLabel(contact)}
            </option>
          ))}
        </select>
      </label>
    </Box>
  );
}
