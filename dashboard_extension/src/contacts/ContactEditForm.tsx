// What the admin may change on a contact: tags, language, time zone, birthday and custom
// attributes (names, country and phone come from the shop). Only the fields changed are
// sent; the server's errors are shown at the field they name and what was typed stays.
import { zodResolver } from "@hookform/resolvers/zod";
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { FormattedMessage, useIntl } from "react-intl";
import { z } from "zod";

import { ContactUpdateMutation } from "../api/contactOperations";
import { errorsAt, type MarketingError } from "../api/errors";
import { useApiMutation } from "../api/hooks";
import { Input } from "../components/Input";
import { JsonEditor } from "../forms/SchemaForm";
import type { ContactFieldsFragment, ContactUpdateInput } from "../gql/graphql";
import { parseTags } from "./names";

const editSchema = z.object({
  tags: z.string(),
  languageCode: z.string(),
  timezone: z.string(),
  birthday: z.string(),
  attributes: z.unknown(),
});
type EditValues = z.infer<typeof editSchema>;
const FIELDS = ["tags", "languageCode", "timezone", "birthday", "attributes"] as const;

function initialValues(contact: ContactFieldsFragment): EditValues {
  const attributes = contact.attributes as Record<string, unknown> | null;
  return {
    tags: contact.tags.join(", "),
    languageCode: contact.languageCode,
    timezone: contact.timezone,
    birthday: contact.birthday ?? "",
    attributes: attributes && Object.keys(attributes).length ? attributes : undefined,
  };
}

/** The time zones the browser knows, offered while typing (the server checks the name). */
function timeZones(): string[] {
  try {
    return (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.("timeZone") ?? [];
  } catch {
    return [];
  }
}

export function ContactEditForm({
  contact,
  onSaved,
  onCancel,
}: {
  contact: ContactFieldsFragment;
  onSaved: (contact: ContactFieldsFragment) => void;
  onCancel: () => void;
}) {
  const intl = useIntl();
  const update = useApiMutation(ContactUpdateMutation);
  const [errors, setErrors] = useState<MarketingError[]>([]);
  const [zones] = useState(timeZones);
  const form = useForm<EditValues>({ resolver: zodResolver(editSchema), defaultValues: initialValues(contact) });
  const at = (field: string) => errorsAt(errors, field).map((error) => error.message).join(" ") || undefined;
  const general = errors.filter((error) => !FIELDS.some((field) => errorsAt([error], field).length));

  const submit = form.handleSubmit(async (values) => {
    const initial = initialValues(contact);
    const changed = (field: keyof EditValues) => JSON.stringify(values[field]) !== JSON.stringify(initial[field]);
    const input: ContactUpdateInput = {};
    if (changed("tags")) input.tags = parseTags(values.tags);
    if (changed("languageCode")) input.languageCode = values.languageCode.trim();
    if (changed("timezone")) input.timezone = values.timezone.trim();
    if (changed("birthday")) input.birthday = values.birthday || null;
    if (changed("attributes")) input.attributes = values.attributes ?? {};
    try {
      const result = (await update.mutateAsync({ id: contact.id, input })).contactUpdate;
      if (result?.errors.length) {
        setErrors(result.errors);
        return;
      }
      setErrors([]);
      if (result?.contact) onSaved(result.contact);
    } catch (error) {
      setErrors([{ code: "GRAPHQL_ERROR", message: error instanceof Error ? error.message : String(error) }]);
    }
  });

  return (
    <form
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label={intl.formatMessage({ id: "contacts.edit.form", defaultMessage: "Edit contact" })}
    >
      <Box display="flex" flexDirection="column" gap={4}>
        <Controller control={form.control} name="tags" render={({ field }) => (
          <Input
            size="small"
            label={intl.formatMessage({ id: "contacts.edit.tags", defaultMessage: "Tags" })}
            {...field}
            error={Boolean(at("tags"))}
            helperText={at("tags") ?? intl.formatMessage({ id: "contacts.edit.tagsHelp", defaultMessage: "Separate tags with commas." })}
          />
        )} />
        <Box display="grid" gap={4} className="facts-grid">
          <Controller control={form.control} name="languageCode" render={({ field }) => (
            <Input
              size="small"
              label={intl.formatMessage({ id: "contacts.edit.language", defaultMessage: "Language code" })}
              {...field}
              error={Boolean(at("languageCode"))}
              helperText={at("languageCode") ?? intl.formatMessage({ id: "contacts.edit.languageHelp", defaultMessage: "For example de or de-AT." })}
            />
          )} />
          <Controller control={form.control} name="timezone" render={({ field }) => (
            <Input
              size="small"
              list="contact-time-zones"
              label={intl.formatMessage({ id: "contacts.edit.timezone", defaultMessage: "Time zone" })}
              {...field}
              error={Boolean(at("timezone"))}
              helperText={at("timezone") ?? intl.formatMessage({ id: "contacts.edit.timezoneHelp", defaultMessage: "For example Europe/Berlin." })}
            />
          )} />
          <Controller control={form.control} name="birthday" render={({ field }) => (
            <Input
              size="small"
              type="date"
              label={intl.formatMessage({ id: "contacts.edit.birthday", defaultMessage: "Birthday" })}
              {...field}
              error={Boolean(at("birthday"))}
              helperText={at("birthday")}
            />
          )} />
        </Box>
        <datalist id="contact-time-zones">
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        <Controller control={form.control} name="attributes" render={({ field }) => (
          <JsonEditor
            label={intl.formatMessage({ id: "contacts.edit.attributes", defaultMessage: "Custom attributes (JSON object)" })}
            value={field.value}
            onChange={field.onChange}
            error={at("attributes")}
            help={intl.formatMessage(
              { id: "contacts.edit.attributesHelp", defaultMessage: "Campaign rules and templates can use them. Example: {example}" },
              { example: '{"shoe_size": 42}' },
            )}
          />
        )} />
        {general.length > 0 && (
          <Box role="alert" display="flex" flexDirection="column" gap={1}>
            {general.map((error) => (
              <Text key={`${error.field}-${error.message}`} size={3} color="critical1">
                {error.message}
              </Text>
            ))}
          </Box>
        )}
        <Box display="flex" gap={2}>
          <Button type="submit" variant="primary" disabled={update.isPending}>
            <FormattedMessage id="contacts.edit.save" defaultMessage="Save contact" />
          </Button>
          <Button type="button" variant="tertiary" disabled={update.isPending} onClick={onCancel}>
            <FormattedMessage id="action.cancel" defaultMessage="Cancel" />
          </Button>
        </Box>
      </Box>
    </form>
  );
}
