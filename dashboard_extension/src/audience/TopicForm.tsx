// Creating or changing a newsletter topic: its permanent slug, its name and description in the
// app's languages (other languages the topic has stay as they are) and its place in the
// preference centre. The server's errors show at the field they name; what was typed stays.
import { zodResolver } from "@hookform/resolvers/zod";
import { Box, Button } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { defineMessages, FormattedMessage, useIntl } from "react-intl";
import { z } from "zod";

import {
  NewsletterTopicCreateMutation,
  NewsletterTopicUpdateMutation,
} from "../api/audienceAdminOperations";
import { errorsAt, type MarketingError } from "../api/errors";
import { useApiMutation } from "../api/hooks";
import { Input } from "../components/Input";
import { FormErrors } from "../components/FormErrors";
import { Card } from "../components/Page";
import type { NewsletterTopicFieldsFragment } from "../gql/graphql";
import { LOCALES } from "../i18n/locales";

const topicSchema = z.object({
  slug: z.string(),
  names: z.record(z.string(), z.string()),
  descriptions: z.record(z.string(), z.string()),
  position: z.string().trim().regex(/^\d*$/, { message: "wholeNumber" }),
});
export type TopicValues = z.infer<typeof topicSchema>;

/** The fields errors are shown at; anything else is said above the save button. */
const FORM_FIELDS = ["slug", "names", "descriptions", "position"];

const LANGUAGE_NAMES = defineMessages({
  en: { id: "topics.language.en", defaultMessage: "English" },
  de: { id: "topics.language.de", defaultMessage: "German" },
  pl: { id: "topics.language.pl", defaultMessage: "Polish" },
});

const labels = defineMessages({
  slug: { id: "topics.field.slug", defaultMessage: "Slug" },
  slugHelp: {
    id: "topics.field.slugHelp",
    defaultMessage: "Letters, digits, hyphens and underscores; campaigns and links name the topic by it. It cannot change later.",
  },
  slugFixed: { id: "topics.field.slugFixed", defaultMessage: "The slug of a topic never changes." },
  name: { id: "topics.field.name", defaultMessage: "Name ({language})" },
  nameHelp: { id: "topics.field.nameHelp", defaultMessage: "Shown in the preference centre. Name the topic in at least one language." },
  description: { id: "topics.field.description", defaultMessage: "Description ({language})" },
  position: { id: "topics.field.position", defaultMessage: "Position" },
  positionHelp: { id: "topics.field.positionHelp", defaultMessage: "Topics are listed from the lowest number up." },
  wholeNumber: { id: "topics.field.wholeNumber", defaultMessage: "Enter a whole number, 0 or more." },
});

function texts(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

export function topicValues(topic: NewsletterTopicFieldsFragment | null): TopicValues {
  const names = texts(topic?.names);
  const descriptions = texts(topic?.descriptions);
  return {
    slug: topic?.slug ?? "",
    names: Object.fromEntries(LOCALES.map((code) => [code, names[code] ?? ""])),
    descriptions: Object.fromEntries(LOCALES.map((code) => [code, descriptions[code] ?? ""])),
    position: String(topic?.position ?? 0),
  };
}

/** The typed texts over the topic's own (languages the form does not show are kept). */
function merged(typed: Record<string, string>, stored: unknown): Record<string, string> {
  const result = { ...texts(stored) };
  for (const [code, text] of Object.entries(typed)) result[code] = text.trim();
  return result;
}

export function TopicForm({
  topic,
  onSaved,
  onCancel,
}: {
  /** The topic to change; null creates one. */
  topic: NewsletterTopicFieldsFragment | null;
  onSaved: (topic: NewsletterTopicFieldsFragment) => void;
  onCancel: () => void;
}) {
  const intl = useIntl();
  const create = useApiMutation(NewsletterTopicCreateMutation);
  const update = useApiMutation(NewsletterTopicUpdateMutation);
  const [errors, setErrors] = useState<MarketingError[]>([]);
  const form = useForm<TopicValues>({ resolver: zodResolver(topicSchema), defaultValues: topicValues(topic) });
  const at = (field: string) => errorsAt(errors, field).map((error) => error.message).join(" ") || undefined;
  const busy = create.isPending || update.isPending;
  // The form opens above the list (once per rule or topic: the page keys it): take the admin
  // to its first field.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => form.setFocus(topic ? "names.en" : "slug"), []);

  const submit = form.handleSubmit(async (values) => {
    const common = {
      names: merged(values.names, topic?.names),
      descriptions: merged(values.descriptions, topic?.descriptions),
      position: values.position.trim() === "" ? 0 : Number(values.position.trim()),
    };
    try {
      const result = topic
        ? (await update.mutateAsync({ id: topic.id, input: common })).newsletterTopicUpdate
        : (await create.mutateAsync({ input: { ...common, slug: values.slug.trim() } })).newsletterTopicCreate;
      if (result?.errors.length) {
        setErrors(result.errors);
        return;
      }
      setErrors([]);
      if (result?.newsletterTopic) onSaved(result.newsletterTopic);
    } catch (error) {
      setErrors([{ code: "GRAPHQL_ERROR", message: error instanceof Error ? error.message : String(error) }]);
    }
  });

  const title = topic
    ? intl.formatMessage({ id: "topics.form.edit", defaultMessage: "Edit “{name}”" }, { name: topic.slug })
    : intl.formatMessage({ id: "topics.form.new", defaultMessage: "New topic" });

  return (
    <Card title={title}>
      <form onSubmit={(event) => void submit(event)} noValidate aria-label={title}>
        <Box display="flex" flexDirection="column" gap={4} __maxWidth="720px">
          <Controller
            control={form.control}
            name="slug"
            render={({ field }) => (
              <Input
                size="small"
                label={intl.formatMessage(labels.slug)}
                {...field}
                disabled={topic !== null}
                error={Boolean(at("slug"))}
                helperText={at("slug") ?? intl.formatMessage(topic ? labels.slugFixed : labels.slugHelp)}
              />
            )}
          />
          <Box display="grid" gap={4} className="audience-languages">
            {LOCALES.map((code, index) => {
              const language = intl.formatMessage(LANGUAGE_NAMES[code]);
              const problem = index === 0 ? at("names") : undefined;
              return (
                <Controller
                  key={code}
                  control={form.control}
                  name={`names.${code}`}
                  render={({ field }) => (
                    <Input
                      size="small"
                      label={intl.formatMessage(labels.name, { language })}
                      {...field}
                      error={Boolean(at("names"))}
                      helperText={problem ?? (index === 0 ? intl.formatMessage(labels.nameHelp) : undefined)}
                    />
                  )}
                />
              );
            })}
          </Box>
          <Box display="grid" gap={4} className="audience-languages">
            {LOCALES.map((code, index) => {
              const language = intl.formatMessage(LANGUAGE_NAMES[code]);
              return (
                <Controller
                  key={code}
                  control={form.control}
                  name={`descriptions.${code}`}
                  render={({ field }) => (
                    <Input
                      size="small"
                      label={intl.formatMessage(labels.description, { language })}
                      {...field}
                      error={Boolean(at("descriptions"))}
                      helperText={index === 0 ? at("descriptions") : undefined}
                    />
                  )}
                />
              );
            })}
          </Box>
          <Box __maxWidth="200px">
            <Controller
              control={form.control}
              name="position"
              render={({ field, fieldState }) => {
                const problem = at("position") ?? (fieldState.error ? intl.formatMessage(labels.wholeNumber) : undefined);
                return (
                  <Input
                    size="small"
                    type="number"
                    label={intl.formatMessage(labels.position)}
                    {...field}
                    error={Boolean(problem)}
                    helperText={problem ?? intl.formatMessage(labels.positionHelp)}
                  />
                );
              }}
            />
          </Box>
          <FormErrors errors={errors} fields={FORM_FIELDS} />
          <Box display="flex" gap={2} flexWrap="wrap">
            <Button type="submit" variant="primary" disabled={busy}>
              {topic ? (
                <FormattedMessage id="topics.form.save" defaultMessage="Save topic" />
              ) : (
                <FormattedMessage id="topics.form.create" defaultMessage="Create topic" />
              )}
            </Button>
            <Button type="button" variant="secondary" disabled={busy} onClick={onCancel}>
              <FormattedMessage id="action.cancel" defaultMessage="Cancel" />
            </Button>
          </Box>
        </Box>
      </form>
    </Card>
  );
}
