// A new campaign: a gallery of every preset (what it does, its flow drawn), a form for the
// chosen preset's parameters next to a live preview of what it will create, or a campaign
// from scratch.
import { zodResolver } from "@hookform/resolvers/zod";
import { Box, Button, Text } from "@saleor/macaw-ui";

import { useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { FormattedMessage, useIntl } from "react-intl";
import { Link, useNavigate, useParams } from "react-router-dom";
import { z } from "zod";

import type { MarketingError } from "../api/errors";
import { useApiMutation, useApiQuery } from "../api/hooks";
import {
  CampaignCreateFromPresetMutation,
  CampaignCreateMutation,
  CampaignPresetPreviewQuery,
  CampaignPresetsQuery,
  DefinitionsQuery,
} from "../api/operations";
import { Pill } from "../components/Chips";
import { describeTrigger } from "../components/describe";
import { Card, Page } from "../components/Page";
import { ErrorState, Loading, NotFound } from "../components/states";
import { MiniFlow, MiniFlowLegend } from "../flow/MiniFlow";
import { camelPath, type JsonSchema, JsonEditor, SchemaFields } from "../forms/SchemaForm";
import type { CampaignKindEnum } from "../gql/graphql";
import { fieldLabels, kindLabels, labelOf, presetLabels, triggerLabels } from "../i18n/labels";
import { Input } from "../components/Input";

const FlowGraph = lazy(() => import("../flow/FlowGraph"));

type Params = Record<string, unknown>;

function PresetCard({ slug, title, description }: { slug: string; title: string; description: string }) {
  const intl = useIntl();
  const preview = useApiQuery(CampaignPresetPreviewQuery, { preset: slug, params: null }, { staleTime: Infinity });
  const data = preview.data?.campaignPresetPreview;
  return (
    <Box className="card-link">
      <Box display="flex" flexDirection="column" gap={2} height="100%">
        <Box display="flex" justifyContent="space-between" alignItems="flex-start" gap={2}>
          <Text as="h2" size={5} fontWeight="bold">
            <Link to={`/campaigns/new/${slug}`} className="stretched-link">
              {title}
            </Link>
          </Text>
          {data && <Pill>{labelOf(intl, kindLabels, data.kind)}</Pill>}
        </Box>
        <Text size={3} color="default2">
          {description}
        </Text>
        {data && (
          <Text size={2} color="default2">
            {describeTrigger(intl, data.trigger)}
          </Text>
        )}
        {data && (
          <Box marginTop="auto" paddingTop={3} display="flex" flexDirection="column" gap={2}>
            <MiniFlow steps={data.steps} entryKey={data.entryStepKey} />
            <MiniFlowLegend types={[...new Set(data.steps.map((step) => step.type))]} />
          </Box>
        )}
      </Box>
    </Box>
  );
}

function Gallery() {
  const intl = useIntl();
  const presets = useApiQuery(CampaignPresetsQuery, {}, { staleTime: Infinity });
  return (
    <Page
      title={<FormattedMessage id="new.title" defaultMessage="New campaign" />}
      subtitle={
        <FormattedMessage
          id="new.subtitle"
          defaultMessage="Start from a scenario that works, then adjust it; nothing is sent until you activate it."
        />
      }
      back={{ to: "/", label: intl.formatMessage({ id: "nav.backToCampaigns", defaultMessage: "Back to campaigns" }) }}
    >
      {presets.isPending ? (
        <Loading />
      ) : presets.isError ? (
        <ErrorState error={presets.error} onRetry={() => void presets.refetch()} />
      ) : (
        <Box as="ul" display="grid" gap={4} padding={0} margin={0} className="preset-grid">
          {presets.data.campaignPresets.map((preset) => {
            const labels = presetLabels[preset.slug];
            return (
              <Box as="li" key={preset.slug} listStyleType="none">
                <PresetCard
                  slug={preset.slug}
                  title={labels ? intl.formatMessage(labels.title) : preset.title}
                  description={labels ? intl.formatMessage(labels.description) : preset.description}
                />
              </Box>
            );
          })}
          <Box as="li" listStyleType="none">
            <Box className="card-link scratch">
              <Box display="flex" flexDirection="column" gap={2}>
                <Text as="h2" size={5} fontWeight="bold">
                  <Link to="/campaigns/new/scratch" className="stretched-link">
                    <FormattedMessage id="new.scratch.title" defaultMessage="From scratch" />
                  </Link>
                </Text>
                <Text size={3} color="default2">
                  <FormattedMessage
                    id="new.scratch.description"
                    defaultMessage="Choose a trigger and a first message; build the flow in the editor."
                  />
                </Text>
              </Box>
            </Box>
          </Box>
        </Box>
      )}
    </Page>
  );
}

function ParamField({
  name,
  value,
  defaultValue,
  onChange,
  error,
  templateKeys,
}: {
  name: string;
  value: unknown;
  defaultValue: unknown;
  onChange: (value: unknown) => void;
  error?: string;
  templateKeys: string[];
}) {
  const intl = useIntl();
  const label = labelOf(intl, fieldLabels, name);
  if (typeof defaultValue === "number") {
    return (
      <Input type="number" label={label} value={value === undefined ? "" : String(value)} error={Boolean(error)} helperText={error}
        onChange={(event) => onChange(event.target.value === "" ? undefined : Number(event.target.value))} />
    );
  }
  if (typeof defaultValue === "boolean") {
    return (
      <label className="check-label">
        <input type="checkbox" checked={Boolean(value)} onChange={(event) => onChange(event.target.checked)} />
        {label}
      </label>
    );
  }
  if (defaultValue !== null && typeof defaultValue === "object") {
    return <JsonEditor label={label} value={value} onChange={onChange} error={error} />;
  }
  if (name === "template" && templateKeys.length) {
    return (
      <label className="field-label">
        {label}
        <select className="native-select" value={String(value ?? "")} onChange={(event) => onChange(event.target.value)}>
          {templateKeys.map((key) => (
            <option key={key} value={key}>{key}</option>
          ))}
        </select>
        {error && <Text size={2} color="critical1">{error}</Text>}
      </label>
    );
  }
  if (defaultValue === null) {
    // A moment (send_at): empty means "when launched".
    return (
      <Input type="datetime-local" label={label} value={typeof value === "string" ? value.slice(0, 16) : ""} error={Boolean(error)}
        helperText={error ?? intl.formatMessage({ id: "new.param.whenLaunched", defaultMessage: "Empty: when you launch it." })}
        onChange={(event) => onChange(event.target.value ? new Date(event.target.value).toISOString() : null)} />
    );
  }
  return (
    <Input type="text" label={label} value={String(value ?? "")} error={Boolean(error)} helperText={error}
      onChange={(event) => onChange(event.target.value)} />
  );
}

function usePreview(slug: string, params: Params) {
  const [debounced, setDebounced] = useState(params);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(params), 400);
    return () => window.clearTimeout(timer);
  }, [params]);
  return useApiQuery(CampaignPresetPreviewQuery, { preset: slug, params: debounced }, { placeholderData: (previous) => previous, retry: false });
}

function PresetForm({ slug }: { slug: string }) {
  const intl = useIntl();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const presets = useApiQuery(CampaignPresetsQuery, {}, { staleTime: Infinity });
  const definitions = useApiQuery(DefinitionsQuery, {}, { staleTime: Infinity });
  const preset = presets.data?.campaignPresets.find((item) => item.slug === slug);
  const defaults = (preset?.defaults ?? {}) as Params;
  const [params, setParams] = useState<Params | null>(null);
  const values = params ?? defaults;
  const preview = usePreview(slug, values);
  const create = useApiMutation(CampaignCreateFromPresetMutation);
  const [errors, setErrors] = useState<MarketingError[]>([]);

  if (presets.isPending) return <Loading />;
  if (presets.isError) return <ErrorState error={presets.error} onRetry={() => void presets.refetch()} />;
  if (!preset) return <NotFound what={<FormattedMessage id="new.unknownPreset" defaultMessage="There is no such scenario" />} />;

  const labels = presetLabels[slug];
  const title = labels ? intl.formatMessage(labels.title) : preset.title;
  const fieldError = (name: string) =>
    errors.find((error) => error.field === `params.${camelPath(name)}` || error.field === `params.${name}` || error.field === camelPath(name))?.message;
  const general = errors.filter((error) => !Object.keys(defaults).some((name) => fieldError(name) === error.message));
  const data = preview.data?.campaignPresetPreview;

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    try {
      const result = (await create.mutateAsync({ preset: slug, params: changedParams(values, defaults) })).campaignCreateFromPreset;
      if (result?.errors.length) {
        setErrors(result.errors);
        return;
      }
      void queryClient.invalidateQueries({ queryKey: ["CampaignList"] });
      navigate(`/campaigns/${encodeURIComponent(result!.campaign!.id)}`);
    } catch (error) {
      setErrors([{ code: "GRAPHQL_ERROR", message: error instanceof Error ? error.message : String(error) }]);
    }
  };

  return (
    <Page
      title={title}
      subtitle={labels ? intl.formatMessage(labels.description) : preset.description}
      back={{ to: "/campaigns/new", label: intl.formatMessage({ id: "new.backToGallery", defaultMessage: "Back to scenarios" }) }}
    >
      <Box display="grid" gap={6} className="split-layout">
        <Card title={<FormattedMessage id="new.settings" defaultMessage="Settings" />}>
          <form onSubmit={(event) => void submit(event)} noValidate>
            <Box display="flex" flexDirection="column" gap={4}>
              {Object.entries(defaults).map(([name, defaultValue]) => (
                <ParamField key={name} name={name} value={values[name]} defaultValue={defaultValue} error={fieldError(name)}
                  templateKeys={definitions.data?.templateKeys ?? []}
                  onChange={(value) => setParams({ ...values, [name]: value })} />
              ))}
              {general.map((error) => (
                <Text key={error.message} role="alert" size={3} color="critical1">
                  {error.field ? `${error.field}: ` : ""}
                  {error.message}
                </Text>
              ))}
              <Box display="flex" gap={2}>
                <Button type="submit" variant="primary" disabled={create.isPending}>
                  <FormattedMessage id="new.create" defaultMessage="Create draft" />
                </Button>
              </Box>
              <Text size={2} color="default2">
                <FormattedMessage id="new.draftNote" defaultMessage="The campaign starts as a draft: review the flow, then activate it." />
              </Text>
            </Box>
          </form>
        </Card>
        <Card title={<FormattedMessage id="new.preview" defaultMessage="What it will create" />}>
          {preview.isError ? (
            <Text size={3} color="critical1" role="alert">
              {preview.error.message}
            </Text>
          ) : !data ? (
            <Loading />
          ) : (
            <Box display="flex" flexDirection="column" gap={3}>
              <Box display="flex" gap={2} flexWrap="wrap" alignItems="center">
                <Pill tone="info">{labelOf(intl, kindLabels, data.kind)}</Pill>
                <Text size={3}>{describeTrigger(intl, data.trigger)}</Text>
              </Box>
              {(data.goal as { event?: string } | null)?.event && (
                <Text size={3} color="default2">
                  <FormattedMessage id="new.goal" defaultMessage="Goal: {event}" values={{ event: String((data.goal as { event: string }).event) }} />
                </Text>
              )}
              <Suspense fallback={<Loading />}>
                <FlowGraph steps={data.steps} entryKey={data.entryStepKey} height={460}
                  label={intl.formatMessage({ id: "new.flowLabel", defaultMessage: "Flow of {name}" }, { name: title })} />
              </Suspense>
            </Box>
          )}
        </Card>
      </Box>
    </Page>
  );
}

/** Only what the admin changed goes to the API (the rest stays the preset's default). */
function changedParams(values: Params, defaults: Params): Params {
  return Object.fromEntries(
    Object.entries(values).filter(([name, value]) => JSON.stringify(value) !== JSON.stringify(defaults[name])),
  );
}

const scratchSchema = z.object({
  name: z.string().trim().min(1),
  kind: z.enum(["AUTORESPONDER", "NURTURING", "NEWSLETTER", "TRANSACTIONAL", "STANDALONE"]),
  triggerType: z.string().min(1),
  trigger: z.record(z.string(), z.unknown()),
  template: z.string().min(1),
});
type ScratchValues = z.infer<typeof scratchSchema>;

function ScratchForm() {
  const intl = useIntl();
  const navigate = useNavigate();
  const definitions = useApiQuery(DefinitionsQuery, {}, { staleTime: Infinity });
  const create = useApiMutation(CampaignCreateMutation);
  const [serverErrors, setServerErrors] = useState<MarketingError[]>([]);
  const form = useForm<ScratchValues>({
    resolver: zodResolver(scratchSchema),
    defaultValues: { name: "", kind: "AUTORESPONDER", triggerType: "event", trigger: {}, template: "" },
  });
  const triggerType = form.watch("triggerType");
  if (definitions.isPending) return <Loading />;
  if (definitions.isError) return <ErrorState error={definitions.error} onRetry={() => void definitions.refetch()} />;
  const triggerDefinition = definitions.data.campaignTriggerTypes.find((item) => item.type === triggerType);
  const required = intl.formatMessage({ id: "form.required", defaultMessage: "Fill this in." });
  const serverError = (field: string) =>
    serverErrors.find((error) => error.field === field || error.field?.startsWith(`${field}.`))?.message;
  const triggerErrors = Object.fromEntries(
    serverErrors.filter((error) => error.field?.startsWith("trigger.")).map((error) => [error.field!.slice(8), error.message]),
  );

  const submit = form.handleSubmit(async (values) => {
    try {
      const result = (
        await create.mutateAsync({
          input: {
            name: values.name,
            kind: values.kind as CampaignKindEnum,
            trigger: { ...values.trigger, type: values.triggerType },
            steps: [{ key: "first", type: "SEND", config: { template: values.template } }],
          },
        })
      ).campaignCreate;
      if (result?.errors.length) {
        setServerErrors(result.errors);
        return;
      }
      navigate(`/campaigns/${encodeURIComponent(result!.campaign!.id)}`);
    } catch (error) {
      setServerErrors([{ code: "GRAPHQL_ERROR", message: error instanceof Error ? error.message : String(error) }]);
    }
  });
  const known = ["name", "kind", "trigger", "steps"];
  const general = serverErrors.filter((error) => !known.some((field) => error.field === field || error.field?.startsWith(`${field}`)));

  return (
    <Page
      title={<FormattedMessage id="new.scratch.title" defaultMessage="From scratch" />}
      back={{ to: "/campaigns/new", label: intl.formatMessage({ id: "new.backToGallery", defaultMessage: "Back to scenarios" }) }}
    >
      <Box __maxWidth="640px">
        <Card>
          <form onSubmit={(event) => void submit(event)} noValidate>
            <Box display="flex" flexDirection="column" gap={4}>
              <Controller control={form.control} name="name" render={({ field, fieldState }) => (
                <Input label={labelOf(intl, fieldLabels, "name")} {...field}
                  error={Boolean(fieldState.error || serverError("name"))} helperText={fieldState.error ? required : serverError("name")} />
              )} />
              <Controller control={form.control} name="kind" render={({ field }) => (
                <label className="field-label">
                  <FormattedMessage id="new.scratch.kind" defaultMessage="Kind" />
                  <select className="native-select" {...field}>
                    {(["AUTORESPONDER", "NURTURING", "NEWSLETTER", "TRANSACTIONAL", "STANDALONE"] as const).map((kind) => (
                      <option key={kind} value={kind}>{labelOf(intl, kindLabels, kind)}</option>
                    ))}
                  </select>
                </label>
              )} />
              <Controller control={form.control} name="triggerType" render={({ field }) => (
                <label className="field-label">
                  <FormattedMessage id="new.scratch.trigger" defaultMessage="Trigger" />
                  <select className="native-select" value={field.value}
                    onChange={(event) => { field.onChange(event.target.value); form.setValue("trigger", {}); }}>
                    {definitions.data.campaignTriggerTypes.map((item) => (
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
              <Controller control={form.control} name="template" render={({ field, fieldState }) => (
                <label className="field-label">
                  <FormattedMessage id="new.scratch.template" defaultMessage="First message (template)" />
                  <select className="native-select" {...field} aria-invalid={Boolean(fieldState.error)}>
                    <option value="">—</option>
                    {(definitions.data.templateKeys ?? []).map((key) => (
                      <option key={key} value={key}>{key}</option>
                    ))}
                  </select>
                  {(fieldState.error || serverError("steps")) && (
                    <Text size={2} color="critical1">{fieldState.error ? required : serverError("steps")}</Text>
                  )}
                </label>
              )} />
              {general.map((error) => (
                <Text key={error.message} size={3} color="critical1" role="alert">{error.message}</Text>
              ))}
              <Box>
                <Button type="submit" variant="primary" disabled={create.isPending}>
                  <FormattedMessage id="new.create" defaultMessage="Create draft" />
                </Button>
              </Box>
            </Box>
          </form>
        </Card>
      </Box>
    </Page>
  );
}

export default function NewCampaign() {
  const { preset } = useParams();
  if (!preset) return <Gallery />;
  if (preset === "scratch") return <ScratchForm />;
  return <PresetForm slug={preset} />;
}
