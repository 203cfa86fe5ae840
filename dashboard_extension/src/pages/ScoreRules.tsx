// Score rules: points a contact earns (or loses) for events, each with its cap, to create,
// change, switch off or delete. Points already earned stay when a rule changes or goes.
import "../audience/audience.css";

import { Box, Button, Text } from "@saleor/macaw-ui";
import { useQueryClient } from "@tanstack/react-query";
import { Pencil, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";

import { ScoreRuleDeleteMutation, ScoreRuleListQuery } from "../api/audienceAdminOperations";
import { useApiMutation, useApiQuery } from "../api/hooks";
import { AudienceNav } from "../audience/AudienceNav";
import { ConfirmDelete } from "../audience/ConfirmDelete";
import { ScoreRuleForm } from "../audience/ScoreRuleForm";
import { useFormat } from "../components/format";
import { Card, Page } from "../components/Page";
import { ErrorState, Loading } from "../components/states";
import { Table, Td, Th } from "../components/Table";
import type { ScoreRuleFieldsFragment as Row } from "../gql/graphql";

export default function ScoreRules() {
  const intl = useIntl();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Row | "new" | null>(null);
  const [deleting, setDeleting] = useState<Row | null>(null);
  const [deleteError, setDeleteError] = useState<string>();
  const [done, setDone] = useState<string>();
  const remove = useApiMutation(ScoreRuleDeleteMutation);
  const list = useApiQuery(ScoreRuleListQuery, {});
  const rows = list.data?.scoreRules ?? [];
  const eventTypes = list.data?.ruleEventTypes ?? [];
  const eventLabel = (type: string) => eventTypes.find((known) => known.type === type)?.label;

  const invalidate = () => void queryClient.invalidateQueries({ queryKey: ["ScoreRuleList"] });
  const confirmDelete = async () => {
    if (!deleting) return;
    setDeleteError(undefined);
    try {
      const result = (await remove.mutateAsync({ id: deleting.id })).scoreRuleDelete;
      if (result?.errors.length) {
        setDeleteError(result.errors.map((error) => error.message).join(" "));
        return;
      }
      if (editing !== "new" && editing?.id === deleting.id) setEditing(null);
      setDone(intl.formatMessage({ id: "scoring.deleted", defaultMessage: "Score rule “{name}” deleted." }, { name: deleting.name }));
      setDeleting(null);
      invalidate();
    } catch (error) {
      setDeleteError(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <Page
      title={<FormattedMessage id="audience.title" defaultMessage="Audience" />}
      subtitle={
        list.data ? (
          <FormattedMessage
            id="scoring.count"
            defaultMessage="{count, plural, =0 {No score rules yet} one {# score rule} other {# score rules}}"
            values={{ count: rows.length }}
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
          <FormattedMessage id="scoring.new" defaultMessage="New score rule" />
        </Button>
      }
    >
      <AudienceNav />
      {done && (
        <Text size={3} color="success1" role="status">
          {done}
        </Text>
      )}
      {editing !== null && (
        <ScoreRuleForm
          key={editing === "new" ? "new" : editing.id}
          rule={editing === "new" ? null : editing}
          eventTypes={eventTypes}
          onCancel={() => setEditing(null)}
          onSaved={(rule) => {
            setEditing(null);
            setDone(intl.formatMessage({ id: "scoring.saved", defaultMessage: "Score rule “{name}” saved." }, { name: rule.name }));
            invalidate();
          }}
        />
      )}
      <Card title={<FormattedMessage id="scoring.title" defaultMessage="Score rules" />} padding={0}>
        <Box paddingX={5} paddingBottom={3}>
          <Text size={2} color="default2">
            <FormattedMessage
              id="scoring.help"
              defaultMessage="Each matching event adds the rule's points to the contact's score; segments and campaigns can use the score."
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
              <FormattedMessage id="scoring.empty" defaultMessage="No score rules yet. Create one, such as 5 points for every click." />
            </Text>
          </Box>
        ) : (
          <Table label={intl.formatMessage({ id: "scoring.table", defaultMessage: "Score rules" })}>
            <thead>
              <tr>
                <Th>
                  <FormattedMessage id="scoring.col.name" defaultMessage="Rule" />
                </Th>
                <Th>
                  <FormattedMessage id="scoring.col.event" defaultMessage="Event" />
                </Th>
                <Th align="right">
                  <FormattedMessage id="scoring.col.points" defaultMessage="Points" />
                </Th>
                <Th>
                  <FormattedMessage id="scoring.col.cap" defaultMessage="Cap" />
                </Th>
                <Th>
                  <FormattedMessage id="scoring.col.status" defaultMessage="Status" />
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
                    <Text size={3} fontWeight="medium">
                      {row.name}
                    </Text>
                  </Td>
                  <Td>
                    <Box display="flex" flexDirection="column" gap={0.5}>
                      <Text size={3}>{eventLabel(row.eventType) ?? row.eventType}</Text>
                      {eventLabel(row.eventType) && (
                        <Text size={2} color="default2">
                          <code>{row.eventType}</code>
                        </Text>
                      )}
                    </Box>
                  </Td>
                  <Td align="right" nowrap>
                    {row.points > 0 ? `+${format.number(row.points)}` : format.number(row.points)}
                  </Td>
                  <Td>
                    {row.capPoints > 0 ? (
                      <FormattedMessage
                        id="scoring.cap"
                        defaultMessage="at most {points} in {days, plural, one {# day} other {# days}}"
                        values={{ points: format.number(row.capPoints), days: row.capDays }}
                      />
                    ) : (
                      <FormattedMessage id="scoring.noCap" defaultMessage="none" />
                    )}
                  </Td>
                  <Td nowrap>
                    {row.isActive ? (
                      <FormattedMessage id="scoring.active" defaultMessage="Active" />
                    ) : (
                      <FormattedMessage id="scoring.inactive" defaultMessage="Off" />
                    )}
                  </Td>
                  <Td align="right" nowrap>
                    <Box display="flex" justifyContent="flex-end" gap={1}>
                      <Button
                        type="button"
                        variant="tertiary"
                        size="small"
                        icon={<Pencil size={16} aria-hidden />}
                        aria-label={intl.formatMessage({ id: "topics.list.edit", defaultMessage: "Edit {name}" }, { name: row.name })}
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
                        aria-label={intl.formatMessage({ id: "audience.list.delete", defaultMessage: "Delete {name}" }, { name: row.name })}
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
        name={deleting?.name ?? null}
        busy={remove.isPending}
        error={deleteError}
        body={
          <FormattedMessage
            id="scoring.delete.body"
            defaultMessage="New events no longer earn its points; points contacts already earned stay."
          />
        }
        confirmLabel={<FormattedMessage id="scoring.delete.confirm" defaultMessage="Delete rule" />}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setDeleting(null)}
      />
    </Page>
  );
}
