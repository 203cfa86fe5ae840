// The audience: segments with their size (stored members, and when they were counted), to
// open, recount, create or delete; interest groups by size, each a click away from a segment
// of its own, or from a draft campaign to it (the API reuses the group's segment if it has
// one, and stores nothing if the campaign is refused). The list's search and page live in
// the URL.
import "../audience/audience.css";

import { Box, Button, Text } from "@saleor/macaw-ui";
import { useQueryClient } from "@tanstack/react-query";
import { Megaphone, Plus, RefreshCw, Trash2, UsersRound } from "lucide-react";
import { useEffect, useMemo, useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { Link, useNavigate } from "react-router-dom";

import { useApiMutation, useApiQuery } from "../api/hooks";
import {
  CampaignCreateForInterestGroupMutation,
  InterestGroupsQuery,
  SegmentDeleteMutation,
  SegmentListQuery,
  SegmentRefreshMutation,
} from "../api/segmentOperations";
import { AudienceNav } from "../audience/AudienceNav";
import { ConfirmDelete } from "../audience/ConfirmDelete";
import { useFormat } from "../components/format";
import { Input } from "../components/Input";
import { Card, Page } from "../components/Page";
import { ErrorState, Loading } from "../components/states";
import { useUrlParams } from "../components/ListPaging";
import { Table, Td, Th } from "../components/Table";
import type { SegmentListQuery as ListData } from "../gql/graphql";

const PAGE_SIZE = 20;

type Row = NonNullable<NonNullable<NonNullable<ListData["segments"]>["edges"][number]>["node"]>;

function useListParams() {
  const { params, update: change } = useUrlParams();
  // Every change here names the page it wants (a new search asks for the first one).
  const update = (changes: Record<string, string | null>) => change(changes, true);
  return { search: params.get("q") ?? "", after: params.get("after"), before: params.get("before"), update };
}

function Size({ row, onRefresh, busy }: { row: Row; onRefresh: () => void; busy: boolean }) {
  const intl = useIntl();
  const format = useFormat();
  return (
    <Box display="flex" alignItems="center" gap={2} justifyContent="flex-end">
      <Box display="flex" flexDirection="column" alignItems="flex-end">
        <Text size={3} fontWeight="medium" className="live-count">
          {format.number(row.memberCount)}
        </Text>
        <Text size={2} color="default2" whiteSpace="nowrap">
          {row.countedAt
            ? intl.formatMessage({ id: "audience.countedAt", defaultMessage: "as of {date}" }, { date: format.dateTime(row.countedAt) })
            : intl.formatMessage({ id: "audience.neverCounted", defaultMessage: "(not counted yet)" })}
        </Text>
      </Box>
      <Button
        type="button"
        variant="tertiary"
        size="small"
        disabled={busy}
        icon={<RefreshCw size={16} aria-hidden />}
        aria-label={intl.formatMessage({ id: "audience.list.recount", defaultMessage: "Count the members of {name} now" }, { name: row.name })}
        onClick={onRefresh}
      />
    </Box>
  );
}

type Group = { interest: string; tag: string; size: number };

/** "interest:espresso", which may wrap after its colon on a phone (not inside a word). */
function TagName({ tag }: { tag: string }) {
  const colon = tag.indexOf(":");
  if (colon < 0) return <>{tag}</>;
  return (
    <>
      {tag.slice(0, colon + 1)}
      <wbr />
      {tag.slice(colon + 1)}
    </>
  );
}

/** Creates the group's campaign and opens it in the editor; says what was refused. */
function useGroupCampaign() {
  const intl = useIntl();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useApiMutation(CampaignCreateForInterestGroupMutation);
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<{ interest: string; message: string } | null>(null);
  const start = async (group: Group) => {
    setError(null);
    setPending(group.tag);
    const refused = (message: string) => setError({ interest: group.interest, message });
    try {
      const result = (
        await create.mutateAsync({
          input: {
            tag: group.tag,
            name: intl.formatMessage(
              { id: "audience.interests.campaignName", defaultMessage: "Mailing to those interested in {interest}" },
              { interest: group.interest },
            ),
            segmentName: intl.formatMessage(
              { id: "audience.interests.segmentName", defaultMessage: "Interested in {interest}" },
              { interest: group.interest },
            ),
          },
        })
      ).campaignCreateForInterestGroup;
      if (!result?.campaign) {
        refused(result?.errors.map((item) => item.message).join(" ") ?? "");
        return;
      }
      void queryClient.invalidateQueries({ queryKey: ["SegmentList"] });
      void queryClient.invalidateQueries({ queryKey: ["CampaignList"] });
      navigate(`/campaigns/${encodeURIComponent(result.campaign.id)}`);
    } catch (caught) {
      refused(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setPending(null);
    }
  };
  return { start, pending, error };
}

function InterestGroups() {
  const intl = useIntl();
  const format = useFormat();
  const groups = useApiQuery(InterestGroupsQuery, { first: 50 });
  const campaign = useGroupCampaign();
  return (
    <Card title={<FormattedMessage id="audience.interests.title" defaultMessage="Interest groups" />} padding={0}>
      <Box paddingX={5} paddingBottom={3}>
        <Text size={2} color="default2">
          <FormattedMessage
            id="audience.interests.help"
            defaultMessage="Contacts who clicked links tagged with an interest, largest group first."
          />
        </Text>
      </Box>
      {campaign.error && (
        <Box paddingX={5} paddingBottom={3}>
          <Text size={3} color="critical1" role="alert">
            <FormattedMessage
              id="audience.interests.campaignRefused"
              defaultMessage="No campaign was created for {interest}: {reason}"
              values={{ interest: campaign.error.interest, reason: campaign.error.message }}
            />
          </Text>
        </Box>
      )}
      {groups.isPending ? (
        <Loading />
      ) : groups.isError ? (
        <ErrorState error={groups.error} onRetry={() => void groups.refetch()} />
      ) : groups.data.interestGroups.length === 0 ? (
        <Box padding={5}>
          <Text size={3} color="default2">
            <FormattedMessage
              id="audience.interests.empty"
              defaultMessage="No interest groups yet. They form when contacts click links that carry an interest tag."
            />
          </Text>
        </Box>
      ) : (
        <Table label={intl.formatMessage({ id: "audience.interests.table", defaultMessage: "Interest groups" })}>
          <thead>
            <tr>
              <Th>
                <FormattedMessage id="audience.interests.col.interest" defaultMessage="Interest" />
              </Th>
              <Th align="right">
                <FormattedMessage id="audience.interests.col.size" defaultMessage="Contacts" />
              </Th>
              <Th>
                <span className="visually-hidden">
                  <FormattedMessage id="audience.col.actions" defaultMessage="Actions" />
                </span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {groups.data.interestGroups.map((group) => (
              <tr key={group.tag}>
                <Td>
                  <Box display="flex" flexDirection="column">
                    <Text size={3} fontWeight="medium">
                      {group.interest}
                    </Text>
                    <Text size={2} color="default2" className="interest-tag">
                      <FormattedMessage id="audience.interests.tag" defaultMessage="Tag {tag}" values={{ tag: <TagName tag={group.tag} /> }} />
                    </Text>
                  </Box>
                </Td>
                <Td align="right">{format.number(group.size)}</Td>
                <Td align="right">
                  <Box display="flex" flexWrap="wrap" alignItems="center" justifyContent="flex-end" gap={2} className="group-actions">
                    <Link
                      className="button-link secondary"
                      to={`/segments/new?${new URLSearchParams({
                        tag: group.tag,
                        name: intl.formatMessage({ id: "audience.interests.segmentName", defaultMessage: "Interested in {interest}" }, { interest: group.interest }),
                      }).toString()}`}
                      aria-label={intl.formatMessage(
                        { id: "audience.interests.createFor", defaultMessage: "Create a segment for {interest}" },
                        { interest: group.interest },
                      )}
                    >
                      <UsersRound size={16} aria-hidden />
                      <FormattedMessage id="audience.interests.create" defaultMessage="Create a segment" />
                    </Link>
                    <Button
                      type="button"
                      variant="secondary"
                      size="medium"
                      disabled={campaign.pending !== null}
                      aria-busy={campaign.pending === group.tag}
                      icon={<Megaphone size={16} aria-hidden />}
                      aria-label={intl.formatMessage(
                        { id: "audience.interests.campaignFor", defaultMessage: "Create a campaign for {interest}" },
                        { interest: group.interest },
                      )}
                      onClick={() => void campaign.start(group)}
                    >
                      {campaign.pending === group.tag ? (
                        <FormattedMessage id="audience.interests.campaignCreating" defaultMessage="Creating…" />
                      ) : (
                        <FormattedMessage id="audience.interests.campaign" defaultMessage="Create a campaign" />
                      )}
                    </Button>
                  </Box>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}

export default function SegmentList() {
  const intl = useIntl();
  const format = useFormat();
  const state = useListParams();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState(state.search);
  const [deleting, setDeleting] = useState<Row | null>(null);
  const [deleteError, setDeleteError] = useState<string>();
  const [refreshError, setRefreshError] = useState<string>();
  const remove = useApiMutation(SegmentDeleteMutation);
  const refresh = useApiMutation(SegmentRefreshMutation);

  useEffect(() => {
    const timer = window.setTimeout(() => {
      if (search !== state.search) state.update({ q: search, after: null, before: null });
    }, 300);
    return () => window.clearTimeout(timer);
  }, [search, state]);

  const variables = {
    filter: { search: state.search || undefined },
    ...(state.before ? { last: PAGE_SIZE, before: state.before } : { first: PAGE_SIZE, after: state.after ?? undefined }),
  };
  const list = useApiQuery(SegmentListQuery, variables, { placeholderData: (previous) => previous });
  const rows = useMemo(
    () => (list.data?.segments?.edges ?? []).flatMap((edge) => (edge?.node ? [edge.node] : [])),
    [list.data],
  );
  const pageInfo = list.data?.segments?.pageInfo;

  const invalidate = () => {
    void queryClient.invalidateQueries({ queryKey: ["SegmentList"] });
    void queryClient.invalidateQueries({ queryKey: ["RuleBuilderDefinitions"] });
  };
  const confirmDelete = async () => {
    if (!deleting) return;
    setDeleteError(undefined);
    try {
      const result = (await remove.mutateAsync({ id: deleting.id })).segmentDelete;
      if (result?.errors.length) {
        setDeleteError(result.errors.map((error) => error.message).join(" "));
        return;
      }
      queryClient.removeQueries({ queryKey: ["Segment", { id: deleting.id }] });
      setDeleting(null);
      invalidate();
    } catch (error) {
      setDeleteError(error instanceof Error ? error.message : String(error));
    }
  };
  const recount = async (row: Row) => {
    setRefreshError(undefined);
    try {
      const result = (await refresh.mutateAsync({ id: row.id })).segmentRefresh;
      if (result?.errors.length) setRefreshError(`${row.name}: ${result.errors[0].message}`);
      else invalidate();
    } catch (error) {
      setRefreshError(`${row.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  return (
    <Page
      title={<FormattedMessage id="audience.title" defaultMessage="Audience" />}
      subtitle={
        list.data?.segments ? (
          <FormattedMessage
            id="audience.count"
            defaultMessage="{count, plural, =0 {No segments yet} one {# segment} other {# segments}}"
            values={{ count: list.data.segments.totalCount }}
          />
        ) : undefined
      }
      actions={
        <Link to="/segments/new" className="button-link">
          <Plus size={16} aria-hidden />
          <FormattedMessage id="audience.new" defaultMessage="New segment" />
        </Link>
      }
    >
      <AudienceNav />
      <Card title={<FormattedMessage id="audience.segments" defaultMessage="Segments" />} padding={0}>
        <Box paddingX={5} paddingBottom={4} display="flex" flexDirection="column" gap={3}>
          <Box __maxWidth="360px">
            <Input
              type="text"
              size="small"
              label={intl.formatMessage({ id: "audience.search", defaultMessage: "Search by name" })}
              value={search}
              onChange={(event) => setSearch(event.target.value)}
            />
          </Box>
          {refreshError && (
            <Text size={3} color="critical1" role="alert">
              {refreshError}
            </Text>
          )}
        </Box>
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : rows.length === 0 ? (
          <Box padding={8} textAlign="center" display="flex" flexDirection="column" gap={3} alignItems="center">
            <Text size={5} fontWeight="bold">
              {state.search ? (
                <FormattedMessage id="audience.empty.filtered" defaultMessage="No segment has this in its name" />
              ) : (
                <FormattedMessage id="audience.empty" defaultMessage="Group your contacts into segments" />
              )}
            </Text>
            <Text size={3} color="default2">
              <FormattedMessage
                id="audience.empty.help"
                defaultMessage="Start from a preset such as “Champions” or describe your own rules; campaigns can then target a segment."
              />
            </Text>
            <Link to="/segments/new" className="button-link">
              <FormattedMessage id="audience.new" defaultMessage="New segment" />
            </Link>
          </Box>
        ) : (
          <>
            <Table label={intl.formatMessage({ id: "audience.table", defaultMessage: "Segments" })}>
              <thead>
                <tr>
                  <Th>
                    <FormattedMessage id="audience.col.name" defaultMessage="Segment" />
                  </Th>
                  <Th align="right">
                    <FormattedMessage id="audience.col.size" defaultMessage="Members" />
                  </Th>
                  <Th>
                    <FormattedMessage id="audience.col.updated" defaultMessage="Changed" />
                  </Th>
                  <Th>
                    <span className="visually-hidden">
                      <FormattedMessage id="audience.col.actions" defaultMessage="Actions" />
                    </span>
                  </Th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id}>
                    <Td>
                      <Box display="flex" flexDirection="column" gap={0.5} __minWidth="160px">
                        <Link to={`/segments/${encodeURIComponent(row.id)}`} className="row-link">
                          {row.name}
                        </Link>
                        {row.description && (
                          <Text size={2} color="default2">
                            {row.description}
                          </Text>
                        )}
                      </Box>
                    </Td>
                    <Td align="right">
                      <Size row={row} busy={refresh.isPending} onRefresh={() => void recount(row)} />
                    </Td>
                    <Td nowrap>{format.dateTime(row.updatedAt)}</Td>
                    <Td align="right">
                      <Button
                        type="button"
                        variant="tertiary"
                        size="small"
                        icon={<Trash2 size={16} aria-hidden />}
                        aria-label={intl.formatMessage({ id: "audience.list.delete", defaultMessage: "Delete {name}" }, { name: row.name })}
                        onClick={() => {
                          setDeleteError(undefined);
                          setDeleting(row);
                        }}
                      />
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
            {(pageInfo?.hasNextPage || pageInfo?.hasPreviousPage) && (
              <Box display="flex" justifyContent="flex-end" gap={2} padding={4} borderTopWidth={1} borderTopStyle="solid" borderColor="default1">
                <Button
                  variant="secondary"
                  size="small"
                  disabled={!pageInfo?.hasPreviousPage}
                  onClick={() => state.update({ before: pageInfo?.startCursor ?? null, after: null })}
                >
                  <FormattedMessage id="list.previous" defaultMessage="Previous" />
                </Button>
                <Button
                  variant="secondary"
                  size="small"
                  disabled={!pageInfo?.hasNextPage}
                  onClick={() => state.update({ after: pageInfo?.endCursor ?? null, before: null })}
                >
                  <FormattedMessage id="list.next" defaultMessage="Next" />
                </Button>
              </Box>
            )}
          </>
        )}
      </Card>
      <InterestGroups />
      <ConfirmDelete
        name={deleting?.name ?? null}
        busy={remove.isPending}
        error={deleteError}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setDeleting(null)}
      />
    </Page>
  );
}
