// The campaign report: headline figures, funnel per step, revenue per follow-up step
// (cumulative), the figures over time, A/B results and the holdout's uplift.
import { Box, Text } from "@saleor/macaw-ui";
import { Pencil } from "lucide-react";
import { lazy, Suspense } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { Link, useParams, useSearchParams } from "react-router-dom";

import { isUnknownId } from "../api/errors";
import { useApiQuery } from "../api/hooks";
import { CampaignCreatedQuery, CampaignReportQuery } from "../api/operations";
import { StatusChip } from "../components/Chips";
import { Card, Page } from "../components/Page";
import { ErrorState, Loading, NotFound } from "../components/states";
import type { ReportIntervalEnum } from "../gql/graphql";
import { Experiment } from "../report/Experiments";
import { Holdout } from "../report/Holdout";
import { Funnel, Headline, RevenueTable } from "../report/sections";

// The chart library is the largest part of the page: its download and parsing start with
// the page, alongside the report's request, instead of after the report arrived.
const overTimeModule = import("../report/OverTime");
const OverTime = lazy(() => overTimeModule);

const DAY = 86_400_000;
const RANGES = ["all", "90", "30", "7"] as const;
type Range = (typeof RANGES)[number];

/** From, to and bucket size of the chart: days up to three months, else weeks (API: ≤ 520). */
export function reportWindow(range: Range, createdAt: string | undefined, now = Date.now()) {
  const to = new Date(Math.ceil(now / DAY) * DAY);
  const since = range === "all" ? new Date(createdAt ?? now - 30 * DAY).getTime() : now - Number(range) * DAY;
  const from = new Date(Math.max(Math.floor(since / DAY) * DAY, to.getTime() - 519 * 7 * DAY));
  const interval: ReportIntervalEnum = to.getTime() - from.getTime() > 92 * DAY ? "WEEK" : "DAY";
  return { from: from.toISOString(), to: to.toISOString(), interval };
}

export default function CampaignReport() {
  const intl = useIntl();
  const { id = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const range = (RANGES as readonly string[]).includes(params.get("range") ?? "") ? (params.get("range") as Range) : "all";
  const currency = params.get("currency");
  // "Since it was created" needs the creation date before the report can be asked for.
  const created = useApiQuery(CampaignCreatedQuery, { id }, { staleTime: Infinity });
  const createdAt = created.data?.campaign?.createdAt;
  const window = reportWindow(range, createdAt);
  const report = useApiQuery(
    CampaignReportQuery,
    { id, ...window, currency: currency ?? undefined },
    { placeholderData: (previous) => previous, enabled: Boolean(createdAt) },
  );

  if (created.isError && !isUnknownId(created.error)) {
    return <ErrorState error={created.error} onRetry={() => void created.refetch()} />;
  }
  if (created.isError || (created.isSuccess && !created.data.campaign)) {
    return <NotFound what={<FormattedMessage id="editor.notFound" defaultMessage="There is no such campaign" />} />;
  }
  if (report.isPending) return <Loading />;
  if (report.isError) return <ErrorState error={report.error} onRetry={() => void report.refetch()} />;
  const { campaign, campaignReport, campaignAttribution } = report.data;
  if (!campaign || !campaignReport) return <NotFound what={<FormattedMessage id="editor.notFound" defaultMessage="There is no such campaign" />} />;
  const splits = campaign.steps.filter((step) => step.type === "SPLIT");
  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    setParams(next, { replace: true });
  };

  return (
    <Page
      title={<FormattedMessage id="report.title" defaultMessage="Report: {name}" values={{ name: campaign.name }} />}
      subtitle={<StatusChip status={campaign.status} />}
      back={{ to: "/", label: intl.formatMessage({ id: "nav.backToCampaigns", defaultMessage: "Back to campaigns" }) }}
      actions={
        <Link to={`/campaigns/${encodeURIComponent(campaign.id)}`} className="button-link secondary">
          <Pencil size={16} aria-hidden />
          <FormattedMessage id="report.edit" defaultMessage="Edit campaign" />
        </Link>
      }
    >
      <Headline report={campaignReport} attribution={campaignAttribution} />
      <Card
        title={<FormattedMessage id="report.overTime" defaultMessage="Over time" />}
        actions={
          <label className="field-label inline">
            <FormattedMessage id="report.range" defaultMessage="Period" />
            <select className="native-select" value={range} onChange={(event) => setParam("range", event.target.value)}>
              <option value="all">{intl.formatMessage({ id: "report.range.all", defaultMessage: "Since it was created" })}</option>
              <option value="90">{intl.formatMessage({ id: "report.range.90", defaultMessage: "Last 90 days" })}</option>
              <option value="30">{intl.formatMessage({ id: "report.range.30", defaultMessage: "Last 30 days" })}</option>
              <option value="7">{intl.formatMessage({ id: "report.range.7", defaultMessage: "Last 7 days" })}</option>
            </select>
          </label>
        }
      >
        <Suspense fallback={<Loading />}>
          <OverTime report={campaignReport} attribution={campaignAttribution} />
        </Suspense>
      </Card>
      <Box className="report-columns">
        <Funnel report={campaignReport} />
        <Holdout uplift={campaignAttribution?.uplift} currency={campaignAttribution?.currency} />
      </Box>
      {campaignAttribution && (
        <RevenueTable attribution={campaignAttribution} onCurrency={(code) => setParam("currency", code)} />
      )}
      {splits.map((step) => (
        <Experiment key={step.key} campaignId={campaign.id} stepKey={step.key} title={step.name || step.key} currency={campaignAttribution?.currency} />
      ))}
      {splits.length === 0 && (
        <Text size={2} color="default2">
          <FormattedMessage id="report.noExperiment" defaultMessage="This campaign has no A/B split step; add one in the editor to test variants." />
        </Text>
      )}
    </Page>
  );
}
