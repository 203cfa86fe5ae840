// The campaign's settings: trigger, audience and the "at least N contacts" gate, goal, exit
// condition, re-entry, conversion window, holdout. Saved together; the server's errors are
// shown at the field they name and what was typed stays.
import { zodResolver } from "@hookform/resolvers/zod";
import { Box, Button, Text } from "@saleor/macaw-ui";

import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { FormattedMessage, useIntl } from "react-intl";
import { z } from "zod";

import { errorsAt, type MarketingError } from "../api/errors";
import { useApiMutation } from "../api/hooks";
import { CampaignUpdateMutation } from "../api/operations";
import { type JsonSchema, JsonEditor, SchemaFields } from "../forms/SchemaForm";
import type { CampaignDetailsFragment, DefinitionsQuery, ReentryPolicyEnum } from "../gql/graphql";
import { labelOf, triggerLabels } from "../i18n/labels";
import { Input } from "../components/Input";

/** Typed as text; a whole number once valid (the message is shown at the field). */
const wholeNumber = z
  .string()
  .trim()
  .regex(/^-?\d+$/, { message: "wholeNumber" })
  .transform((value) => Number(value));

const settingsSchema = z.object({
  name: z.string().trim().min(1),
  triggerType: z.string().min(1),
  trigger: z.record(z.string(), z.unknown()),
  audience: z.unknown(),
  goalEvent: z.string(),
  goalWhere: z.unknown(),
  exitCondition: z.unknown(),
  reentryPolicy: z.enum(["ONCE", "ONCE_PER_PERIOD", "EVERY_TIME"]),
  reentryPeriodDays: wholeNumber,
  conversionWindowDays: wholeNumber,
  minAudienceSize: wholeNumber,
  holdoutShare: wholeNumber,
  priority: wholeNumber,
});
type SettingsInput = z.input<typeof settingsSchema>;
type SettingsValues = z.output<typeof settingsSchema>;

function initialValues(campaign: CampaignDetailsFragment): SettingsInput {
  const { type, ...trigger } = (campaign.trigger ?? {}) as Record<string, unknown>;
  const goal = (campaign.goal ?? {}) as { event?: string; where?: unknown };
  const emptyToUndefined = (value: unknown) =>
    value && typeof value === "object" && Object.keys(value).length === 0 ? undefined : value;
  return {
    name: campaign.name,
    triggerType: String(type ?? "manual"),
    trigger,
    audience: emptyToUndefined(campaign.audience),
    goalEvent: goal.event ?? "",
    goalWhere: emptyToUndefined(goal.where),
    exitCondition: emptyToUndefined(campaign.exitCondition),
    reentryPolicy: campaign.reentryPolicy,
    reentryPeriodDays: String(campaign.reentryPeriodDays),
    conversionWindowDays: String(campaign.conversionWindowDays),
    minAudienceSize: String(campaign.minAudienceSize),
    holdoutShare: String(campaign.holdoutShare),
    priority: String(campaign.priority),
  };
}

function NumberField({
  control,
  name,
  label,
  help,
  error,
  wholeNumberMessage,
}: {
  wholeNumberMessage: string;
  control: ReturnType<typeof useForm<SettingsInput, unknown, SettingsValues>>["control"];
  name: "reentryPeriodDays" | "conversionWindowDays" | "minAudienceSize" | "holdoutShare" | "priority";
  label: string;
  help?: string;
  error?: string;
}) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => (
        <Input
          type="number"
          size="small"
          label={label}
          name={field.name}
          value={field.value}
          onBlur={field.onBlur}
          onChange={(event) => field.onChange(event.target.value)}
          error={Boolean(error || fieldState.error)}
          helperText={error ?? (fieldState.error ? wholeNumberMessage : help)}
        />
      )}
    />
  );
}

export function SettingsPanel({
  campaign,
  definitions,
  entrants,
  onSaved,
}: {
  campaign: CampaignDetailsFragment;
  definitions: DefinitionsQuery;
  entrants: number | null | undefined;
  onSaved: (campaign: CampaignDetailsFragment) => void;
}) {
  const intl = useIntl();
  const update = useApiMutation(CampaignUpdateMutation);
  const [errors, setErrors] = useState<MarketingError[]>([]);
  const [saved, setSaved] = useState(false);
  const form = useForm<SettingsInput, unknown, SettingsValues>({
    resolver: zodResolver(settingsSchema),
    defaultValues: initialValues(campaign),
  });
  const triggerType = form.watch("triggerType");
  const reentryPolicy = form.watch("reentryPolicy");
  const triggerDefinition = definitions.campaignTriggerTypes.find((item) => item.type === triggerType);
  const at = (field: string) => errorsAt(errors, field).map((error) => error.message).join(" ") || undefined;
  const triggerErrors = Object.fromEntries(
    errorsAt(errors, "trigger").map((error) => [error.field!.replace(/^trigger\.?/, ""), error.message]),
  );
  const known = ["name", "trigger", "audience", "goal", "exitCondition", "reentryPolicy", "reentryPeriodDays",
    "conversionWindowDays", "minAudienceSize", "holdoutShare", "priority"];
  const general = errors.filter((error) => !known.some((field) => errorsAt([error], field).length));
  const required = intl.formatMessage({ id: "form.required", defaultMessage: "Fill this in." });
  const wholeNumberMessage = intl.formatMessage({ id: "form.wholeNumber", defaultMessage: "Enter a whole number." });

  const submit = form.handleSubmit(async (values) => {
    setSaved(false);
    try {
      const result = (
        await update.mutateAsync({
          id: campaign.id,
          // Someone else's save since this copy was loaded is refused, not overwritten.
          expectedUpdatedAt: campaign.updatedAt,
          input: {
            name: values.name,
            trigger: { ...values.trigger, type: values.triggerType },
            audience: values.audience ?? {},
            goal: values.goalEvent ? { event: values.goalEvent, ...(values.goalWhere ? { where: values.goalWhere } : {}) } : {},
            exitCondition: values.exitCondition ?? {},
            reentryPolicy: values.reentryPolicy as ReentryPolicyEnum,
            reentryPeriodDays: values.reentryPeriodDays,
            conversionWindowDays: values.conversionWindowDays,
            minAudienceSize: values.minAudienceSize,
            holdoutShare: values.holdoutShare,
            priority: values.priority,
          },
        })
      ).campaignUpdate;
      if (result?.errors.length) {
        setErrors(result.errors);
        return;
      }
      setErrors([]);
      setSaved(true);
      if (result?.campaign) onSaved(result.campaign);
    } catch (error) {
      setErrors([{ code: "GRAPHQL_ERROR", message: error instanceof Error ? error.message : String(error) }]);
    }
  });

  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-label={intl.formatMessage({ id: "settings.form", defaultMessage: "Campaign settings" })}>
      <Box display="flex" flexDirection="column" gap={5}>
        <Controller control={form.control} name="name" render={({ field, fieldState }) => (
          <Input label={intl.formatMessage({ id: "settings.name", defaultMessage: "Name" })} size="small" {...field}
            error={Boolean(fieldState.error || at("name"))} helperText={fieldState.error ? required : at("name")} />
        )} />

        <Box as="fieldset" borderWidth={0} padding={0} margin={0} display="flex" flexDirection="column" gap={3}>
          <Box as="legend" marginBottom={2}>
            <Text size={4} fontWeight="bold"><FormattedMessage id="settings.trigger" defaultMessage="Trigger" /></Text>
          </Box>
          <Controller control={form.control} name="triggerType" render={({ field }) => (
            <label className="field-label">
              <FormattedMessage id="settings.triggerType" defaultMessage="Starts when" />
              <select className="native-select" value={field.value}
                onChange={(event) => { field.onChange(event.target.value); form.setValue("trigger", {}); }}>
                {definitions.campaignTriggerTypes.map((item) => (
                  <option key={item.type} value={item.type}>{labelOf(intl, triggerLabels, item.type, item.label)}</option>
                ))}
              </select>
            </label>
          )} />
          {triggerDefinition && (
            <Controller control={form.control} name="trigger" render={({ field }) => (
              <SchemaFields schema={triggerDefinition.schema as JsonSchema} value={field.value} onChange={field.onChange}
                errors={triggerErrors} context={{ stepKeys: [], templateKeys: [] }} />
            )} />
          )}
        </Box>

        <Box as="fieldset" borderWidth={0} padding={0} margin={0} display="flex" flexDirection="column" gap={3}>
          <Box as="legend" marginBottom={2}>
            <Text size={4} fontWeight="bold"><FormattedMessage id="settings.audience" defaultMessage="Audience" /></Text>
          </Box>
          <Controller control={form.control} name="audience" render={({ field }) => (
            <JsonEditor label={intl.formatMessage({ id: "settings.audienceRule", defaultMessage: "Who may enter (rule)" })}
              value={field.value} onChange={field.onChange} error={at("audience")}
              help={intl.formatMessage({ id: "settings.audienceHelp", defaultMessage: "Empty: everyone the trigger finds. Example: {example}" }, { example: '{"all": [{"consent": {"channel": "email"}}, {"tag": "coffee"}]}' })} />
          )} />
          <NumberField wholeNumberMessage={wholeNumberMessage} control={form.control} name="minAudienceSize" error={at("minAudienceSize")}
            label={intl.formatMessage({ id: "settings.minAudience", defaultMessage: "Start only with at least this many contacts" })}
            help={entrants == null ? undefined : intl.formatMessage({ id: "settings.entrantsNow", defaultMessage: "{count, plural, one {# contact} other {# contacts}} would enter now." }, { count: entrants })} />
        </Box>

        <Box as="fieldset" borderWidth={0} padding={0} margin={0} display="flex" flexDirection="column" gap={3}>
          <Box as="legend" marginBottom={2}>
            <Text size={4} fontWeight="bold"><FormattedMessage id="settings.goalExit" defaultMessage="Goal and exit" /></Text>
          </Box>
          <Controller control={form.control} name="goalEvent" render={({ field }) => (
            <Input label={intl.formatMessage({ id: "settings.goalEvent", defaultMessage: "Goal event (ends the run at once)" })} size="small"
              {...field} placeholder="order.created" error={Boolean(at("goal"))} helperText={errorsAt(errors, "goal.event")[0]?.message} />
          )} />
          <Controller control={form.control} name="goalWhere" render={({ field }) => (
            <JsonEditor label={intl.formatMessage({ id: "settings.goalWhere", defaultMessage: "Goal filter (rule)" })}
              value={field.value} onChange={field.onChange} error={errorsAt(errors, "goal.where").map((error) => error.message).join(" ") || undefined} />
          )} />
          <Controller control={form.control} name="exitCondition" render={({ field }) => (
            <JsonEditor label={intl.formatMessage({ id: "settings.exit", defaultMessage: "Exit condition, checked before every step (rule)" })}
              value={field.value} onChange={field.onChange} error={at("exitCondition")} />
          )} />
          <NumberField wholeNumberMessage={wholeNumberMessage} control={form.control} name="conversionWindowDays" error={at("conversionWindowDays")}
            label={intl.formatMessage({ id: "settings.window", defaultMessage: "Conversion window (days)" })} />
        </Box>

        <Box as="fieldset" borderWidth={0} padding={0} margin={0} display="flex" flexDirection="column" gap={3}>
          <Box as="legend" marginBottom={2}>
            <Text size={4} fontWeight="bold"><FormattedMessage id="settings.entry" defaultMessage="Re-entry and holdout" /></Text>
          </Box>
          <Controller control={form.control} name="reentryPolicy" render={({ field }) => (
            <label className="field-label">
              <FormattedMessage id="settings.reentry" defaultMessage="A contact may enter" />
              <select className="native-select" {...field}>
                <option value="ONCE">{intl.formatMessage({ id: "settings.reentry.once", defaultMessage: "Once" })}</option>
                <option value="ONCE_PER_PERIOD">{intl.formatMessage({ id: "settings.reentry.period", defaultMessage: "Once per period" })}</option>
                <option value="EVERY_TIME">{intl.formatMessage({ id: "settings.reentry.always", defaultMessage: "Every time" })}</option>
              </select>
              {at("reentryPolicy") && <Text size={2} color="critical1">{at("reentryPolicy")}</Text>}
            </label>
          )} />
          {reentryPolicy === "ONCE_PER_PERIOD" && (
            <NumberField wholeNumberMessage={wholeNumberMessage} control={form.control} name="reentryPeriodDays" error={at("reentryPeriodDays")}
              label={intl.formatMessage({ id: "settings.period", defaultMessage: "Period (days)" })} />
          )}
          <NumberField wholeNumberMessage={wholeNumberMessage} control={form.control} name="holdoutShare" error={at("holdoutShare")}
            label={intl.formatMessage({ id: "settings.holdout", defaultMessage: "Holdout (% of entrants who get nothing)" })}
            help={intl.formatMessage({ id: "settings.holdoutHelp", defaultMessage: "Shows the campaign's true uplift in the report." })} />
          <NumberField wholeNumberMessage={wholeNumberMessage} control={form.control} name="priority" error={at("priority")}
            label={intl.formatMessage({ id: "settings.priority", defaultMessage: "Priority" })} />
        </Box>

        {general.length > 0 && (
          <Box role="alert" display="flex" flexDirection="column" gap={1}>
            {general.map((error) => (
              <Text key={`${error.field}-${error.message}`} size={3} color="critical1">
                {error.field && error.code !== "CONFLICT" ? `${error.field}: ` : ""}{error.message}
              </Text>
            ))}
          </Box>
        )}
        {saved && (
          <Text size={3} color="success1" role="status"><FormattedMessage id="settings.saved" defaultMessage="Settings saved." /></Text>
        )}
        <Box>
          <Button type="submit" variant="primary" disabled={update.isPending}>
            <FormattedMessage id="settings.save" defaultMessage="Save settings" />
          </Button>
        </Box>
      </Box>
    </form>
  );
}
