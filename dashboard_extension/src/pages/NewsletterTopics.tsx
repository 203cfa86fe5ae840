// Newsletter topics: what contacts can subscribe to in the preference centre, in the order
// shown there; each can be renamed or deleted (a topic campaigns use stays until they change).
import "../audience/audience.css";

import { Box, Button, Text } from "@saleor/macaw-ui";
import { useQueryClient } from "@tanstack/react-query";
import { Pencil, Plus, Trash2 } from "lucide-react";
import { useMemo, useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";

import { NewsletterTopicDeleteMutation, NewsletterTopicListQuery } from "../api/audienceAdminOperations";
import { useApiMutation, useApiQuery } from "../api/hooks";
import { AudienceNav } from "../audience/AudienceNav";
import { ConfirmDelete } from "../audience/ConfirmDelete";
import { localized } from "../audience/context";
import { TopicForm } from "../audience/TopicForm";
import { useFormat } from "../components/format";
import { Card, Page } from "../components/Page";
import { ErrorState, Loading } from "../components/states";
import { Table, Td, Th } from "../components/Table";
import type { NewsletterTopicFieldsFragment as Row } from "../gql/graphql";

export default function NewsletterTopics() {
  const intl = useIntl();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Row | "new" | null>(null);
  const [deleting, setDeleting] = useState<Row | null>(null);
  const [deleteError, setDeleteError] = useState<string>();
  const [done, setDone] = useState<string>();
  const remove = useApiMutation(NewsletterTopicDeleteMutation);
  const list = useApiQuery(NewsletterTopicListQuery, { first: 100 });
  const rows = useMemo(
    () =>
      (list.data?.newsletterTopics?.edges ?? [])
        .flatMap((edge) => (edge?.node ? [edge.node] : []))
        .sort((a, b) => a.position - b.position || a.slug.localeCompare(b.slug)),
    [list.data],
  );
  const nameOf = (row: Row) => localized(row.names, intl.locale, row.slug);

  const invalidate = () => {
    void queryClient.invalidateQueries({ queryKey: ["NewsletterTopicList"] });
    void queryClient.invalidateQueries({ queryKey: ["RuleBuilderDefinitions"] });
  };
  const confirmDelete = async () => {
    if (!deleting) return;
    setDeleteError(undefined);
    try {
      const result = (await remove.mutateAsync({ id: deleting.id })).newsletterTopicDelete;
      if (result?.errors.length) {
        setDeleteError(result.errors.map((error) => error.message).join(" "));
        return;
      }
      if (editing !== "new" && editing?.id === deleting.id) setEditing(null);
      setDone(intl.formatMessage({ id: "topics.deleted", defaultMessage: "Topic “{name}” deleted." }, { name: nameOf(deleting) }));
      setDeleting(null);
      invalidate();
    } catch (error) {
      setDeleteError(error instanceof Error ? error.message : String(error));
    }
  };

  const form =
    editing === null ? null : (
      <TopicForm
        key={editing === "new" ? "new" : editing.id}
        topic={editing === "new" ? null : editing}
        onCancel={() => setEditing(null)}
        onSaved={(topic) => {
          setEditing(null);
          setDone(intl.formatMessage({ id: "topics.saved", defaultMessage: "Topic “{name}” saved." }, { name: nameOf(topic) }));
          invalidate();
        }}
      />
    );

  return (
    <Page
      title={<FormattedMessage id="audience.title" defaultMessage="Audience" />}
      subtitle={
        list.data?.newsletterTopics ? (
          <FormattedMessage
            id="topics.count"
            defaultMessage="{count, plural, =0 {No newsletter topics yet} one {# newsletter topic} other {# newsletter topics}}"
            values={{ count: list.data.newsletterTopics.totalCount }}
          />
        ) : undefined
      }
      actions={
        <Button
          type="button"
          variant="primary"
          onClick={() => {
            setDone(undefined);
            setEditing("new");
          }}
        >
          <Plus size={16} aria-hidden />
          <FormattedMessage id="topics.new" defaultMessage="New topic" />
        </Button>
      }
    >
      <AudienceNav />
      {done && (
        <Text size={3} color="success1" role="status">
          {done}
        </Text>
      )}
      {form}
      <Card title={<FormattedMessage id="topics.title" defaultMessage="Newsletter topics" />} padding={0}>
        <Box paddingX={5} paddingBottom={3}>
          <Text size={2} color="default2">
            <FormattedMessage
              id="topics.help"
              defaultMessage="What contacts can subscribe to in the preference centre; campaigns can send to the subscribers of a topic."
            />
          </Text>
        </Box>
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : rows.length === 0 ? (
          <Box padding={8} textAlign="center">
            <Text size={3} color="default2">
              <FormattedMessage id="topics.empty" defaultMessage="No topics yet. Create one, such as “Deals” or “New arrivals”." />
            </Text>
          </Box>
        ) : (
          <Table label={intl.formatMessage({ id: "topics.table", defaultMessage: "Newsletter topics" })}>
            <thead>
              <tr>
                <Th>
                  <FormattedMessage id="topics.col.name" defaultMessage="Topic" />
                </Th>
                <Th>
                  <FormattedMessage id="topics.col.slug" defaultMessage="Slug" />
                </Th>
                <Th align="right">
                  <FormattedMessage id="topics.col.position" defaultMessage="Position" />
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
                      <Text size={3} fontWeight="medium">
                        {nameOf(row)}
                      </Text>
                      {localized(row.descriptions, intl.locale, "") && (
                        <Text size={2} color="default2">
                          {localized(row.descriptions, intl.locale, "")}
                        </Text>
                      )}
                    </Box>
                  </Td>
                  <Td>
                    <code>{row.slug}</code>
                  </Td>
                  <Td align="right">{format.number(row.position)}</Td>
                  <Td align="right" nowrap>
                    <Box display="flex" justifyContent="flex-end" gap={1}>
                      <Button
                        type="button"
                        variant="tertiary"
                        size="small"
                        icon={<Pencil size={16} aria-hidden />}
                        aria-label={intl.formatMessage({ id: "topics.list.edit", defaultMessage: "Edit {name}" }, { name: nameOf(row) })}
                        onClick={() => {
                          setDone(undefined);
                          setEditing(row);
                        }}
                      />
                      <Button
                        type="button"
                        variant="tertiary"
                        size="small"
                        icon={<Trash2 size={16} aria-hidden />}
                        aria-label={intl.formatMessage({ id: "audience.list.delete", defaultMessage: "Delete {name}" }, { name: nameOf(row) })}
                        onClick={() => {
                          setDeleteError(undefined);
                          setDeleting(row);
                        }}
                      />
                    </Box>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
      <ConfirmDelete
        name={deleting ? nameOf(deleting) : null}
        busy={remove.isPending}
        error={deleteError}
        body={
          <FormattedMessage
            id="topics.delete.body"
            defaultMessage="It disappears from the preference centre; consents already given and their record stay. A topic that campaigns use cannot be deleted."
          />
        }
        confirmLabel={<FormattedMessage id="topics.delete.confirm" defaultMessage="Delete topic" />}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setDeleting(null)}
      />
    </Page>
  );
}
