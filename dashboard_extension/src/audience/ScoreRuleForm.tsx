// Creating or changing a score rule: points a contact earns (or loses) for an event type, only
// for events whose payload matches an optional condition, with an optional cap over a number
// of days. The server's errors show at the field they name; what was typed stays.
import { zodResolver } from "@hookform/resolvers/zod";
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useId, useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { defineMessages, FormattedMessage, useIntl } from "react-intl";
import { z } from "zod";

import { ScoreRuleCreateMutation, ScoreRuleUpdateMutation } from "../api/audienceAdminOperations";
import { errorsAt, type MarketingError } from "../api/errors";
import { useApiMutation } from "../api/hooks";
import { Input } from "../components/Input";
import { FormErrors } from "../components/FormErrors";
import { Card } from "../components/Page";
import type { ScoreRuleFieldsFragment, ScoreRuleInput } from "../gql/graphql";

function isJson(text: string): boolean {
  if (!text.trim()) return true;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null;
  } catch {
    return false;
  }
}

const integer = z.string().trim().regex(/^-?\d+$/, { message: "wholeNumber" });
const ruleSchema = z.object({
  name: z.string(),
  eventType: z.string(),
  points: integer,
  capPoints: integer,
  capDays: integer,
  where: z.string().refine(isJson, { message: "json" }),
  isActive: z.boolean(),
});
export type ScoreRuleValues = z.infer<typeof ruleSchema>;

/** The fields errors are shown at; anything else is said above the save button. */
const FORM_FIELDS = ["name", "eventType", "points", "capPoints", "capDays", "where"];

const labels = defineMessages({
  name: { id: "scoring.field.name", defaultMessage: "Name" },
  eventType: { id: "scoring.field.eventType", defaultMessage: "Event type" },
  eventTypeHelp: { id: "scoring.field.eventTypeHelp", defaultMessage: "Pick a known type or type a storefront's own." },
  points: { id: "scoring.field.points", defaultMessage: "Points" },
  pointsHelp: { id: "scoring.field.pointsHelp", defaultMessage: "Per matching event, from -1000 to 1000; negative points lower the score." },
  capPoints: { id: "scoring.field.capPoints", defaultMessage: "Most points" },
  capPointsHelp: { id: "scoring.field.capPointsHelp", defaultMessage: "The most a contact earns from this rule within the days below. 0: no cap." },
  capDays: { id: "scoring.field.capDays", defaultMessage: "Cap period (days)" },
  capDaysHelp: { id: "scoring.field.capDaysHelp", defaultMessage: "At least 1." },
  where: { id: "scoring.field.where", defaultMessage: "Only events matching (optional)" },
  whereHelp: {
    id: "scoring.field.whereHelp",
    defaultMessage: "A condition on the event's payload in the rule language, e.g. {example}. Empty: every event of this type.",
  },
  isActive: { id: "scoring.field.isActive", defaultMessage: "Active: award points for new events" },
  wholeNumber: { id: "scoring.field.wholeNumber", defaultMessage: "Enter a whole number." },
  json: { id: "scoring.field.json", defaultMessage: "This is not a valid JSON object." },
});

export function ruleValues(rule: ScoreRuleFieldsFragment | null): ScoreRuleValues {
  const where = rule?.where && typeof rule.where === "object" && Object.keys(rule.where as object).length ? JSON.stringify(rule.where, null, 2) : "";
  return {
    name: rule?.name ?? "",
    eventType: rule?.eventType ?? "",
    points: String(rule?.points ?? 1),
    capPoints: String(rule?.capPoints ?? 0),
    capDays: String(rule?.capDays ?? 30),
    where,
    isActive: rule?.isActive ?? true,
  };
}

export function ruleInput(values: ScoreRuleValues): ScoreRuleInput {
  return {
    name: values.name.trim(),
    eventType: values.eventType.trim(),
    points: Number(values.points.trim()),
    capPoints: Number(values.capPoints.trim()),
    capDays: Number(values.capDays.trim()),
    where: values.where.trim() ? (JSON.parse(values.where) as unknown) : {},
    isActive: values.isActive,
  };
}

export function ScoreRuleForm({
  rule,
  eventTypes,
  onSaved,
  onCancel,
}: {
  /** The rule to change; null creates one. */
  rule: ScoreRuleFieldsFragment | null;
  /** Event types known by name (ruleEventTypes), offered as suggestions. */
  eventTypes: { type: string; label: string }[];
  onSaved: (rule: ScoreRuleFieldsFragment) => void;
  onCancel: () => void;
}) {
  const intl = useIntl();
  const listId = useId();
  const whereId = useId();
  const create = useApiMutation(ScoreRuleCreateMutation);
  const update = useApiMutation(ScoreRuleUpdateMutation);
  const [errors, setErrors] = useState<MarketingError[]>([]);
  const form = useForm<ScoreRuleValues>({ resolver: zodResolver(ruleSchema), defaultValues: ruleValues(rule) });
  const at = (field: string) => errorsAt(errors, field).map((error) => error.message).join(" ") || undefined;
  const busy = create.isPending || update.isPending;
  // The form opens above the list (once per rule or topic: the page keys it): take the admin
  // to its first field.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => form.setFocus("name"), []);

  const submit = form.handleSubmit(async (values) => {
    const input = ruleInput(values);
    try {
      const result = rule
        ? (await update.mutateAsync({ id: rule.id, input })).scoreRuleUpdate
        : (await create.mutateAsync({ input })).scoreRuleCreate;
      if (result?.errors.length) {
        setErrors(result.errors);
        return;
      }
      setErrors([]);
      if (result?.scoreRule) onSaved(result.scoreRule);
    } catch (error) {
      setErrors([{ code: "GRAPHQL_ERROR", message: error instanceof Error ? error.message : String(error) }]);
    }
  });

  const textField = (name: "name" | "eventType" | "points" | "capPoints" | "capDays", help?: string) => (
    <Controller
      control={form.control}
      name={name}
      render={({ field, fieldState }) => {
        const problem = at(name) ?? (fieldState.error ? intl.formatMessage(labels.wholeNumber) : undefined);
        return (
          <Input
            size="small"
            type={name === "name" || name === "eventType" ? "text" : "number"}
            label={intl.formatMessage(labels[name])}
            list={name === "eventType" ? listId : undefined}
            {...field}
            error={Boolean(problem)}
            helperText={problem ?? help}
          />
        );
      }}
    />
  );

  const title = rule
    ? intl.formatMessage({ id: "scoring.form.edit", defaultMessage: "Edit “{name}”" }, { name: rule.name })
    : intl.formatMessage({ id: "scoring.form.new", defaultMessage: "New score rule" });
  const whereError = at("where");

  return (
    <Card title={title}>
      <form onSubmit={(event) => void submit(event)} noValidate aria-label={title}>
        <Box display="flex" flexDirection="column" gap={4} __maxWidth="720px">
          {textField("name")}
          {textField("eventType", intl.formatMessage(labels.eventTypeHelp))}
          <datalist id={listId}>
            {eventTypes.map((known) => (
              <option key={known.type} value={known.type} label={known.label} />
            ))}
          </datalist>
          {textField("points", intl.formatMessage(labels.pointsHelp))}
          <Box display="grid" gap={4} className="audience-pair">
            {textField("capPoints", intl.formatMessage(labels.capPointsHelp))}
            {textField("capDays", intl.formatMessage(labels.capDaysHelp))}
          </Box>
          <Controller
            control={form.control}
            name="where"
            render={({ field, fieldState }) => {
              const problem = whereError ?? (fieldState.error ? intl.formatMessage(labels.json) : undefined);
              return (
                <Box display="flex" flexDirection="column" gap={1}>
                  <label htmlFor={whereId} className="field-label">
                    {intl.formatMessage(labels.where)}
                  </label>
                  <textarea
                    id={whereId}
                    className="json-editor"
                    spellCheck={false}
                    {...field}
                    aria-invalid={Boolean(problem)}
                    aria-describedby={`${whereId}-help`}
                  />
                  <Text id={`${whereId}-help`} size={2} color={problem ? "critical1" : "default2"}>
                    {problem ?? intl.formatMessage(labels.whereHelp, { example: '{"field": "payload.total_gross", "op": "gte", "value": "50"}' })}
                  </Text>
                </Box>
              );
            }}
          />
          <Controller
            control={form.control}
            name="isActive"
            render={({ field }) => (
              <label className="check-label">
                <input type="checkbox" name={field.name} checked={field.value} onChange={(event) => field.onChange(event.target.checked)} />
                {intl.formatMessage(labels.isActive)}
              </label>
            )}
          />
          <FormErrors errors={errors} fields={FORM_FIELDS} />
          <Box display="flex" gap={2} flexWrap="wrap">
            <Button type="submit" variant="primary" disabled={busy}>
              {rule ? (
                <FormattedMessage id="scoring.form.save" defaultMessage="Save rule" />
              ) : (
                <FormattedMessage id="scoring.form.create" defaultMessage="Create rule" />
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
