// The campaign editor: the flow as a graph, a side panel for the selected step, the
// campaign's settings and a dry run; activate, pause, archive, duplicate.
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useQueryClient } from "@tanstack/react-query";
import { BarChart3, Copy } from "lucide-react";
import { lazy, Suspense, useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { Link, useNavigate, useParams } from "react-router-dom";

import { isUnknownId, type MarketingError } from "../api/errors";
import { useApiMutation, useApiQuery } from "../api/hooks";
import {
  CampaignActivateMutation,
  CampaignArchiveMutation,
  CampaignDuplicateMutation,
  CampaignEntrantsQuery,
  CampaignPauseMutation,
  CampaignQuery,
  DefinitionsQuery,
} from "../api/operations";
import { useSession } from "../auth/Session";
import { StatusChip } from "../components/Chips";
import { describeTrigger } from "../components/describe";
import { Card, Page } from "../components/Page";
import { ErrorState, Loading, NotFound } from "../components/states";
import { DryRun } from "../editor/DryRun";
import { SettingsPanel } from "../editor/SettingsPanel";
import { AddStep, StepPanel } from "../editor/StepPanel";
import type { CampaignDetailsFragment } from "../gql/graphql";
import { kindLabels, labelOf } from "../i18n/labels";

const FlowGraph = lazy(() => import("../flow/FlowGraph"));

type Tab = "step" | "add" | "settings" | "dryRun";

function useCampaignCache(id: string) {
  const queryClient = useQueryClient();
  return (campaign: CampaignDetailsFragment) => {
    queryClient.setQueryData(["Campaign", { id }], { campaign });
    void queryClient.invalidateQueries({ queryKey: ["CampaignList"] });
    void queryClient.invalidateQueries({ queryKey: ["CampaignEntrants"] });
  };
}

function Actions({ campaign, onChanged }: { campaign: CampaignDetailsFragment; onChanged: (campaign: CampaignDetailsFragment) => void }) {
  const intl = useIntl();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const activate = useApiMutation(CampaignActivateMutation);
  const pause = useApiMutation(CampaignPauseMutation);
  const archive = useApiMutation(CampaignArchiveMutation);
  const duplicate = useApiMutation(CampaignDuplicateMutation);
  const [errors, setErrors] = useState<MarketingError[]>([]);
  const [confirmArchive, setConfirmArchive] = useState(false);
  const busy = activate.isPending || pause.isPending || archive.isPending || duplicate.isPending;

  const run = async (action: () => Promise<{ errors: MarketingError[]; campaign?: { id: string; status?: string; updatedAt?: string } | null } | null | undefined>) => {
    setErrors([]);
    try {
      const result = await action();
      if (result?.errors.length) {
        setErrors(result.errors);
        return null;
      }
      void queryClient.invalidateQueries({ queryKey: ["CampaignList"] });
      return result?.campaign ?? null;
    } catch (error) {
      setErrors([{ code: "GRAPHQL_ERROR", message: error instanceof Error ? error.message : String(error) }]);
      return null;
    }
  };
  const changeStatus = async (action: "activate" | "pause" | "archive") => {
    const changed = await run(async () => {
      if (action === "activate") return (await activate.mutateAsync({ id: campaign.id })).campaignActivate;
      if (action === "pause") return (await pause.mutateAsync({ id: campaign.id })).campaignPause;
      return (await archive.mutateAsync({ id: campaign.id })).campaignArchive;
    });
    if (changed) {
      // A status change is a save: later edits are checked against its time.
      onChanged({
        ...campaign,
        status: changed.status as CampaignDetailsFragment["status"],
        updatedAt: changed.updatedAt ?? campaign.updatedAt,
      });
    }
    setConfirmArchive(false);
  };
  const copy = async () => {
    const created = await run(async () => (await duplicate.mutateAsync({ id: campaign.id })).campaignDuplicate);
    if (created) navigate(`/campaigns/${encodeURIComponent(created.id)}`);
  };

  return (
    <Box display="flex" flexDirection="column" gap={2} alignItems={{ mobile: "flex-start", desktop: "flex-end" }}>
      <Box display="flex" gap={2} flexWrap="wrap">
        <Link to={`/campaigns/${encodeURIComponent(campaign.id)}/report`} className="button-link secondary">
          <BarChart3 size={16} aria-hidden />
          <FormattedMessage id="editor.report" defaultMessage="Report" />
        </Link>
        <Button variant="secondary" icon={<Copy size={16} />} disabled={busy} onClick={() => void copy()}>
          <FormattedMessage id="editor.duplicate" defaultMessage="Duplicate" />
        </Button>
        {campaign.status !== "ARCHIVED" &&
          (confirmArchive ? (
            <>
              <Button variant="error" disabled={busy} onClick={() => void changeStatus("archive")}>
                <FormattedMessage id="editor.archive.confirm" defaultMessage="Archive for good" />
              </Button>
              <Button variant="tertiary" onClick={() => setConfirmArchive(false)}>
                <FormattedMessage id="action.cancel" defaultMessage="Cancel" />
              </Button>
            </>
          ) : (
            <Button variant="secondary" disabled={busy} onClick={() => setConfirmArchive(true)}>
              <FormattedMessage id="editor.archive" defaultMessage="Archive" />
            </Button>
          ))}
        {campaign.status === "ACTIVE" ? (
          <Button variant="secondary" disabled={busy} onClick={() => void changeStatus("pause")}>
            <FormattedMessage id="editor.pause" defaultMessage="Pause" />
          </Button>
        ) : campaign.status !== "ARCHIVED" ? (
          <Button variant="primary" disabled={busy} onClick={() => void changeStatus("activate")}>
            <FormattedMessage id="editor.activate" defaultMessage="Activate" />
          </Button>
        ) : null}
      </Box>
      {confirmArchive && (
        <Text size={2} color="default2">
          <FormattedMessage id="editor.archive.explain" defaultMessage="Archived campaigns stop for everyone and cannot be activated again." />
        </Text>
      )}
      {errors.map((error) => (
        <Text key={error.message} size={3} color="critical1" role="alert">
          {error.message}
        </Text>
      ))}
      <span className="visually-hidden" aria-live="polite">
        {intl.formatMessage({ id: "editor.statusNow", defaultMessage: "Status: {status}" }, { status: campaign.status })}
      </span>
    </Box>
  );
}

export default function CampaignEditor() {
  const intl = useIntl();
  const { id = "" } = useParams();
  const { canManageDiscounts } = useSession();
  const campaignQuery = useApiQuery(CampaignQuery, { id });
  const definitions = useApiQuery(DefinitionsQuery, {}, { staleTime: Infinity });
  const entrants = useApiQuery(CampaignEntrantsQuery, { id }, { retry: false });
  const store = useCampaignCache(id);
  const [selected, setSelected] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>("settings");

  if (campaignQuery.isPending || definitions.isPending) return <Loading />;
  if (campaignQuery.isError) {
    if (isUnknownId(campaignQuery.error)) return <NotFound what={<FormattedMessage id="editor.notFound" defaultMessage="There is no such campaign" />} />;
    return <ErrorState error={campaignQuery.error} onRetry={() => void campaignQuery.refetch()} />;
  }
  if (definitions.isError) return <ErrorState error={definitions.error} onRetry={() => void definitions.refetch()} />;
  const campaign = campaignQuery.data.campaign;
  if (!campaign) return <NotFound what={<FormattedMessage id="editor.notFound" defaultMessage="There is no such campaign" />} />;

  const step = campaign.steps.find((item) => item.key === selected);
  const entryKey = campaign.entryStepKey || campaign.steps[0]?.key || "";
  // Only messages are counted as sent; other steps show no figure.
  const sent = Object.fromEntries(campaign.steps.filter((item) => item.type === "SEND").map((item) => [item.key, item.figures.sent]));
  const select = (key: string) => {
    setSelected(key);
    setTab("step");
  };
  const tabs: { id: Tab; label: string; hidden?: boolean }[] = [
    { id: "step", label: intl.formatMessage({ id: "editor.tab.step", defaultMessage: "Step" }), hidden: !step },
    { id: "add", label: intl.formatMessage({ id: "editor.tab.add", defaultMessage: "Add step" }) },
    { id: "settings", label: intl.formatMessage({ id: "editor.tab.settings", defaultMessage: "Settings" }) },
    { id: "dryRun", label: intl.formatMessage({ id: "editor.tab.dryRun", defaultMessage: "Dry run" }) },
  ];

  return (
    <Page
      title={campaign.name}
      subtitle={
        <Box as="span" display="inline-flex" gap={2} alignItems="center" flexWrap="wrap">
          <StatusChip status={campaign.status} />
          <span>
            {labelOf(intl, kindLabels, campaign.kind)} · {describeTrigger(intl, campaign.trigger)}
            {entrants.data?.campaignEntrantsCount != null &&
              ` · ${intl.formatMessage(
                { id: "editor.entrants", defaultMessage: "{count, plural, one {# contact} other {# contacts}} would enter now" },
                { count: entrants.data.campaignEntrantsCount },
              )}`}
          </span>
        </Box>
      }
      back={{ to: "/", label: intl.formatMessage({ id: "nav.backToCampaigns", defaultMessage: "Back to campaigns" }) }}
      actions={<Actions campaign={campaign} onChanged={store} />}
    >
      <Box className="editor-layout">
        <Card title={<FormattedMessage id="editor.flow" defaultMessage="Flow" />} padding={4}>
          <Text size={2} color="default2" marginBottom={3} display="block">
            <FormattedMessage id="editor.flowHelp" defaultMessage="Select a step to edit it. Branches and A/B arms are drawn side by side." />
          </Text>
          <Suspense fallback={<Loading />}>
            <FlowGraph
              steps={campaign.steps}
              entryKey={entryKey}
              selected={selected}
              onSelect={select}
              sent={sent}
              label={intl.formatMessage({ id: "editor.flowLabel", defaultMessage: "Flow of {name}" }, { name: campaign.name })}
            />
          </Suspense>
          <Box as="ul" margin={0} marginTop={3} padding={0} display="flex" gap={2} flexWrap="wrap" aria-label={intl.formatMessage({ id: "editor.stepList", defaultMessage: "Steps" })}>
            {campaign.steps.map((item) => (
              <Box as="li" key={item.key} listStyleType="none">
                <button type="button" className="step-chip" aria-pressed={item.key === selected} onClick={() => select(item.key)}>
                  {item.name || item.key}
                </button>
              </Box>
            ))}
          </Box>
        </Card>
        <Card padding={0}>
          <div role="tablist" className="tabs" aria-label={intl.formatMessage({ id: "editor.panel", defaultMessage: "Editor panel" })}>
            {tabs
              .filter((item) => !item.hidden)
              .map((item) => (
                <button key={item.id} type="button" role="tab" className="tab" aria-selected={tab === item.id} onClick={() => setTab(item.id)}>
                  {item.label}
                </button>
              ))}
          </div>
          <Box padding={5} role="tabpanel">
            {tab === "step" && step ? (
              <StepPanel
                campaign={campaign}
                step={step}
                definitions={definitions.data}
                onSaved={store}
                onRemoved={(changed) => {
                  store(changed);
                  setSelected(null);
                  setTab("settings");
                }}
              />
            ) : tab === "add" ? (
              <AddStep
                campaign={campaign}
                afterKey={selected}
                definitions={definitions.data}
                canManageDiscounts={canManageDiscounts}
                onAdded={(changed, key) => {
                  store(changed);
                  select(key);
                }}
              />
            ) : tab === "dryRun" ? (
              <DryRun campaignId={campaign.id} />
            ) : (
              <SettingsPanel
                campaign={campaign}
                definitions={definitions.data}
                entrants={entrants.data?.campaignEntrantsCount}
                onSaved={store}
              />
            )}
          </Box>
        </Card>
      </Box>
    </Page>
  );
}
