// A segment: name, description and its rules in the visual builder, with the live count and a
// few matching contacts beside them; RFM presets as starting points. Saving keeps what was
// typed on any refusal: field errors show at the rule they name, a save made by someone else
// since this copy was loaded is refused and said so.
import { zodResolver } from "@hookform/resolvers/zod";
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { FormattedMessage, useIntl } from "react-intl";
import { useLocation, useNavigate, useParams, useSearchParams } from "react-router-dom";
import { z } from "zod";

import { errorsAt, isUnknownId, type MarketingError } from "../api/errors";
import { useApiMutation, useApiQuery } from "../api/hooks";
import {
  RuleBuilderDefinitionsQuery,
  SegmentCreateMutation,
  SegmentPresetsQuery,
  SegmentQuery,
  SegmentUpdateMutation,
} from "../api/segmentOperations";
import { builderContext } from "../audience/context";
import type { BuilderContext } from "../audience/kindEditors";
import { presetLabels } from "../audience/labels";
import { LiveCountLine, LivePreview } from "../audience/LivePreview";
import { RuleBuilder } from "../audience/RuleBuilder";
import { useFormat } from "../components/format";
import { Input } from "../components/Input";
import { Card, Page } from "../components/Page";
import { ErrorState, Loading, NotFound } from "../components/states";
import type { SegmentFieldsFragment } from "../gql/graphql";

const segmentSchema = z.object({
  name: z.string().trim().min(1),
  description: z.string(),
  rules: z.unknown(),
});
type SegmentInput = z.input<typeof segmentSchema>;
type SegmentValues = z.output<typeof segmentSchema>;

/** The fields the form shows errors at; anything else is said above the save button. */
const FORM_FIELDS = ["name", "description", "rules"];

function Presets({ onPick }: { onPick: (preset: { slug: string; title: string; description: string; rules: unknown }) => void }) {
  const intl = useIntl();
  const presets = useApiQuery(SegmentPresetsQuery, {}, { staleTime: Infinity });
  if (presets.isPending) return <Loading />;
  if (presets.isError) return <ErrorState error={presets.error} onRetry={() => void presets.refetch()} />;
  return (
    <Box display="flex" flexDirection="column" gap={2}>
      <Text size={2} color="default2">
        <FormattedMessage id="audience.presets.help" defaultMessage="Replaces the rules with a ready-made RFM segment, to tune as you like." />
      </Text>
      <Box className="preset-buttons">
        {presets.data.segmentPresets.map((preset) => {
          const labels = presetLabels[preset.slug];
          const title = labels ? intl.formatMessage(labels.title) : preset.title;
          const description = labels ? intl.formatMessage(labels.description) : preset.description;
          return (
            <button key={preset.slug} type="button" className="preset-button" onClick={() => onPick({ ...preset, title, description })}>
              <Text size={3} fontWeight="bold">
                {title}
              </Text>
              <small>{description}</small>
            </button>
          );
        })}
      </Box>
    </Box>
  );
}

function SegmentForm({
  segment,
  initial,
  context,
  justCreated = false,
}: {
  segment: SegmentFieldsFragment | null;
  initial: SegmentInput;
  context: BuilderContext;
  justCreated?: boolean;
}) {
  const intl = useIntl();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useApiMutation(SegmentCreateMutation);
  const update = useApiMutation(SegmentUpdateMutation);
  const [errors, setErrors] = useState<MarketingError[]>([]);
  const [saved, setSaved] = useState(justCreated);
  const form = useForm<SegmentInput, unknown, SegmentValues>({
    resolver: zodResolver(segmentSchema),
    defaultValues: initial,
  });
  const rules = form.watch("rules");
  const at = (field: string) => errorsAt(errors, field).map((error) => error.message).join(" ") || undefined;
  const ruleErrors = useMemo(
    () => errorsAt(errors, "rules").map((error) => ({ field: error.field ?? "rules", message: error.message })),
    [errors],
  );
  const general = errors.filter((error) => !FORM_FIELDS.some((field) => errorsAt([error], field).length));
  const busy = create.isPending || update.isPending;

  const store = (changed: SegmentFieldsFragment) => {
    queryClient.setQueryData(["Segment", { id: changed.id }], { segment: changed });
    void queryClient.invalidateQueries({ queryKey: ["SegmentList"] });
    void queryClient.invalidateQueries({ queryKey: ["RuleBuilderDefinitions"] });
  };

  const submit = form.handleSubmit(async (values) => {
    setSaved(false);
    const input = { name: values.name, description: values.description.trim(), rules: values.rules ?? {} };
    try {
      if (!segment) {
        const result = (await create.mutateAsync({ input })).segmentCreate;
        if (result?.errors.length) {
          setErrors(result.errors);
          return;
        }
        if (result?.segment) {
          store(result.segment);
          navigate(`/segments/${encodeURIComponent(result.segment.id)}`, { replace: true, state: { created: true } });
        }
        return;
      }
      const result = (
        await update.mutateAsync({
          id: segment.id,
          input,
          // Someone else's save since this copy was loaded is refused, not overwritten.
          expectedUpdatedAt: segment.updatedAt,
        })
      ).segmentUpdate;
      if (result?.errors.length) {
        setErrors(result.errors);
        return;
      }
      setErrors([]);
      setSaved(true);
      if (result?.segment) store(result.segment);
    } catch (error) {
      setErrors([{ code: "GRAPHQL_ERROR", message: error instanceof Error ? error.message : String(error) }]);
    }
  });

  return (
    <form
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label={intl.formatMessage({ id: "audience.editor.form", defaultMessage: "Segment" })}
    >
      <Box className="editor-layout">
        <Box display="flex" flexDirection="column" gap={6} __minWidth="0">
          <Card title={<FormattedMessage id="audience.editor.about" defaultMessage="About" />}>
            <Box display="flex" flexDirection="column" gap={4}>
              <Controller control={form.control} name="name" render={({ field, fieldState }) => (
                <Input label={intl.formatMessage({ id: "audience.editor.name", defaultMessage: "Name" })} size="small" {...field}
                  error={Boolean(fieldState.error || at("name"))}
                  helperText={fieldState.error ? intl.formatMessage({ id: "form.required", defaultMessage: "Fill this in." }) : at("name")} />
              )} />
              <Controller control={form.control} name="description" render={({ field }) => (
                <Input label={intl.formatMessage({ id: "audience.editor.description", defaultMessage: "Description (optional)" })} size="small"
                  {...field} error={Boolean(at("description"))} helperText={at("description")} />
              )} />
            </Box>
          </Card>
          <Card title={<FormattedMessage id="audience.editor.rules" defaultMessage="Who belongs to it" />}>
            <Controller control={form.control} name="rules" render={({ field }) => (
              <RuleBuilder
                value={field.value}
                context={context}
                errors={ruleErrors}
                onChange={(next, structural) => {
                  field.onChange(next);
                  setSaved(false);
                  // Added or removed rules move the others: old errors would point at the wrong one.
                  if (structural) setErrors((current) => current.filter((error) => !errorsAt([error], "rules").length));
                }}
              />
            )} />
          </Card>
          {general.length > 0 && (
            <Box role="alert" display="flex" flexDirection="column" gap={1}>
              {general.map((error) => (
                <Text key={`${error.field}-${error.message}`} size={3} color="critical1">
                  {error.field && error.code !== "CONFLICT" && error.field !== "id" ? `${error.field}: ` : ""}
                  {error.message}
                </Text>
              ))}
            </Box>
          )}
          {errors.length > 0 && general.length === 0 && (
            <Text size={3} color="critical1" role="alert">
              <FormattedMessage id="audience.editor.notSaved" defaultMessage="Not saved: correct what is marked above." />
            </Text>
          )}
          {saved && (
            <Text size={3} color="success1" role="status">
              <FormattedMessage id="audience.editor.saved" defaultMessage="Segment saved; its members were counted again." />
            </Text>
          )}
          <Box display="flex" gap={4} alignItems="center" flexWrap="wrap">
            <Button type="submit" variant="primary" disabled={busy}>
              {segment ? (
                <FormattedMessage id="audience.editor.save" defaultMessage="Save segment" />
              ) : (
                <FormattedMessage id="audience.editor.create" defaultMessage="Create segment" />
              )}
            </Button>
            {/* On a phone the live count's card is far below: its figure is repeated here. */}
            <Box display={{ mobile: "block", desktop: "none" }}>
              <LiveCountLine rules={rules} />
            </Box>
          </Box>
        </Box>
        <Box display="flex" flexDirection="column" gap={6} __minWidth="0" className="sticky-side">
          <Card title={<FormattedMessage id="audience.preview.title" defaultMessage="Live count" />}>
            <LivePreview rules={rules} />
          </Card>
          <Card title={<FormattedMessage id="audience.presets.title" defaultMessage="Start from a preset" />}>
            <Presets
              onPick={(preset) => {
                form.setValue("rules", preset.rules, { shouldDirty: true });
                if (!form.getValues("name").trim()) form.setValue("name", preset.title, { shouldDirty: true });
                if (!form.getValues("description").trim()) form.setValue("description", preset.description, { shouldDirty: true });
                setErrors((current) => current.filter((error) => !errorsAt([error], "rules").length));
                setSaved(false);
              }}
            />
          </Card>
        </Box>
      </Box>
    </form>
  );
}

export default function SegmentEditor() {
  const intl = useIntl();
  const format = useFormat();
  const { id } = useParams();
  const [params] = useSearchParams();
  const location = useLocation();
  const segmentQuery = useApiQuery(SegmentQuery, { id: id ?? "" }, { enabled: Boolean(id) });
  const definitions = useApiQuery(RuleBuilderDefinitionsQuery, {}, { staleTime: 60_000 });
  const context = useMemo(
    () => (definitions.data ? builderContext(definitions.data, intl.locale, id) : null),
    [definitions.data, intl.locale, id],
  );
  const back = { to: "/segments", label: intl.formatMessage({ id: "audience.back", defaultMessage: "Back to audience" }) };
  const notFound = <NotFound what={<FormattedMessage id="audience.editor.notFound" defaultMessage="There is no such segment" />} />;

  if ((id && segmentQuery.isPending) || definitions.isPending) return <Loading />;
  if (id && segmentQuery.isError) {
    if (isUnknownId(segmentQuery.error)) return notFound;
    return <ErrorState error={segmentQuery.error} onRetry={() => void segmentQuery.refetch()} />;
  }
  if (definitions.isError) return <ErrorState error={definitions.error} onRetry={() => void definitions.refetch()} />;
  const segment = id ? (segmentQuery.data?.segment ?? null) : null;
  if (id && !segment) return notFound;

  // /segments/new?tag=interest:coffee&name=coffee: a segment for an interest group.
  const tag = params.get("tag");
  const initial: SegmentInput = segment
    ? { name: segment.name, description: segment.description, rules: segment.rules }
    : {
        name: params.get("name") ?? "",
        description: "",
        rules: tag ? { all: [{ tag }] } : { all: [] },
      };

  return (
    <Page
      title={segment ? segment.name : <FormattedMessage id="audience.editor.new" defaultMessage="New segment" />}
      subtitle={
        segment ? (
          <FormattedMessage
            id="audience.editor.subtitle"
            defaultMessage="{count, plural, one {# member} other {# members}} {counted} · changed {updated}"
            values={{
              count: segment.memberCount,
              counted: segment.countedAt
                ? intl.formatMessage({ id: "audience.countedAt", defaultMessage: "as of {date}" }, { date: format.dateTime(segment.countedAt) })
                : intl.formatMessage({ id: "audience.neverCounted", defaultMessage: "(not counted yet)" }),
              updated: format.dateTime(segment.updatedAt),
            }}
          />
        ) : (
          <FormattedMessage id="audience.editor.newHelp" defaultMessage="Describe who belongs to it; the live count follows every change." />
        )
      }
      back={back}
    >
      <SegmentForm key={segment ? `${segment.id}` : `new-${params.toString()}`} segment={segment} initial={initial} context={context!}
        justCreated={Boolean((location.state as { created?: boolean } | null)?.created)} />
    </Page>
  );
}
