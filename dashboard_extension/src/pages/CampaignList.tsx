// Campaigns: filter, sort, search, pages; figures, revenue per currency and a sparkline per
// campaign; activate or pause several at once. The page's state lives in the URL.
import { Box, Button, Text } from "@saleor/macaw-ui";

import { useQueryClient } from "@tanstack/react-query";
import { ArrowDown, ArrowUp, Plus } from "lucide-react";
import { useEffect, useMemo, useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { Link } from "react-router-dom";

import { useApiQuery, useApiMutation } from "../api/hooks";
import {
  CampaignActivateMutation,
  CampaignListExtrasQuery,
  CampaignListQuery,
  CampaignPauseMutation,
} from "../api/operations";
import { StatusChip } from "../components/Chips";
import { describeTrigger } from "../components/describe";
import { rate, useFormat } from "../components/format";
import { Card, Page } from "../components/Page";
import { Sparkline } from "../components/Sparkline";
import { ErrorState, Loading } from "../components/states";
import { Pager, useUrlParams } from "../components/ListPaging";
import { Table, Td, Th } from "../components/Table";
import type {
  CampaignKindEnum,
  CampaignListQuery as ListData,
  CampaignSortField,
  CampaignStatusEnum,
  MoneyTotal,
} from "../gql/graphql";
import { kindLabels, labelOf, statusLabels } from "../i18n/labels";
import { Input } from "../components/Input";

const STATUSES: CampaignStatusEnum[] = ["ACTIVE", "PAUSED", "DRAFT", "ARCHIVED"];
const KINDS: CampaignKindEnum[] = ["AUTORESPONDER", "NURTURING", "NEWSLETTER", "TRANSACTIONAL", "STANDALONE"];
/** The sparkline shows messages sent per week over this many weeks. */
const SPARKLINE_WEEKS = 12;

type Row = NonNullable<NonNullable<NonNullable<ListData["campaigns"]>["edges"][number]>["node"]>;

function useListParams() {
  const { params, update } = useUrlParams();
  return {
    search: params.get("q") ?? "",
    status: params.get("status") as CampaignStatusEnum | null,
    kind: params.get("kind") as CampaignKindEnum | null,
    sort: (params.get("sort") as CampaignSortField | null) ?? "CREATED_AT",
    direction: (params.get("dir") as "ASC" | "DESC" | null) ?? "DESC",
    size: Number(params.get("size") ?? 20),
    after: params.get("after"),
    before: params.get("before"),
    update,
  };
}

function Revenue({ totals }: { totals: readonly Pick<MoneyTotal, "currency" | "amount">[] | undefined }) {
  const format = useFormat();
  if (!totals) return <Text color="default2">…</Text>;
  if (totals.length === 0) return <Text color="default2">–</Text>;
  return (
    <Box display="flex" flexDirection="column" alignItems="flex-end">
      {totals.map((total) => (
        <Text key={total.currency} size={3} whiteSpace="nowrap">
          {format.money(total.amount, total.currency)}
        </Text>
      ))}
    </Box>
  );
}

function SortHeader({
  field,
  children,
  state,
}: {
  field: CampaignSortField;
  children: React.ReactNode;
  state: ReturnType<typeof useListParams>;
}) {
  const active = state.sort === field;
  const next = active && state.direction === "ASC" ? "DESC" : "ASC";
  const Icon = state.direction === "ASC" ? ArrowUp : ArrowDown;
  return (
    <button
      type="button"
      className="sort-button"
      aria-sort={active ? (state.direction === "ASC" ? "ascending" : "descending") : undefined}
      onClick={() => state.update({ sort: field, dir: next })}
    >
      {children}
      {active && <Icon size={14} aria-hidden />}
    </button>
  );
}

function BulkBar({
  selected,
  rows,
  onDone,
}: {
  selected: string[];
  rows: Row[];
  onDone: () => void;
}) {
  const intl = useIntl();
  const activate = useApiMutation(CampaignActivateMutation);
  const pause = useApiMutation(CampaignPauseMutation);
  const [outcome, setOutcome] = useState<{ done: number; failures: string[] } | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: "activate" | "pause") => {
    setBusy(true);
    const failures: string[] = [];
    let done = 0;
    // One by one: each campaign's refusal is reported by name, and the rest still run.
    for (const id of selected) {
      const name = rows.find((row) => row.id === id)?.name ?? id;
      try {
        const result =
          action === "activate"
            ? (await activate.mutateAsync({ id })).campaignActivate
            : (await pause.mutateAsync({ id })).campaignPause;
        if (result?.errors.length) failures.push(`${name}: ${result.errors[0].message}`);
        else done += 1;
      } catch (error) {
        failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    setBusy(false);
    setOutcome({ done, failures });
    onDone();
  };

  if (selected.length === 0 && !outcome) return null;
  return (
    <Box
      display="flex"
      flexDirection="column"
      gap={2}
      padding={3}
      borderRadius={3}
      backgroundColor="default2"
      role="region"
      aria-label={intl.formatMessage({ id: "list.bulk.region", defaultMessage: "Bulk actions" })}
    >
      {selected.length > 0 && (
        <Box display="flex" alignItems="center" gap={3} flexWrap="wrap">
          <Text size={3} fontWeight="medium">
            <FormattedMessage
              id="list.bulk.selected"
              defaultMessage="{count, plural, one {# campaign selected} other {# campaigns selected}}"
              values={{ count: selected.length }}
            />
          </Text>
          <Button variant="primary" size="small" disabled={busy} onClick={() => void run("activate")}>
            <FormattedMessage id="list.bulk.activate" defaultMessage="Activate" />
          </Button>
          <Button variant="secondary" size="small" disabled={busy} onClick={() => void run("pause")}>
            <FormattedMessage id="list.bulk.pause" defaultMessage="Pause" />
          </Button>
        </Box>
      )}
      {outcome && (
        <Box role="status" display="flex" flexDirection="column" gap={1}>
          <Text size={3}>
            <FormattedMessage
              id="list.bulk.outcome"
              defaultMessage="{done, plural, one {# campaign changed} other {# campaigns changed}}{failed, plural, =0 {.} other {; # refused:}}"
              values={{ done: outcome.done, failed: outcome.failures.length }}
            />
          </Text>
          {outcome.failures.map((failure) => (
            <Text key={failure} size={2} color="critical1">
              {failure}
            </Text>
          ))}
        </Box>
      )}
    </Box>
  );
}

function Filters({ state }: { state: ReturnType<typeof useListParams> }) {
  const intl = useIntl();
  const [search, setSearch] = useState(state.search);
  useEffect(() => {
    const timer = window.setTimeout(() => {
      if (search !== state.search) state.update({ q: search });
    }, 300);
    return () => window.clearTimeout(timer);
  }, [search, state]);
  return (
    <Box display="flex" gap={3} flexWrap="wrap" alignItems="flex-end">
      <Box __flex="1 1 240px">
        <Input
          type="text"
          label={intl.formatMessage({ id: "list.search", defaultMessage: "Search by name" })}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          size="small"
        />
      </Box>
      <label className="field-label">
        <FormattedMessage id="list.filter.status" defaultMessage="Status" />
        <select
          className="native-select"
          value={state.status ?? ""}
          onChange={(event) => state.update({ status: event.target.value })}
        >
          <option value="">{intl.formatMessage({ id: "list.filter.allStatuses", defaultMessage: "All statuses" })}</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {labelOf(intl, statusLabels, status)}
            </option>
          ))}
        </select>
      </label>
      <label className="field-label">
        <FormattedMessage id="list.filter.kind" defaultMessage="Kind" />
        <select
          className="native-select"
          value={state.kind ?? ""}
          onChange={(event) => state.update({ kind: event.target.value })}
        >
          <option value="">{intl.formatMessage({ id: "list.filter.allKinds", defaultMessage: "All kinds" })}</option>
          {KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {labelOf(intl, kindLabels, kind)}
            </option>
          ))}
        </select>
      </label>
      <label className="field-label">
        <FormattedMessage id="list.sort" defaultMessage="Sort by" />
        <select
          className="native-select"
          value={`${state.sort}:${state.direction}`}
          onChange={(event) => {
            const [sort, dir] = event.target.value.split(":");
            state.update({ sort, dir });
          }}
        >
          <option value="CREATED_AT:DESC">{intl.formatMessage({ id: "list.sort.newest", defaultMessage: "Newest first" })}</option>
          <option value="UPDATED_AT:DESC">{intl.formatMessage({ id: "list.sort.updated", defaultMessage: "Recently changed" })}</option>
          <option value="NAME:ASC">{intl.formatMessage({ id: "list.sort.name", defaultMessage: "Name (A–Z)" })}</option>
          <option value="STATUS:ASC">{intl.formatMessage({ id: "list.sort.status", defaultMessage: "Status" })}</option>
          <option value="PRIORITY:DESC">{intl.formatMessage({ id: "list.sort.priority", defaultMessage: "Priority" })}</option>
        </select>
      </label>
    </Box>
  );
}

function useExtras(rows: Row[]) {
  const ids = rows.map((row) => row.id);
  // Whole weeks, so the key (and the cache) stays the same all day.
  const from = new Date(Math.floor(Date.now() / 86_400_000 - SPARKLINE_WEEKS * 7) * 86_400_000).toISOString();
  return useApiQuery(
    CampaignListExtrasQuery,
    { ids, from, interval: "WEEK" },
    { enabled: ids.length > 0 },
  );
}

export function CampaignList() {
  const intl = useIntl();
  const format = useFormat();
  const state = useListParams();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<string[]>([]);
  const variables = {
    filter: {
      search: state.search || undefined,
      status: state.status ? [state.status] : undefined,
      kind: state.kind ? [state.kind] : undefined,
    },
    sortBy: { field: state.sort, direction: state.direction },
    ...(state.before
      ? { last: state.size, before: state.before }
      : { first: state.size, after: state.after ?? undefined }),
  };
  const list = useApiQuery(CampaignListQuery, variables, { placeholderData: (previous) => previous });
  const rows = useMemo(
    () => (list.data?.campaigns?.edges ?? []).flatMap((edge) => (edge?.node ? [edge.node] : [])),
    [list.data],
  );
  const extras = useExtras(rows);
  const revenue = new Map(
    (extras.data?.campaignRevenues ?? []).flatMap((item) => (item ? [[item.campaign.id, item.totals] as const] : [])),
  );
  const series = new Map(
    (extras.data?.campaignReports ?? []).flatMap((item) =>
      item ? [[item.campaign.id, item.series.map((point) => point.sent)] as const] : [],
    ),
  );
  const pageInfo = list.data?.campaigns?.pageInfo;
  const allSelected = rows.length > 0 && rows.every((row) => selected.includes(row.id));
  const toggle = (id: string) =>
    setSelected((current) => (current.includes(id) ? current.filter((item) => item !== id) : [...current, id]));

  const refresh = () => {
    setSelected([]);
    void queryClient.invalidateQueries({ queryKey: ["CampaignList"] });
    void queryClient.invalidateQueries({ queryKey: ["CampaignListExtras"] });
  };

  return (
    <Page
      title={<FormattedMessage id="list.title" defaultMessage="Campaigns" />}
      subtitle={
        list.data?.campaigns ? (
          <FormattedMessage
            id="list.count"
            defaultMessage="{count, plural, =0 {No campaigns yet} one {# campaign} other {# campaigns}}"
            values={{ count: list.data.campaigns.totalCount }}
          />
        ) : undefined
      }
      actions={
        <Link to="/campaigns/new" className="button-link">
          <Plus size={16} aria-hidden />
          <FormattedMessage id="list.new" defaultMessage="New campaign" />
        </Link>
      }
    >
      <Card padding={0}>
        <Box padding={4} display="flex" flexDirection="column" gap={4}>
          <Filters state={state} />
          <BulkBar selected={selected} rows={rows} onDone={refresh} />
        </Box>
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : rows.length === 0 ? (
          <Box padding={8} textAlign="center" display="flex" flexDirection="column" gap={3} alignItems="center">
            <Text size={5} fontWeight="bold">
              {state.search || state.status || state.kind ? (
                <FormattedMessage id="list.empty.filtered" defaultMessage="No campaign matches these filters" />
              ) : (
                <FormattedMessage id="list.empty" defaultMessage="Start with a ready-made scenario" />
              )}
            </Text>
            <Link to="/campaigns/new" className="button-link">
              <FormattedMessage id="list.empty.new" defaultMessage="Choose a scenario" />
            </Link>
          </Box>
        ) : (
          <>
            <Box display={{ mobile: "none", desktop: "block" }}>
              <Table label={intl.formatMessage({ id: "list.table", defaultMessage: "Campaigns" })}>
                <thead>
                  <tr>
                    <Th width="40px">
                      <input
                        type="checkbox"
                        checked={allSelected}
                        aria-label={intl.formatMessage({ id: "list.selectAll", defaultMessage: "Select all on this page" })}
                        onChange={() => setSelected(allSelected ? [] : rows.map((row) => row.id))}
                      />
                    </Th>
                    <Th>
                      <SortHeader field="NAME" state={state}>
                        <FormattedMessage id="list.col.name" defaultMessage="Campaign" />
                      </SortHeader>
                    </Th>
                    <Th>
                      <SortHeader field="STATUS" state={state}>
                        <FormattedMessage id="list.col.status" defaultMessage="Status" />
                      </SortHeader>
                    </Th>
                    <Th align="right">
                      <FormattedMessage id="list.col.sent" defaultMessage="Sent" />
                    </Th>
                    <Th align="right">
                      <FormattedMessage id="list.col.opened" defaultMessage="Opened" />
                    </Th>
                    <Th align="right">
                      <FormattedMessage id="list.col.clicked" defaultMessage="Clicked" />
                    </Th>
                    <Th align="right">
                      <FormattedMessage id="list.col.converted" defaultMessage="Converted" />
                    </Th>
                    <Th align="right">
                      <FormattedMessage id="list.col.revenue" defaultMessage="Revenue" />
                    </Th>
                    <Th>
                      <FormattedMessage id="list.col.trend" defaultMessage="Last 12 weeks" />
                    </Th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.id}>
                      <Td>
                        <input
                          type="checkbox"
                          checked={selected.includes(row.id)}
                          aria-label={intl.formatMessage(
                            { id: "list.select", defaultMessage: "Select {name}" },
                            { name: row.name },
                          )}
                          onChange={() => toggle(row.id)}
                        />
                      </Td>
                      <Td>
                        <Box display="flex" flexDirection="column" gap={0.5}>
                          <Link to={`/campaigns/${encodeURIComponent(row.id)}`} className="row-link">
                            {row.name}
                          </Link>
                          <Text size={2} color="default2">
                            {labelOf(intl, kindLabels, row.kind)} · {describeTrigger(intl, row.trigger)}
                          </Text>
                        </Box>
                      </Td>
                      <Td nowrap>
                        <StatusChip status={row.status} />
                      </Td>
                      <Td align="right">{format.number(row.figures.sent)}</Td>
                      <Td align="right" nowrap>
                        {format.number(row.figures.opened)}
                        <Text size={2} color="default2" display="block">
                          {format.percent(rate(row.figures.opened, row.figures.sent))}
                        </Text>
                      </Td>
                      <Td align="right" nowrap>
                        {format.number(row.figures.clicked)}
                        <Text size={2} color="default2" display="block">
                          {format.percent(rate(row.figures.clicked, row.figures.sent))}
                        </Text>
                      </Td>
                      <Td align="right">{format.number(row.figures.converted)}</Td>
                      <Td align="right">
                        <Revenue totals={extras.isSuccess ? (revenue.get(row.id) ?? []) : undefined} />
                      </Td>
                      <Td>
                        <Link
                          to={`/campaigns/${encodeURIComponent(row.id)}/report`}
                          className="icon-link"
                          aria-label={intl.formatMessage(
                            { id: "list.report", defaultMessage: "Report of {name}" },
                            { name: row.name },
                          )}
                        >
                          <Sparkline
                            values={series.get(row.id) ?? []}
                            label={intl.formatMessage({ id: "list.sparkline", defaultMessage: "Messages sent per week, last 12 weeks" })}
                          />
                        </Link>
                      </Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            </Box>
            <Box display={{ mobile: "flex", desktop: "none" }} flexDirection="column" as="ul" padding={0} margin={0}>
              {rows.map((row) => (
                <Box
                  as="li"
                  key={row.id}
                  listStyleType="none"
                  display="flex"
                  gap={3}
                  padding={4}
                  borderTopWidth={1}
                  borderTopStyle="solid"
                  borderColor="default1"
                >
                  <input
                    type="checkbox"
                    checked={selected.includes(row.id)}
                    aria-label={intl.formatMessage({ id: "list.select", defaultMessage: "Select {name}" }, { name: row.name })}
                    onChange={() => toggle(row.id)}
                  />
                  <Box display="flex" flexDirection="column" gap={1} __flex="1" __minWidth="0">
                    <Box display="flex" justifyContent="space-between" gap={2} alignItems="center">
                      <Link to={`/campaigns/${encodeURIComponent(row.id)}`} className="row-link">
                        {row.name}
                      </Link>
                      <StatusChip status={row.status} />
                    </Box>
                    <Text size={2} color="default2">
                      {describeTrigger(intl, row.trigger)}
                    </Text>
                    <Text size={2}>
                      <FormattedMessage
                        id="list.mobile.figures"
                        defaultMessage="{sent} sent · {opened} opened · {converted} converted"
                        values={{
                          sent: format.number(row.figures.sent),
                          opened: format.percent(rate(row.figures.opened, row.figures.sent)),
                          converted: format.number(row.figures.converted),
                        }}
                      />
                    </Text>
                    <Box display="flex" justifyContent="space-between" alignItems="center">
                      <Revenue totals={extras.isSuccess ? (revenue.get(row.id) ?? []) : undefined} />
                      <Link to={`/campaigns/${encodeURIComponent(row.id)}/report`} className="text-link">
                        <FormattedMessage id="list.mobile.report" defaultMessage="Report" />
                      </Link>
                    </Box>
                  </Box>
                </Box>
              ))}
            </Box>
            <Pager size={state.size} pageInfo={pageInfo} update={state.update} />
          </>
        )}
      </Card>
    </Page>
  );
}
