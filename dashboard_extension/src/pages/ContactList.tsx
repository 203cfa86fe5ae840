// Contacts: search (debounced; a newer search cancels the request of an older one), filter by
// lifecycle stage, consent and tags, sort, pages; export the matching contacts as CSV. The
// page's state lives in the URL, like the campaign list's.
import { Box, Button, Text } from "@saleor/macaw-ui";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ArrowDown, ArrowUp, Download } from "lucide-react";
import { useEffect, useMemo, useRef, useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { Link, useLocation } from "react-router-dom";

import { ContactListQuery, ContactsExportMutation } from "../api/contactOperations";
import type { MarketingError } from "../api/errors";
import { operationName, useApiMutation } from "../api/hooks";
import { useSession } from "../auth/Session";
import { Pill } from "../components/Chips";
import { useFormat } from "../components/format";
import { Input } from "../components/Input";
import { Card, Page } from "../components/Page";
import { ErrorState, Loading } from "../components/states";
import { Pager, useUrlParams } from "../components/ListPaging";
import { Table, Td, Th } from "../components/Table";
import { downloadText } from "../contacts/download";
import { fullName, parseTags } from "../contacts/names";
import type {
  ConsentChannelEnum,
  ContactFilterInput,
  ContactListQuery as ListData,
  ContactListQueryVariables,
  ContactSortField,
  LifecycleStageEnum,
} from "../gql/graphql";
import { consentLabels, labelOf, lifecycleLabels } from "../i18n/labels";

const STAGES: LifecycleStageEnum[] = ["SUBSCRIBER", "LEAD", "CUSTOMER", "REPEAT_CUSTOMER", "LAPSED", "ERASED"];
const CHANNELS: ConsentChannelEnum[] = ["EMAIL", "SMS", "PUSH"];
const SEARCH_DELAY_MS = 300;

type Row = NonNullable<NonNullable<NonNullable<ListData["contacts"]>["edges"][number]>["node"]>;

/** What the profile hands over after an erasure: the list says whose data went. */
export type ContactListState = { erased?: string } | null;

function useListParams() {
  const { params, update } = useUrlParams();
  return {
    search: params.get("q") ?? "",
    stage: params.get("stage") as LifecycleStageEnum | null,
    consent: params.get("consent") as ConsentChannelEnum | null,
    tags: params.get("tags") ?? "",
    sort: (params.get("sort") as ContactSortField | null) ?? "CREATED_AT",
    direction: (params.get("dir") as "ASC" | "DESC" | null) ?? "DESC",
    size: Number(params.get("size") ?? 20),
    after: params.get("after"),
    before: params.get("before"),
    update,
  };
}
type ListParams = ReturnType<typeof useListParams>;

function filterOf(state: ListParams): ContactFilterInput {
  const tags = parseTags(state.tags);
  return {
    search: state.search || undefined,
    lifecycleStages: state.stage ? [state.stage] : undefined,
    hasConsent: state.consent ?? undefined,
    tags: tags.length ? tags : undefined,
  };
}

/** The contacts page; a newer request cancels the older one still under way. */
function useContacts(variables: ContactListQueryVariables) {
  const { client } = useSession();
  return useQuery({
    queryKey: [operationName(ContactListQuery), variables],
    queryFn: ({ signal }) => client.request(ContactListQuery, variables, { signal }),
    placeholderData: keepPreviousData,
  });
}

/** A text field whose value reaches the URL a moment after the last key press. */
function useDebouncedParam(value: string, apply: (value: string) => void) {
  const [text, setText] = useState(value);
  const applied = useRef(value);
  useEffect(() => {
    // Changed from elsewhere (cleared filters, back button): show it.
    if (value === applied.current) return;
    applied.current = value;
    setText(value);
  }, [value]);
  useEffect(() => {
    if (text === applied.current) return;
    const timer = window.setTimeout(() => {
      applied.current = text;
      apply(text);
    }, SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
    // ``apply`` changes with every render of the URL state; the text decides.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);
  return [text, setText] as const;
}

function Filters({ state }: { state: ListParams }) {
  const intl = useIntl();
  const [search, setSearch] = useDebouncedParam(state.search, (q) => state.update({ q }));
  const [tags, setTags] = useDebouncedParam(state.tags, (value) => state.update({ tags: value }));
  return (
    <Box display="flex" gap={3} flexWrap="wrap" alignItems="flex-end">
      <Box __flex="2 1 240px">
        <Input
          type="text"
          label={intl.formatMessage({ id: "contacts.search", defaultMessage: "Search by email or name" })}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          size="small"
        />
      </Box>
      <Box __flex="1 1 180px">
        <Input
          type="text"
          label={intl.formatMessage({ id: "contacts.filter.tags", defaultMessage: "Tags (all of, comma-separated)" })}
          value={tags}
          onChange={(event) => setTags(event.target.value)}
          size="small"
        />
      </Box>
      <label className="field-label">
        <FormattedMessage id="contacts.filter.stage" defaultMessage="Lifecycle stage" />
        <select className="native-select" value={state.stage ?? ""} onChange={(event) => state.update({ stage: event.target.value })}>
          <option value="">{intl.formatMessage({ id: "contacts.filter.allStages", defaultMessage: "All stages" })}</option>
          {STAGES.map((stage) => (
            <option key={stage} value={stage}>
              {labelOf(intl, lifecycleLabels, stage)}
            </option>
          ))}
        </select>
      </label>
      <label className="field-label">
        <FormattedMessage id="contacts.filter.consent" defaultMessage="Marketing consent" />
        <select className="native-select" value={state.consent ?? ""} onChange={(event) => state.update({ consent: event.target.value })}>
          <option value="">{intl.formatMessage({ id: "contacts.filter.anyConsent", defaultMessage: "Any consent" })}</option>
          {CHANNELS.map((channel) => (
            <option key={channel} value={channel}>
              {intl.formatMessage(
                { id: "contacts.filter.subscribedTo", defaultMessage: "Subscribed to {channel}" },
                { channel: labelOf(intl, consentLabels, channel) },
              )}
            </option>
          ))}
        </select>
      </label>
      <label className="field-label">
        <FormattedMessage id="contacts.sort" defaultMessage="Sort by" />
        <select
          className="native-select"
          value={`${state.sort}:${state.direction}`}
          onChange={(event) => {
            const [sort, dir] = event.target.value.split(":");
            state.update({ sort, dir });
          }}
        >
          <option value="CREATED_AT:DESC">{intl.formatMessage({ id: "contacts.sort.newest", defaultMessage: "Newest first" })}</option>
          <option value="LAST_SEEN_AT:DESC">{intl.formatMessage({ id: "contacts.sort.lastSeen", defaultMessage: "Recently seen" })}</option>
          <option value="LAST_ORDER_AT:DESC">{intl.formatMessage({ id: "contacts.sort.lastOrder", defaultMessage: "Recently ordered" })}</option>
          <option value="ORDERS_COUNT:DESC">{intl.formatMessage({ id: "contacts.sort.orders", defaultMessage: "Most orders" })}</option>
          <option value="LEAD_SCORE:DESC">{intl.formatMessage({ id: "contacts.sort.score", defaultMessage: "Highest score" })}</option>
          <option value="EMAIL:ASC">{intl.formatMessage({ id: "contacts.sort.email", defaultMessage: "Email (A–Z)" })}</option>
        </select>
      </label>
    </Box>
  );
}

function SortHeader({ field, children, state }: { field: ContactSortField; children: React.ReactNode; state: ListParams }) {
  const active = state.sort === field;
  const next = active && state.direction === "DESC" ? "ASC" : "DESC";
  const Icon = state.direction === "ASC" ? ArrowUp : ArrowDown;
  return (
    <button
      type="button"
      className="sort-button"
      onClick={() => state.update({ sort: field, dir: field === "EMAIL" && !active ? "ASC" : next })}
    >
      {children}
      {active && (
        <>
          <Icon size={14} aria-hidden />
          <span className="visually-hidden">
            {state.direction === "ASC" ? (
              <FormattedMessage id="contacts.sorted.ascending" defaultMessage="(sorted ascending)" />
            ) : (
              <FormattedMessage id="contacts.sorted.descending" defaultMessage="(sorted descending)" />
            )}
          </span>
        </>
      )}
    </button>
  );
}

function Revenue({ totals }: { totals: Row["revenue"] }) {
  const format = useFormat();
  if (totals.length === 0) return <Text color="default2">–</Text>;
  return (
    <Box display="flex" flexDirection="column" alignItems="flex-end">
      {totals.map((total) => (
        <Text key={total.currency} size={3} whiteSpace="nowrap">
          {format.money(total.totalGross, total.currency)}
        </Text>
      ))}
    </Box>
  );
}

function StagePill({ stage }: { stage: LifecycleStageEnum }) {
  const intl = useIntl();
  const tone = { SUBSCRIBER: "info", LEAD: "info", CUSTOMER: "success", REPEAT_CUSTOMER: "success", LAPSED: "warning", ERASED: "neutral" } as const;
  return <Pill tone={tone[stage] ?? "neutral"}>{labelOf(intl, lifecycleLabels, stage)}</Pill>;
}

function ExportButton({ filter }: { filter: ContactFilterInput }) {
  const intl = useIntl();
  const exportContacts = useApiMutation(ContactsExportMutation);
  const [errors, setErrors] = useState<MarketingError[]>([]);
  const [count, setCount] = useState<number | null>(null);
  const run = async () => {
    setErrors([]);
    setCount(null);
    try {
      const result = (await exportContacts.mutateAsync({ filter })).contactsExport;
      if (result?.errors.length) {
        setErrors(result.errors);
        return;
      }
      downloadText(result?.csv ?? "", "contacts.csv", "text/csv;charset=utf-8");
      setCount(result?.count ?? 0);
    } catch (error) {
      setErrors([{ code: "GRAPHQL_ERROR", message: error instanceof Error ? error.message : String(error) }]);
    }
  };
  return (
    <Box display="flex" flexDirection="column" gap={1} alignItems={{ mobile: "flex-start", desktop: "flex-end" }}>
      <Button
        variant="secondary"
        icon={<Download size={16} />}
        disabled={exportContacts.isPending}
        onClick={() => void run()}
        title={intl.formatMessage({ id: "contacts.export.help", defaultMessage: "The contacts matching the filters, at most 10,000" })}
      >
        <FormattedMessage id="contacts.export" defaultMessage="Export CSV" />
      </Button>
      {count !== null && (
        <Text size={2} color="default2" role="status">
          <FormattedMessage
            id="contacts.export.done"
            defaultMessage="{count, plural, one {# contact exported} other {# contacts exported}}"
            values={{ count }}
          />
        </Text>
      )}
      {errors.map((error) => (
        <Text key={error.message} size={2} color="critical1" role="alert">
          {error.message}
        </Text>
      ))}
    </Box>
  );
}

export default function ContactList() {
  const intl = useIntl();
  const format = useFormat();
  const state = useListParams();
  const location = useLocation();
  const erased = (location.state as ContactListState)?.erased;
  const filter = filterOf(state);
  const variables: ContactListQueryVariables = {
    filter,
    sortBy: { field: state.sort, direction: state.direction },
    ...(state.before
      ? { last: state.size, before: state.before }
      : { first: state.size, after: state.after ?? undefined }),
  };
  const list = useContacts(variables);
  const rows = useMemo(
    () => (list.data?.contacts?.edges ?? []).flatMap((edge) => (edge?.node ? [edge.node] : [])),
    [list.data],
  );
  const pageInfo = list.data?.contacts?.pageInfo;
  const filtered = Boolean(state.search || state.stage || state.consent || state.tags);
  const profileLink = (row: Row) => `/contacts/${encodeURIComponent(row.id)}`;
  const lastSeen = (row: Row) => (row.lastSeenAt ? format.date(row.lastSeenAt) : "–");

  return (
    <Page
      title={<FormattedMessage id="contacts.title" defaultMessage="Contacts" />}
      subtitle={
        list.data?.contacts ? (
          <FormattedMessage
            id="contacts.count"
            defaultMessage="{count, plural, =0 {No contacts} one {# contact} other {# contacts}}"
            values={{ count: list.data.contacts.totalCount }}
          />
        ) : undefined
      }
      actions={<ExportButton filter={filter} />}
    >
      {erased && (
        <Box role="status" padding={4} borderRadius={4} backgroundColor="success1">
          <Text size={3}>
            <FormattedMessage
              id="contacts.erased.notice"
              defaultMessage="The personal data of {email} was erased. Their orders and revenue stay in reports without a name."
              values={{ email: erased }}
            />
          </Text>
        </Box>
      )}
      <Card padding={0}>
        <Box padding={4}>
          <Filters state={state} />
        </Box>
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : rows.length === 0 ? (
          <Box padding={8} textAlign="center" display="flex" flexDirection="column" gap={3} alignItems="center">
            <Text size={5} fontWeight="bold">
              {filtered ? (
                <FormattedMessage id="contacts.empty.filtered" defaultMessage="No contact matches these filters" />
              ) : (
                <FormattedMessage id="contacts.empty" defaultMessage="No contacts yet" />
              )}
            </Text>
            <Text size={3} color="default2">
              {filtered ? (
                <Button
                  variant="secondary"
                  onClick={() => state.update({ q: null, stage: null, consent: null, tags: null })}
                >
                  <FormattedMessage id="contacts.empty.clear" defaultMessage="Clear the filters" />
                </Button>
              ) : (
                <FormattedMessage
                  id="contacts.empty.body"
                  defaultMessage="A contact appears with a customer's first order, sign-up or consent."
                />
              )}
            </Text>
          </Box>
        ) : (
          <Box aria-busy={list.isFetching}>
            <Box display={{ mobile: "none", desktop: "block" }}>
              <Table label={intl.formatMessage({ id: "contacts.table", defaultMessage: "Contacts" })}>
                <thead>
                  <tr>
                    <Th>
                      <SortHeader field="EMAIL" state={state}>
                        <FormattedMessage id="contacts.col.contact" defaultMessage="Contact" />
                      </SortHeader>
                    </Th>
                    <Th>
                      <FormattedMessage id="contacts.col.stage" defaultMessage="Lifecycle stage" />
                    </Th>
                    <Th align="right">
                      <SortHeader field="LEAD_SCORE" state={state}>
                        <FormattedMessage id="contacts.col.score" defaultMessage="Score" />
                      </SortHeader>
                    </Th>
                    <Th align="right">
                      <SortHeader field="ORDERS_COUNT" state={state}>
                        <FormattedMessage id="contacts.col.orders" defaultMessage="Orders" />
                      </SortHeader>
                    </Th>
                    <Th align="right">
                      <FormattedMessage id="contacts.col.revenue" defaultMessage="Revenue" />
                    </Th>
                    <Th>
                      <SortHeader field="LAST_SEEN_AT" state={state}>
                        <FormattedMessage id="contacts.col.lastSeen" defaultMessage="Last seen" />
                      </SortHeader>
                    </Th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.id}>
                      <Td>
                        <Box display="flex" flexDirection="column" gap={0.5}>
                          <Link to={profileLink(row)} className="row-link">
                            {row.email}
                          </Link>
                          {fullName(row) && (
                            <Text size={2} color="default2">
                              {fullName(row)}
                            </Text>
                          )}
                        </Box>
                      </Td>
                      <Td nowrap>
                        <StagePill stage={row.lifecycleStage} />
                      </Td>
                      <Td align="right">{format.number(row.leadScore)}</Td>
                      <Td align="right">{format.number(row.ordersCount)}</Td>
                      <Td align="right">
                        <Revenue totals={row.revenue} />
                      </Td>
                      <Td nowrap>{lastSeen(row)}</Td>
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
                  flexDirection="column"
                  gap={1}
                  padding={4}
                  borderTopWidth={1}
                  borderTopStyle="solid"
                  borderColor="default1"
                >
                  <Box display="flex" justifyContent="space-between" gap={2} alignItems="center">
                    <Box __minWidth="0" className="page-title">
                      <Link to={profileLink(row)} className="row-link">
                        {row.email}
                      </Link>
                    </Box>
                    <StagePill stage={row.lifecycleStage} />
                  </Box>
                  {fullName(row) && (
                    <Text size={2} color="default2">
                      {fullName(row)}
                    </Text>
                  )}
                  <Text size={2}>
                    <FormattedMessage
                      id="contacts.mobile.figures"
                      defaultMessage="Score {score} · {orders, plural, one {# order} other {# orders}} · last seen {lastSeen}"
                      values={{ score: format.number(row.leadScore), orders: row.ordersCount, lastSeen: lastSeen(row) }}
                    />
                  </Text>
                  <Box display="flex" justifyContent="flex-end">
                    <Revenue totals={row.revenue} />
                  </Box>
                </Box>
              ))}
            </Box>
            <Pager size={state.size} pageInfo={pageInfo} update={state.update} />
          </Box>
        )}
      </Card>
    </Page>
  );
}
