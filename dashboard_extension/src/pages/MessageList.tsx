// Message templates: one row per key, a column per language with the version sent now and its
// last change, each a link to the editor. Search, channel and kind live in the URL.
import "../messages/messages.css";

import { Box, Text } from "@saleor/macaw-ui";
import { useEffect, useMemo, useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { Link } from "react-router-dom";

import { useApiQuery } from "../api/hooks";
import { TemplateSummariesQuery } from "../api/templateOperations";
import { Pill } from "../components/Chips";
import { useFormat } from "../components/format";
import { Input } from "../components/Input";
import { useUrlParams } from "../components/ListPaging";
import { Card, Page } from "../components/Page";
import { ErrorState, Loading } from "../components/states";
import { Table, Td, Th } from "../components/Table";
import type { MessageChannelEnum, TemplateKindEnum, TemplateSummariesQuery as SummariesData } from "../gql/graphql";
import { byLanguage, CHANNELS, channelLabels, KINDS, kindLabels, languageName } from "../messages/labels";

type Summary = SummariesData["templateSummaries"][number];

interface KeyRow {
  key: string;
  channels: MessageChannelEnum[];
  kind: TemplateKindEnum;
  byLanguage: Map<string, Summary>;
}

/** Rows per key; the key's channels and kind are those of any of its languages. */
function groupByKey(summaries: Summary[]): { rows: KeyRow[]; languages: string[] } {
  const rows = new Map<string, KeyRow>();
  for (const summary of summaries) {
    const row: KeyRow = rows.get(summary.key) ?? { key: summary.key, channels: [], kind: summary.kind, byLanguage: new Map() };
    row.channels = CHANNELS.filter((channel) => row.channels.includes(channel) || summary.channels.includes(channel));
    if (summary.kind === "TRANSACTIONAL") row.kind = "TRANSACTIONAL";
    row.byLanguage.set(summary.language, summary);
    rows.set(summary.key, row);
  }
  const languages = [...new Set(summaries.map((summary) => summary.language))].sort(byLanguage);
  return { rows: [...rows.values()], languages };
}

function LanguageCell({ summary, templateKey, language }: { summary: Summary | undefined; templateKey: string; language: string }) {
  const intl = useIntl();
  const format = useFormat();
  const to = `/messages/${encodeURIComponent(templateKey)}/${encodeURIComponent(language)}`;
  const name = languageName(intl, language);
  // The visible word starts the link's name; the hidden rest says which template and language.
  if (!summary) {
    return (
      <Link to={to} className="text-link">
        <FormattedMessage id="messages.list.add" defaultMessage="Add" />
        <span className="visually-hidden">
          {", "}
          {intl.formatMessage({ id: "messages.list.write", defaultMessage: "write {key} in {language}" }, { key: templateKey, language: name })}
        </span>
      </Link>
    );
  }
  const hidden = (
    <span className="visually-hidden">
      {", "}
      {intl.formatMessage({ id: "messages.list.edit", defaultMessage: "edit {key} in {language}" }, { key: templateKey, language: name })}
    </span>
  );
  return (
    <Box display="flex" flexDirection="column" gap={0.5}>
      <Link to={to} className="row-link">
        {summary.activeVersion != null ? (
          <FormattedMessage id="messages.list.version" defaultMessage="Version {version}" values={{ version: summary.activeVersion }} />
        ) : summary.shipped ? (
          <FormattedMessage id="messages.list.default" defaultMessage="Default" />
        ) : (
          <FormattedMessage id="messages.list.noneActive" defaultMessage="None sent" />
        )}
        {hidden}
      </Link>
      <Text size={2} color="default2" whiteSpace="nowrap">
        {summary.updatedAt ? (
          format.dateTime(summary.updatedAt)
        ) : (
          <FormattedMessage id="messages.list.unchanged" defaultMessage="never changed" />
        )}
      </Text>
    </Box>
  );
}

export default function MessageList() {
  const intl = useIntl();
  const { params, update } = useUrlParams();
  const searched = params.get("q") ?? "";
  const channel = (params.get("channel") ?? "") as MessageChannelEnum | "";
  const kind = (params.get("kind") ?? "") as TemplateKindEnum | "";
  const [search, setSearch] = useState(searched);

  useEffect(() => {
    const timer = window.setTimeout(() => {
      if (search !== searched) update({ q: search });
    }, 300);
    return () => window.clearTimeout(timer);
  }, [search, searched, update]);

  const filter = {
    search: searched || undefined,
    channel: CHANNELS.includes(channel as MessageChannelEnum) ? (channel as MessageChannelEnum) : undefined,
    kind: KINDS.includes(kind as TemplateKindEnum) ? (kind as TemplateKindEnum) : undefined,
  };
  const list = useApiQuery(TemplateSummariesQuery, { filter }, { placeholderData: (previous) => previous });
  const { rows, languages } = useMemo(() => groupByKey(list.data?.templateSummaries ?? []), [list.data]);
  const filtered = Boolean(filter.search || filter.channel || filter.kind);

  return (
    <Page
      title={<FormattedMessage id="messages.title" defaultMessage="Messages" />}
      subtitle={
        list.data ? (
          <FormattedMessage
            id="messages.count"
            defaultMessage="{count, plural, =0 {No templates} one {# template} other {# templates}} in {languages, plural, one {# language} other {# languages}}"
            values={{ count: rows.length, languages: languages.length }}
          />
        ) : undefined
      }
    >
      <Card padding={0}>
        <Box padding={5} display="flex" gap={4} flexWrap="wrap" alignItems="flex-end">
          <Box __flex="1 1 240px" __maxWidth="360px">
            <Input
              type="text"
              size="small"
              label={intl.formatMessage({ id: "messages.search", defaultMessage: "Search by key" })}
              value={search}
              onChange={(event) => setSearch(event.target.value)}
            />
          </Box>
          <label className="field-label">
            <FormattedMessage id="messages.filter.channel" defaultMessage="Channel" />
            <select className="native-select" value={filter.channel ?? ""} onChange={(event) => update({ channel: event.target.value })}>
              <option value="">{intl.formatMessage({ id: "messages.filter.allChannels", defaultMessage: "All channels" })}</option>
              {CHANNELS.map((value) => (
                <option key={value} value={value}>
                  {intl.formatMessage(channelLabels[value])}
                </option>
              ))}
            </select>
          </label>
          <label className="field-label">
            <FormattedMessage id="messages.filter.kind" defaultMessage="Kind" />
            <select className="native-select" value={filter.kind ?? ""} onChange={(event) => update({ kind: event.target.value })}>
              <option value="">{intl.formatMessage({ id: "messages.filter.allKinds", defaultMessage: "All kinds" })}</option>
              {KINDS.map((value) => (
                <option key={value} value={value}>
                  {intl.formatMessage(kindLabels[value])}
                </option>
              ))}
            </select>
          </label>
        </Box>
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : rows.length === 0 ? (
          <Box padding={8} textAlign="center" display="flex" flexDirection="column" gap={3} alignItems="center">
            <Text size={5} fontWeight="bold">
              {filtered ? (
                <FormattedMessage id="messages.empty.filtered" defaultMessage="No template matches these filters" />
              ) : (
                <FormattedMessage id="messages.empty" defaultMessage="No templates yet" />
              )}
            </Text>
          </Box>
        ) : (
          <Table label={intl.formatMessage({ id: "messages.table", defaultMessage: "Message templates" })}>
            <thead>
              <tr>
                <Th>
                  <FormattedMessage id="messages.col.key" defaultMessage="Template" />
                </Th>
                <Th>
                  <FormattedMessage id="messages.col.channels" defaultMessage="Channels" />
                </Th>
                {languages.map((language) => (
                  <Th key={language}>{languageName(intl, language)}</Th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key}>
                  <Td>
                    <Box display="flex" flexDirection="column" gap={0.5}>
                      <Text size={3} fontWeight="medium" className="mono">
                        {row.key}
                      </Text>
                      <Text size={2} color="default2">
                        {intl.formatMessage(kindLabels[row.kind])}
                      </Text>
                    </Box>
                  </Td>
                  <Td>
                    <Box display="flex" gap={1} flexWrap="wrap">
                      {row.channels.map((value) => (
                        <Pill key={value} tone={value === "EMAIL" ? "neutral" : "info"}>
                          {intl.formatMessage(channelLabels[value])}
                        </Pill>
                      ))}
                    </Box>
                  </Td>
                  {languages.map((language) => (
                    <Td key={language}>
                      <LanguageCell summary={row.byLanguage.get(language)} templateKey={row.key} language={language} />
                    </Td>
                  ))}
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </Page>
  );
}
