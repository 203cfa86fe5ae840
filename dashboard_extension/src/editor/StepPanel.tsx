// The selected step: its form (from the step type's schema), its successor, remove; and a
// form to add a step after it. The server's field errors appear at the field they name.
import { Box, Button, Text } from "@saleor/macaw-ui";

import { Plus, Trash2 } from "lucide-react";
import { useEffect, useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";

import type { MarketingError } from "../api/errors";
import { useApiMutation } from "../api/hooks";
import { CampaignStepAddMutation, CampaignStepRemoveMutation, CampaignStepUpdateMutation } from "../api/operations";
import { formErrors, type JsonSchema, SchemaFields } from "../forms/SchemaForm";
import type { CampaignDetailsFragment, CampaignStepTypeEnum, DefinitionsQuery } from "../gql/graphql";
import { labelOf, stepTypeDescriptions, stepTypeLabels } from "../i18n/labels";
import { Input } from "../components/Input";
import { BlockComposer } from "../composer/BlockComposer";
import { isBlockError, sameJson } from "../composer/blocks";
import { StepPreview } from "../composer/StepPreview";

type Step = CampaignDetailsFragment["steps"][number];
type Definitions = DefinitionsQuery;

const STEP_PREFIX = /^(steps\[\d+\]\.)?config\.?/;
/** Types whose successors live in their configuration (arms), not in ``nextKey``. */
const FORKS = new Set(["BRANCH", "SPLIT"]);

/** An email send step: its content blocks get the composer, not a JSON field. */
function composesEmail(type: string, config: Record<string, unknown>): boolean {
  return type === "SEND" && (config.channel ?? "email") === "email";
}

function withoutBlocks(schema: JsonSchema): JsonSchema {
  const { blocks: _blocks, ...properties } = schema.properties ?? {};
  return { ...schema, properties };
}

function ErrorList({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <Box role="alert" display="flex" flexDirection="column" gap={1} padding={3} borderRadius={3} backgroundColor="critical1">
      {messages.map((message) => (
        <Text key={message} size={3} color="critical1">
          {message}
        </Text>
      ))}
    </Box>
  );
}

function errorText(error: unknown): MarketingError[] {
  return [{ code: "GRAPHQL_ERROR", message: error instanceof Error ? error.message : String(error) }];
}

export function StepPanel({
  campaign,
  step,
  definitions,
  onSaved,
  onRemoved,
}: {
  campaign: CampaignDetailsFragment;
  step: Step;
  definitions: Definitions;
  onSaved: (campaign: CampaignDetailsFragment) => void;
  onRemoved: (campaign: CampaignDetailsFragment) => void;
}) {
  const intl = useIntl();
  const definition = definitions.campaignStepTypes.find((item) => item.type === step.type);
  const [config, setConfig] = useState<Record<string, unknown>>((step.config ?? {}) as Record<string, unknown>);
  const [nextKey, setNextKey] = useState(step.nextKey);
  const [errors, setErrors] = useState<MarketingError[]>([]);
  const [saved, setSaved] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const update = useApiMutation(CampaignStepUpdateMutation);
  const remove = useApiMutation(CampaignStepRemoveMutation);

  useEffect(() => {
    // Another step was selected: show its values (typed values of this one are not carried over).
    setConfig((step.config ?? {}) as Record<string, unknown>);
    setNextKey(step.nextKey);
    setErrors([]);
    setSaved(false);
    setConfirmRemove(false);
  }, [step.key]); // eslint-disable-line react-hooks/exhaustive-deps

  const otherKeys = campaign.steps.map((item) => item.key).filter((key) => key !== step.key);
  const composer = composesEmail(step.type, config);
  const { fields, general } = formErrors(
    errors.filter((error) => error.field !== "nextKey" && !(composer && isBlockError(error.field))),
    STEP_PREFIX,
  );
  const voucherSteps = campaign.steps.filter((item) => item.type === "VOUCHER").map((item) => ({ key: item.key, name: item.name }));
  const nextError = errors.find((error) => error.field === "nextKey")?.message;

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setSaved(false);
    try {
      const result = (
        await update.mutateAsync({
          campaignId: campaign.id,
          key: step.key,
          config,
          nextKey: FORKS.has(step.type) || definition?.final ? undefined : nextKey,
          expectedUpdatedAt: campaign.updatedAt,
        })
      ).campaignStepUpdate;
      if (result?.errors.length) {
        setErrors(result.errors);
        return;
      }
      setErrors([]);
      setSaved(true);
      if (result?.campaign) onSaved(result.campaign);
    } catch (error) {
      setErrors(errorText(error));
    }
  };

  const removeStep = async () => {
    try {
      const result = (await remove.mutateAsync({ campaignId: campaign.id, key: step.key, expectedUpdatedAt: campaign.updatedAt })).campaignStepRemove;
      if (result?.errors.length) {
        setErrors(result.errors);
        return;
      }
      if (result?.campaign) onRemoved(result.campaign);
    } catch (error) {
      setErrors(errorText(error));
    }
  };

  return (
    <Box display="flex" flexDirection="column" gap={4}>
      <Box display="flex" flexDirection="column" gap={1}>
        <Text size={2} color="default2" textTransform="uppercase" fontWeight="medium">
          {labelOf(intl, stepTypeLabels, step.type, definition?.label)}
        </Text>
        <Text as="h2" size={6} fontWeight="bold">
          {step.name || step.key}
        </Text>
        <Text size={3} color="default2">
          {labelOf(intl, stepTypeDescriptions, step.type, definition?.description)}
        </Text>
      </Box>
      <form onSubmit={(event) => void save(event)} noValidate aria-label={intl.formatMessage({ id: "step.form", defaultMessage: "Step settings" })}>
        <Box display="flex" flexDirection="column" gap={4}>
          {definition && (
            <SchemaFields
              schema={composer ? withoutBlocks(definition.configSchema as JsonSchema) : (definition.configSchema as JsonSchema)}
              value={config}
              onChange={setConfig}
              errors={fields}
              context={{ stepKeys: otherKeys, templateKeys: definitions.templateKeys ?? [] }}
            />
          )}
          {composer && (
            <BlockComposer
              value={config.blocks}
              errors={errors.filter((error) => isBlockError(error.field))}
              voucherSteps={voucherSteps}
              onChange={(blocks) => {
                const { blocks: _old, ...rest } = config;
                setConfig(blocks.length ? { ...rest, blocks } : rest);
              }}
            />
          )}
          {!FORKS.has(step.type) && !definition?.final && (
            <label className="field-label">
              <FormattedMessage id="step.next" defaultMessage="Next step" />
              <select className="native-select" value={nextKey} onChange={(event) => setNextKey(event.target.value)} aria-invalid={Boolean(nextError)}>
                <option value="">{intl.formatMessage({ id: "step.next.none", defaultMessage: "— end of the flow —" })}</option>
                {otherKeys.map((key) => (
                  <option key={key} value={key}>
                    {key}
                  </option>
                ))}
              </select>
              {nextError && <Text size={2} color="critical1">{nextError}</Text>}
            </label>
          )}
          <ErrorList messages={general} />
          {saved && (
            <Text size={3} color="success1" role="status">
              <FormattedMessage id="step.saved" defaultMessage="Saved." />
            </Text>
          )}
          <Box display="flex" gap={2} justifyContent="space-between" flexWrap="wrap">
            <Button type="submit" variant="primary" disabled={update.isPending}>
              <FormattedMessage id="step.save" defaultMessage="Save step" />
            </Button>
            {confirmRemove ? (
              <Box display="flex" gap={2}>
                <Button type="button" variant="error" onClick={() => void removeStep()} disabled={remove.isPending}>
                  <FormattedMessage id="step.remove.confirm" defaultMessage="Remove for good" />
                </Button>
                <Button type="button" variant="tertiary" onClick={() => setConfirmRemove(false)}>
                  <FormattedMessage id="action.cancel" defaultMessage="Cancel" />
                </Button>
              </Box>
            ) : (
              <Button type="button" variant="tertiary" icon={<Trash2 size={16} />} onClick={() => setConfirmRemove(true)}>
                <FormattedMessage id="step.remove" defaultMessage="Remove step" />
              </Button>
            )}
          </Box>
          {confirmRemove && (
            <Text size={2} color="default2">
              <FormattedMessage
                id="step.remove.explain"
                defaultMessage="Contacts waiting here move on to the next step; messages already sent stay in the report."
              />
            </Text>
          )}
        </Box>
      </form>
      {composesEmail(step.type, (step.config ?? {}) as Record<string, unknown>) && (
        <StepPreview
          campaignId={campaign.id}
          stepKey={step.key}
          version={campaign.updatedAt}
          unsaved={!sameJson(config, step.config ?? {})}
        />
      )}
    </Box>
  );
}

export function AddStep({
  campaign,
  afterKey,
  definitions,
  onAdded,
  canManageDiscounts,
}: {
  campaign: CampaignDetailsFragment;
  afterKey: string | null;
  definitions: Definitions;
  onAdded: (campaign: CampaignDetailsFragment, key: string) => void;
  canManageDiscounts: boolean;
}) {
  const intl = useIntl();
  const [type, setType] = useState<CampaignStepTypeEnum>("SEND");
  const [key, setKey] = useState("");
  const [config, setConfig] = useState<Record<string, unknown>>({});
  const [errors, setErrors] = useState<MarketingError[]>([]);
  const add = useApiMutation(CampaignStepAddMutation);
  const definition = definitions.campaignStepTypes.find((item) => item.type === type);
  const { fields, general } = formErrors(
    errors.filter((error) => !["key", "input.key"].includes(error.field ?? "")),
    /^(input\.)?(steps\[\d+\]\.)?config\.?/,
  );
  const keyError = errors.find((error) => ["key", "input.key"].includes(error.field ?? ""))?.message;
  const suggestedKey = key || `${type.toLowerCase()}_${campaign.steps.length + 1}`;

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    try {
      const result = (
        await add.mutateAsync({
          campaignId: campaign.id,
          afterKey,
          input: { key: suggestedKey, type, config },
          expectedUpdatedAt: campaign.updatedAt,
        })
      ).campaignStepAdd;
      if (result?.errors.length) {
        setErrors(result.errors);
        return;
      }
      setErrors([]);
      setConfig({});
      setKey("");
      if (result?.campaign) onAdded(result.campaign, suggestedKey);
    } catch (error) {
      setErrors(errorText(error));
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-label={intl.formatMessage({ id: "add.form", defaultMessage: "Add a step" })}>
      <Box display="flex" flexDirection="column" gap={4}>
        <Text as="h2" size={6} fontWeight="bold">
          {afterKey ? (
            <FormattedMessage id="add.titleAfter" defaultMessage="Add a step after “{key}”" values={{ key: afterKey }} />
          ) : (
            <FormattedMessage id="add.title" defaultMessage="Add a step" />
          )}
        </Text>
        <label className="field-label">
          <FormattedMessage id="add.type" defaultMessage="Type" />
          <select className="native-select" value={type} onChange={(event) => { setType(event.target.value as CampaignStepTypeEnum); setConfig({}); }}>
            {definitions.campaignStepTypes
              .filter((item) => canManageDiscounts || item.type !== "VOUCHER")
              .map((item) => (
                <option key={item.type} value={item.type}>
                  {labelOf(intl, stepTypeLabels, item.type, item.label)}
                </option>
              ))}
          </select>
        </label>
        <Text size={3} color="default2">
          {labelOf(intl, stepTypeDescriptions, type, definition?.description)}
        </Text>
        <Input
          label={intl.formatMessage({ id: "add.key", defaultMessage: "Key (stable id in reports)" })}
          size="small"
          value={key}
          placeholder={suggestedKey}
          error={Boolean(keyError)}
          helperText={keyError}
          onChange={(event) => setKey(event.target.value)}
        />
        {definition && (
          <SchemaFields
            schema={definition.configSchema as JsonSchema}
            value={config}
            onChange={setConfig}
            errors={fields}
            context={{ stepKeys: campaign.steps.map((step) => step.key), templateKeys: definitions.templateKeys ?? [] }}
          />
        )}
        <ErrorList messages={general} />
        <Box>
          <Button type="submit" variant="primary" icon={<Plus size={16} />} disabled={add.isPending}>
            <FormattedMessage id="add.submit" defaultMessage="Add step" />
          </Button>
        </Box>
      </Box>
    </form>
  );
}
