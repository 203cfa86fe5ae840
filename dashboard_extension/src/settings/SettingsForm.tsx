// The settings Saleor's plugin page cannot show well: quiet hours, smart sending and the
// frequency cap, attribution windows, sender and storefront per channel, and the link signing
// secret (shown only as set or not). Only what changed is sent, with the version this copy was
// loaded at; the server checks the whole configuration as the plugin page does, and its errors
// show at the field they name while what was typed stays.
import { zodResolver } from "@hookform/resolvers/zod";
import { Box, Button, Text } from "@saleor/macaw-ui";
import { Plus, Trash2 } from "lucide-react";
import { type ReactNode, useState } from "react";
import { Controller, useFieldArray, useForm } from "react-hook-form";
import { defineMessages, FormattedMessage, useIntl } from "react-intl";
import { z } from "zod";

import { errorsAt, type MarketingError } from "../api/errors";
import { useApiMutation } from "../api/hooks";
import { MarketingSettingsUpdateMutation } from "../api/settingsOperations";
import { Input } from "../components/Input";
import { FormErrors } from "../components/FormErrors";
import { Card } from "../components/Page";
import type { MarketingSettingsFieldsFragment, MarketingSettingsInput } from "../gql/graphql";
import "./settings.css";

const NUMBER_FIELDS = [
  "smartSendingHours",
  "maxMarketingPerDay",
  "maxMarketingPerWeek",
  "attributionClickDays",
  "attributionOpenDays",
] as const;
type NumberField = (typeof NUMBER_FIELDS)[number];

const wholeNumber = z.string().trim().regex(/^\d+$/, { message: "wholeNumber" });
const settingsSchema = z.object({
  quietHours: z.string(),
  smartSendingHours: wholeNumber,
  maxMarketingPerDay: wholeNumber,
  maxMarketingPerWeek: wholeNumber,
  attributionClickDays: wholeNumber,
  attributionOpenDays: wholeNumber,
  channels: z.array(
    z.object({ slug: z.string(), senderName: z.string(), senderAddress: z.string(), storefrontUrl: z.string() }),
  ),
  signingSecret: z.string(),
});
export type SettingsValues = z.infer<typeof settingsSchema>;

/** The fields errors are shown at; anything else is said above the save button. */
const FORM_FIELDS = ["quietHours", ...NUMBER_FIELDS, "channels", "signingSecret"];

const labels = defineMessages({
  quietHours: { id: "shopSettings.quietHours", defaultMessage: "Quiet hours" },
  quietHoursHelp: {
    id: "shopSettings.quietHoursHelp",
    defaultMessage: "HH:MM-HH:MM in each contact's local time, e.g. 21:00-08:00. Marketing falling inside waits until the end. Empty: none.",
  },
  smartSendingHours: { id: "shopSettings.smartSendingHours", defaultMessage: "Smart sending window (hours)" },
  smartSendingHoursHelp: {
    id: "shopSettings.smartSendingHoursHelp",
    defaultMessage: "A contact who got marketing email this recently is skipped by further marketing email. 0 turns it off.",
  },
  maxMarketingPerDay: { id: "shopSettings.maxMarketingPerDay", defaultMessage: "Marketing messages per contact and day" },
  maxMarketingPerWeek: { id: "shopSettings.maxMarketingPerWeek", defaultMessage: "Marketing messages per contact and week" },
  capHelp: {
    id: "shopSettings.capHelp",
    defaultMessage: "Over every campaign and channel; transactional messages do not count. 0: no cap.",
  },
  attributionClickDays: { id: "shopSettings.attributionClickDays", defaultMessage: "After a click (days)" },
  attributionClickDaysHelp: {
    id: "shopSettings.attributionClickDaysHelp",
    defaultMessage: "An order this many days after a click on a campaign message is credited to it (0 to 90).",
  },
  attributionOpenDays: { id: "shopSettings.attributionOpenDays", defaultMessage: "After an open (days)" },
  attributionOpenDaysHelp: {
    id: "shopSettings.attributionOpenDaysHelp",
    defaultMessage: "Without a click, an order this many days after an open is credited to it (0 to 90; 0: opens never earn an order).",
  },
  wholeNumber: { id: "shopSettings.wholeNumber", defaultMessage: "Enter a whole number." },
  locked: {
    id: "shopSettings.locked",
    defaultMessage: "Fixed in the server's configuration (SALEOR_MA_PLUGIN); change it there.",
  },
  slug: { id: "shopSettings.channel.slug", defaultMessage: "Channel slug" },
  senderName: { id: "shopSettings.channel.senderName", defaultMessage: "Sender name" },
  senderAddress: { id: "shopSettings.channel.senderAddress", defaultMessage: "Sender address" },
  storefrontUrl: { id: "shopSettings.channel.storefrontUrl", defaultMessage: "Storefront URL" },
  channel: { id: "shopSettings.channel.group", defaultMessage: "Channel {number}" },
  removeChannel: { id: "shopSettings.channel.remove", defaultMessage: "Remove channel {number}" },
  newSecret: { id: "shopSettings.secret.new", defaultMessage: "New signing secret" },
  newSecretHelp: {
    id: "shopSettings.secret.newHelp",
    defaultMessage: "Leave empty to keep the current one. A new secret stops links in mail already sent from working.",
  },
});

export function initialValues(settings: MarketingSettingsFieldsFragment): SettingsValues {
  return {
    quietHours: settings.quietHours,
    smartSendingHours: String(settings.smartSendingHours),
    maxMarketingPerDay: String(settings.maxMarketingPerDay),
    maxMarketingPerWeek: String(settings.maxMarketingPerWeek),
    attributionClickDays: String(settings.attributionClickDays),
    attributionOpenDays: String(settings.attributionOpenDays),
    channels: settings.channels.map(({ slug, senderName, senderAddress, storefrontUrl }) => ({ slug, senderName, senderAddress, storefrontUrl })),
    signingSecret: "",
  };
}

/** What changed since the copy was loaded, as the mutation's input. */
export function changedInput(values: SettingsValues, initial: SettingsValues): MarketingSettingsInput {
  const input: MarketingSettingsInput = {};
  if (values.quietHours.trim() !== initial.quietHours) input.quietHours = values.quietHours.trim();
  for (const field of NUMBER_FIELDS) {
    if (values[field].trim() !== initial[field]) input[field] = Number(values[field].trim());
  }
  const channels = values.channels.map((channel) => ({
    slug: channel.slug.trim(),
    senderName: channel.senderName.trim(),
    senderAddress: channel.senderAddress.trim(),
    storefrontUrl: channel.storefrontUrl.trim(),
  }));
  if (JSON.stringify(channels) !== JSON.stringify(initial.channels)) input.channels = channels;
  if (values.signingSecret.trim()) input.signingSecret = values.signingSecret.trim();
  return input;
}

function Section({ title, help, children }: { title: ReactNode; help?: ReactNode; children: ReactNode }) {
  return (
    <Card title={title}>
      <Box display="flex" flexDirection="column" gap={4}>
        {help && (
          <Text size={2} color="default2">
            {help}
          </Text>
        )}
        {children}
      </Box>
    </Card>
  );
}

export function SettingsForm({
  settings,
  onSaved,
}: {
  settings: MarketingSettingsFieldsFragment;
  onSaved: (settings: MarketingSettingsFieldsFragment) => void;
}) {
  const intl = useIntl();
  const update = useApiMutation(MarketingSettingsUpdateMutation);
  const [errors, setErrors] = useState<MarketingError[]>([]);
  const [saved, setSaved] = useState(false);
  // The copy being edited: a refetch in the background must not move it (or the conflict
  // check would compare with a version the admin never saw).
  const [loaded, setLoaded] = useState(settings);
  const form = useForm<SettingsValues>({ resolver: zodResolver(settingsSchema), defaultValues: initialValues(loaded) });
  const channels = useFieldArray({ control: form.control, name: "channels" });
  const locked = new Set(loaded.lockedFields);
  const at = (field: string) => errorsAt(errors, field).map((error) => error.message).join(" ") || undefined;

  const submit = form.handleSubmit(async (values) => {
    setSaved(false);
    const input = changedInput(values, initialValues(loaded));
    try {
      const result = (await update.mutateAsync({ input, expectedVersion: loaded.version })).marketingSettingsUpdate;
      if (result?.errors.length) {
        setErrors(result.errors);
        return;
      }
      setErrors([]);
      if (result?.settings) {
        setLoaded(result.settings);
        form.reset(initialValues(result.settings));
        onSaved(result.settings);
      }
      setSaved(true);
    } catch (error) {
      setErrors([{ code: "GRAPHQL_ERROR", message: error instanceof Error ? error.message : String(error) }]);
    }
  });

  const textField = (name: "quietHours" | NumberField, help: string, numeric = name !== "quietHours") => (
    <Controller
      control={form.control}
      name={name}
      render={({ field, fieldState }) => {
        const problem = at(name) ?? (fieldState.error ? intl.formatMessage(labels.wholeNumber) : undefined);
        return (
          <Input
            size="small"
            type={numeric ? "number" : "text"}
            label={intl.formatMessage(labels[name])}
            {...field}
            disabled={locked.has(name)}
            error={Boolean(problem)}
            helperText={problem ?? (locked.has(name) ? intl.formatMessage(labels.locked) : help)}
          />
        );
      }}
    />
  );

  return (
    <form
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label={intl.formatMessage({ id: "shopSettings.form", defaultMessage: "Settings" })}
    >
      <Box display="flex" flexDirection="column" gap={6} __maxWidth="960px">
        <Section
          title={<FormattedMessage id="shopSettings.sending.title" defaultMessage="When marketing is sent" />}
          help={<FormattedMessage id="shopSettings.sending.help" defaultMessage="Checked before every marketing message, in this order after consent: smart sending, the frequency cap, quiet hours." />}
        >
          {textField("quietHours", intl.formatMessage(labels.quietHoursHelp))}
          {textField("smartSendingHours", intl.formatMessage(labels.smartSendingHoursHelp))}
          <Box display="grid" gap={4} className="settings-pair">
            {textField("maxMarketingPerDay", intl.formatMessage(labels.capHelp))}
            {textField("maxMarketingPerWeek", intl.formatMessage(labels.capHelp))}
          </Box>
        </Section>

        <Section
          title={<FormattedMessage id="shopSettings.attribution.title" defaultMessage="Attribution windows" />}
          help={<FormattedMessage id="shopSettings.attribution.help" defaultMessage="How long a message may come before an order and still be credited with it. Changes apply to orders placed from now on." />}
        >
          <Box display="grid" gap={4} className="settings-pair">
            {textField("attributionClickDays", intl.formatMessage(labels.attributionClickDaysHelp))}
            {textField("attributionOpenDays", intl.formatMessage(labels.attributionOpenDaysHelp))}
          </Box>
        </Section>

        <Section
          title={<FormattedMessage id="shopSettings.channels.title" defaultMessage="Sender and storefront per channel" />}
          help={<FormattedMessage id="shopSettings.channels.help" defaultMessage="For Saleor channels whose mail should come from another sender or link to another storefront. Empty fields use the global values." />}
        >
          {channels.fields.length === 0 && (
            <Text size={3} color="default2">
              <FormattedMessage id="shopSettings.channels.none" defaultMessage="Every channel uses the global sender and storefront." />
            </Text>
          )}
          {channels.fields.map((row, index) => {
            const number = index + 1;
            const rowError = errorsAt(errors, `channels[${index}]`).map((error) => error.message).join(" ") || undefined;
            return (
              <Box
                key={row.id}
                role="group"
                aria-label={intl.formatMessage(labels.channel, { number })}
                display="flex"
                flexDirection="column"
                gap={2}
                padding={4}
                borderWidth={1}
                borderStyle="solid"
                borderColor="default1"
                borderRadius={3}
              >
                <Box display="grid" gap={3} className="settings-channel">
                  {(["slug", "senderName", "senderAddress", "storefrontUrl"] as const).map((key) => (
                    <Controller
                      key={key}
                      control={form.control}
                      name={`channels.${index}.${key}`}
                      render={({ field }) => (
                        <Input
                          size="small"
                          label={intl.formatMessage(labels[key])}
                          {...field}
                          disabled={locked.has("channels")}
                          error={key === "slug" && Boolean(rowError)}
                          helperText={key === "slug" ? rowError : undefined}
                        />
                      )}
                    />
                  ))}
                </Box>
                <Box>
                  <Button
                    type="button"
                    variant="tertiary"
                    size="small"
                    disabled={locked.has("channels")}
                    onClick={() => channels.remove(index)}
                    aria-label={intl.formatMessage(labels.removeChannel, { number })}
                  >
                    <Trash2 size={16} aria-hidden />
                    <FormattedMessage id="shopSettings.channel.removeShort" defaultMessage="Remove" />
                  </Button>
                </Box>
              </Box>
            );
          })}
          {at("channels") && !errorsAt(errors, "channels").some((error) => error.field?.startsWith("channels[")) && (
            <Text size={2} color="critical1" role="alert">
              {at("channels")}
            </Text>
          )}
          {locked.has("channels") && (
            <Text size={2} color="default2">
              {intl.formatMessage(labels.locked)}
            </Text>
          )}
          <Box>
            <Button
              type="button"
              variant="secondary"
              size="small"
              disabled={locked.has("channels")}
              onClick={() => channels.append({ slug: "", senderName: "", senderAddress: "", storefrontUrl: "" })}
            >
              <Plus size={16} aria-hidden />
              <FormattedMessage id="shopSettings.channels.add" defaultMessage="Add a channel" />
            </Button>
          </Box>
        </Section>

        <Section
          title={<FormattedMessage id="shopSettings.secret.title" defaultMessage="Link signing secret" />}
          help={<FormattedMessage id="shopSettings.secret.help" defaultMessage="Signs tracking, unsubscribe and preference links. Without one, a secret derived from the server's SECRET_KEY is used." />}
        >
          <Text size={3} role="status">
            {loaded.signingSecretSet ? (
              <FormattedMessage id="shopSettings.secret.set" defaultMessage="A signing secret is set." />
            ) : (
              <FormattedMessage id="shopSettings.secret.notSet" defaultMessage="No signing secret is set." />
            )}
          </Text>
          <Controller
            control={form.control}
            name="signingSecret"
            render={({ field }) => (
              <Input
                size="small"
                type="password"
                autoComplete="new-password"
                label={intl.formatMessage(labels.newSecret)}
                {...field}
                disabled={locked.has("signingSecret")}
                error={Boolean(at("signingSecret"))}
                helperText={at("signingSecret") ?? (locked.has("signingSecret") ? intl.formatMessage(labels.locked) : intl.formatMessage(labels.newSecretHelp))}
              />
            )}
          />
        </Section>

        <FormErrors errors={errors} fields={FORM_FIELDS} />
        {saved && (
          <Text size={3} color="success1" role="status">
            <FormattedMessage id="shopSettings.saved" defaultMessage="Settings saved." />
          </Text>
        )}
        <Box>
          <Button type="submit" variant="primary" disabled={update.isPending}>
            <FormattedMessage id="shopSettings.save" defaultMessage="Save settings" />
          </Button>
        </Box>
      </Box>
    </form>
  );
}
