// What the admin may change on a contact: names, country, phone, tags, language, time zone,
// birthday and custom attributes (the shop may update names, country and phone again when the
// customer changes them there). Only the fields changed are sent, with the time the copy was
// saved: someone else's save since is refused and said so. The server's errors are shown at the
// field they name and what was typed stays.
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
  firstName: z.string(),
  lastName: z.string(),
  country: z.string(),
  phone: z.string(),
  tags: z.string(),
  languageCode: z.string(),
  timezone: z.string(),
  birthday: z.string(),
  attributes: z.unknown(),
});
type EditValues = z.infer<typeof editSchema>;
const FIELDS = ["firstName", "lastName", "country", "phone", "tags", "languageCode", "timezone", "birthday", "attributes"] as const;
const TEXT_FIELDS = ["firstName", "lastName", "country", "phone", "languageCode", "timezone"] as const;

function initialValues(contact: ContactFieldsFragment): EditValues {
  const attributes = contact.attributes as Record<string, unknown> | null;
  return {
    firstName: contact.firstName,
    lastName: contact.lastName,
    country: contact.country,
    phone: contact.phone,
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
    for (const field of TEXT_FIELDS) {
      if (changed(field)) input[field] = values[field].trim();
    }
    if (changed("tags")) input.tags = parseTags(values.tags);
    if (changed("birthday")) input.birthday = values.birthday || null;
    if (changed("attributes")) input.attributes = values.attributes ?? {};
    try {
      // Someone else's save since this copy was loaded is refused, not overwritten.
      const result = (await update.mutateAsync({ id: contact.id, input, expectedUpdatedAt: contact.updatedAt })).contactUpdate;
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
        <Box display="grid" gap={4} className="facts-grid">
          <Controller control={form.control} name="firstName" render={({ field }) => (
            <Input
              size="small"
              autoComplete="off"
              label={intl.formatMessage({ id: "contacts.edit.firstName", defaultMessage: "First name" })}
              {...field}
              error={Boolean(at("firstName"))}
              helperText={at("firstName")}
            />
          )} />
          <Controller control={form.control} name="lastName" render={({ field }) => (
            <Input
              size="small"
              autoComplete="off"
              label={intl.formatMessage({ id: "contacts.edit.lastName", defaultMessage: "Last name" })}
              {...field}
              error={Boolean(at("lastName"))}
              helperText={at("lastName")}
            />
          )} />
          <Controller control={form.control} name="country" render={({ field }) => (
            <Input
              size="small"
              autoComplete="off"
              label={intl.formatMessage({ id: "contacts.edit.country", defaultMessage: "Country code" })}
              {...field}
              error={Boolean(at("country"))}
              helperText={at("country") ?? intl.formatMessage({ id: "contacts.edit.countryHelp", defaultMessage: "Two letters, e.g. DE." })}
            />
          )} />
          <Controller control={form.control} name="phone" render={({ field }) => (
            <Input
              size="small"
              inputMode="tel"
              autoComplete="off"
              label={intl.formatMessage({ id: "contacts.edit.phone", defaultMessage: "Phone" })}
              {...field}
              error={Boolean(at("phone"))}
              helperText={at("phone") ?? intl.formatMessage({ id: "contacts.edit.phoneHelp", defaultMessage: "With +country code, or as dialled in the contact's country." })}
            />
          )} />
        </Box>
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
