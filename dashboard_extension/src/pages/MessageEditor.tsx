// One message template in one language: the source beside the server's rendering of it for a
// chosen contact (email at desktop or phone width, SMS and push with their counters), the
// saved versions with a revert, and a test send. Saving keeps what was typed on any refusal;
// a version saved elsewhere since this one was opened is refused and named.
import "../messages/messages.css";

import { zodResolver } from "@hookform/resolvers/zod";
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { FormattedMessage, useIntl } from "react-intl";
import { Link, useParams } from "react-router-dom";
import { z } from "zod";

import { ApiError, errorsAt, type MarketingError } from "../api/errors";
import { useApiMutation, useApiQuery } from "../api/hooks";
import {
  TemplateCreateMutation,
  TemplateHistoryQuery,
  TemplateInUseQuery,
  TemplateRevertMutation,
  TemplateUpdateMutation,
} from "../api/templateOperations";
import { useFormat } from "../components/format";
import { Card, Page } from "../components/Page";
import { ErrorState, Loading, NotFound } from "../components/states";
import type { MessageChannelEnum, TemplateHistoryQuery as HistoryData, TemplateVersionFieldsFragment } from "../gql/graphql";
import { ContactPicker, type PickedContact } from "../messages/ContactPicker";
import { History, type Viewed } from "../messages/History";
import { byLanguage, channelLabels, kindLabels, languageName } from "../messages/labels";
import { PreviewPanel } from "../messages/PreviewPanel";
import { TestSend } from "../messages/TestSend";
import { useTemplatePreview } from "../messages/useTemplatePreview";

const sourceSchema = z.object({ source: z.string().refine((value) => value.trim() !== "") });
type SourceInput = z.input<typeof sourceSchema>;
type SourceValues = z.output<typeof sourceSchema>;

type Base = { version: number; id: string | null };

function versionsOf(data: HistoryData | undefined): TemplateVersionFieldsFragment[] {
  return (data?.templates?.edges ?? []).flatMap((edge) => (edge?.node ? [edge.node] : []));
}

function LanguageTabs({ templateKey, language, languages, dirty }: { templateKey: string; language: string; languages: string[]; dirty: boolean }) {
  const intl = useIntl();
  if (languages.length < 2) return null;
  return (
    <nav className="tabs" aria-label={intl.formatMessage({ id: "messages.editor.languages", defaultMessage: "Languages" })}>
      {languages.map((code) => (
        <Link
          key={code}
          to={`/messages/${encodeURIComponent(templateKey)}/${encodeURIComponent(code)}`}
          className="tab language-tab"
          aria-current={code === language ? "page" : undefined}
          onClick={(event) => {
            if (code !== language && dirty && !window.confirm(intl.formatMessage({ id: "messages.editor.leave", defaultMessage: "Leave without saving your changes?" }))) {
              event.preventDefault();
            }
          }}
        >
          {languageName(intl, code)}
        </Link>
      ))}
    </nav>
  );
}

function EditorBody({
  templateKey,
  language,
  languages,
  channels,
  initialSource,
  versions,
  total,
  inUse,
  shippedSource,
  reload,
}: {
  templateKey: string;
  language: string;
  languages: string[];
  channels: MessageChannelEnum[];
  initialSource: string;
  versions: TemplateVersionFieldsFragment[];
  total: number;
  inUse: number;
  shippedSource: string | null | undefined;
  reload: () => Promise<TemplateVersionFieldsFragment[]>;
}) {
  const intl = useIntl();
  const format = useFormat();
  const queryClient = useQueryClient();
  const create = useApiMutation(TemplateCreateMutation);
  const update = useApiMutation(TemplateUpdateMutation);
  const revert = useApiMutation(TemplateRevertMutation);
  const [base, setBase] = useState<Base>(() => ({ version: versions[0]?.version ?? 0, id: versions[0]?.id ?? null }));
  const [contact, setContact] = useState<PickedContact | null>(null);
  const [viewing, setViewing] = useState<Viewed | null>(null);
  const [errors, setErrors] = useState<MarketingError[]>([]);
  const [conflict, setConflict] = useState<TemplateVersionFieldsFragment | null>(null);
  const [saved, setSaved] = useState<TemplateVersionFieldsFragment | null>(null);
  const [testSourceError, setTestSourceError] = useState<string>();
  const form = useForm<SourceInput, unknown, SourceValues>({ resolver: zodResolver(sourceSchema), defaultValues: { source: initialSource } });
  const draft = form.watch("source");
  const viewedSource = viewing?.kind === "version" ? viewing.version.source : viewing?.kind === "default" ? viewing.source : null;
  const { preview, outdated } = useTemplatePreview({ key: templateKey, language, source: viewedSource ?? draft, contactId: contact?.id ?? null });
  const refused = preview.isError ? (preview.error instanceof Error ? preview.error.message : String(preview.error)) : undefined;
  const busy = create.isPending || update.isPending || revert.isPending;
  const dirty = form.formState.isDirty;

  const sourceErrors = [
    ...errorsAt(errors, "source").map((error) => error.message),
    ...(testSourceError ? [testSourceError] : []),
    ...(refused && !outdated && !viewing ? [intl.formatMessage({ id: "messages.editor.previewSays", defaultMessage: "Preview: {message}" }, { message: refused })] : []),
  ];
  const general = errors.filter((error) => error.code !== "CONFLICT" && !errorsAt([error], "source").length);

  const stored = (template: TemplateVersionFieldsFragment) => {
    setBase({ version: template.version, id: template.id });
    setSaved(template);
    setErrors([]);
    setConflict(null);
    setTestSourceError(undefined);
    form.reset({ source: template.source });
    void queryClient.invalidateQueries({ queryKey: ["TemplateHistory"] });
    void queryClient.invalidateQueries({ queryKey: ["TemplateSummaries"] });
    void queryClient.invalidateQueries({ queryKey: ["TemplateInUse"] });
  };

  const showRefusal = async (answer: MarketingError[]) => {
    setErrors(answer);
    if (answer.some((error) => error.code === "CONFLICT")) {
      const fresh = await reload();
      setConflict(fresh[0] ?? null);
    }
  };

  const submit = form.handleSubmit(async ({ source }) => {
    setSaved(null);
    setTestSourceError(undefined);
    try {
      const result = base.id
        ? (await update.mutateAsync({ id: base.id, source, expectedVersion: base.version })).templateUpdate
        : (await create.mutateAsync({ input: { key: templateKey, language, source }, expectedVersion: base.version })).templateCreate;
      if (result?.errors.length) return void (await showRefusal(result.errors));
      if (result?.template) stored(result.template);
    } catch (error) {
      setErrors([{ code: "GRAPHQL_ERROR", message: error instanceof Error ? error.message : String(error) }]);
    }
  });

  const restore = async (version: TemplateVersionFieldsFragment) => {
    setSaved(null);
    try {
      const result = (await revert.mutateAsync({ id: version.id, expectedVersion: base.version })).templateRevert;
      if (result?.errors.length) return void (await showRefusal(result.errors));
      if (result?.template) {
        setViewing(null);
        stored(result.template);
      }
    } catch (error) {
      setErrors([{ code: "GRAPHQL_ERROR", message: error instanceof Error ? error.message : String(error) }]);
    }
  };

  const viewedTitle =
    viewing?.kind === "version" ? (
      <FormattedMessage
        id="messages.editor.viewingVersion"
        defaultMessage="version {version} of {date}"
        values={{ version: viewing.version.version, date: format.dateTime(viewing.version.createdAt) }}
      />
    ) : (
      <FormattedMessage id="messages.history.default" defaultMessage="Shipped default" />
    );

  return (
    <Box display="flex" flexDirection="column" gap={6}>
      <LanguageTabs templateKey={templateKey} language={language} languages={languages} dirty={dirty} />
      <Box className="message-layout">
        <Box display="flex" flexDirection="column" gap={6} __minWidth="0">
          <form
            onSubmit={(event) => void submit(event)}
            noValidate
            aria-label={intl.formatMessage({ id: "messages.editor.form", defaultMessage: "Template editor" })}
          >
            <Card title={<FormattedMessage id="messages.editor.source" defaultMessage="Source" />}>
              <Box display="flex" flexDirection="column" gap={4}>
                {viewing && (
                  <Box className="viewing-banner" role="status" display="flex" flexDirection="column" gap={3}>
                    <Text size={3}>
                      <FormattedMessage id="messages.editor.viewing" defaultMessage="You are looking at {what}. Your draft is kept." values={{ what: viewedTitle }} />
                    </Text>
                    <Box display="flex" gap={2} flexWrap="wrap">
                      {viewing.kind === "version" && !(viewing.version.version === inUse && viewing.version.version === base.version) && (
                        <Button type="button" variant="primary" disabled={busy} onClick={() => void restore(viewing.version)}>
                          <FormattedMessage id="messages.editor.revert" defaultMessage="Revert to this version" />
                        </Button>
                      )}
                      {viewing.kind === "default" && (
                        <Button
                          type="button"
                          variant="secondary"
                          onClick={() => {
                            form.setValue("source", viewing.source, { shouldDirty: true });
                            setViewing(null);
                          }}
                        >
                          <FormattedMessage id="messages.editor.useDefault" defaultMessage="Copy into your draft" />
                        </Button>
                      )}
                      <Button type="button" variant="secondary" onClick={() => setViewing(null)}>
                        <FormattedMessage id="messages.editor.backToDraft" defaultMessage="Back to your draft" />
                      </Button>
                    </Box>
                    {viewing.kind === "version" && dirty && (
                      <Text size={2} color="default2">
                        <FormattedMessage id="messages.editor.revertReplaces" defaultMessage="Reverting replaces your unsaved changes." />
                      </Text>
                    )}
                  </Box>
                )}
                <Controller
                  control={form.control}
                  name="source"
                  render={({ field, fieldState }) => {
                    const messages = [
                      ...(fieldState.error ? [intl.formatMessage({ id: "messages.editor.required", defaultMessage: "Write the template's source." })] : []),
                      ...sourceErrors,
                    ];
                    return (
                      <label className="field-label">
                        {viewing ? (
                          <FormattedMessage id="messages.editor.viewedSource" defaultMessage="Source of {what} (read only)" values={{ what: viewedTitle }} />
                        ) : (
                          <FormattedMessage id="messages.editor.sourceLabel" defaultMessage="Template source (subject, text_body and html_body blocks)" />
                        )}
                        <textarea
                          {...field}
                          value={viewedSource ?? field.value}
                          readOnly={Boolean(viewing)}
                          onChange={(event) => {
                            field.onChange(event);
                            setSaved(null);
                            setTestSourceError(undefined);
                          }}
                          className="json-editor source-editor"
                          spellCheck={false}
                          rows={24}
                          aria-invalid={messages.length > 0 && !viewing}
                          aria-describedby={messages.length ? "source-errors" : undefined}
                        />
                        {messages.length > 0 && !viewing && (
                          <span id="source-errors" className="source-errors">
                            {messages.map((message) => (
                              <Text key={message} as="span" size={2} color="critical1" display="block">
                                {message}
                              </Text>
                            ))}
                          </span>
                        )}
                      </label>
                    );
                  }}
                />
                {conflict && (
                  <Box role="alert" className="conflict-banner" display="flex" flexDirection="column" gap={3}>
                    <Text size={3} fontWeight="bold">
                      <FormattedMessage
                        id="messages.editor.conflict"
                        defaultMessage="Not saved: version {newest} was saved on {date}, after you opened version {yours}. Your text is kept."
                        values={{ newest: conflict.version, date: format.dateTime(conflict.createdAt), yours: base.version }}
                      />
                    </Text>
                    <Box display="flex" gap={2} flexWrap="wrap">
                      <Button type="button" variant="secondary" onClick={() => setViewing({ kind: "version", version: conflict })}>
                        <FormattedMessage id="messages.editor.conflictView" defaultMessage="View version {version}" values={{ version: conflict.version }} />
                      </Button>
                      <Button
                        type="button"
                        variant="secondary"
                        onClick={() => {
                          setBase({ version: conflict.version, id: conflict.id });
                          setConflict(null);
                          setErrors([]);
                        }}
                      >
                        <FormattedMessage id="messages.editor.conflictKeep" defaultMessage="Keep my text and save it after version {version}" values={{ version: conflict.version }} />
                      </Button>
                    </Box>
                  </Box>
                )}
                {general.length > 0 && (
                  <Box role="alert" display="flex" flexDirection="column" gap={1}>
                    {general.map((error) => (
                      <Text key={`${error.field}-${error.message}`} size={3} color="critical1">
                        {error.message}
                      </Text>
                    ))}
                  </Box>
                )}
                {saved && (
                  <Text size={3} color="success1" role="status">
                    {saved.revertedFrom != null ? (
                      <FormattedMessage
                        id="messages.editor.reverted"
                        defaultMessage="Saved as version {version}, restoring version {from}; it is sent from now on."
                        values={{ version: saved.version, from: saved.revertedFrom }}
                      />
                    ) : (
                      <FormattedMessage id="messages.editor.saved" defaultMessage="Saved as version {version}; it is sent from now on." values={{ version: saved.version }} />
                    )}
                  </Text>
                )}
                <Box display="flex" gap={3} alignItems="center" flexWrap="wrap">
                  <Button type="submit" variant="primary" disabled={busy || Boolean(viewing) || Boolean(conflict)}>
                    <FormattedMessage id="messages.editor.save" defaultMessage="Save as new version" />
                  </Button>
                  {dirty && !viewing && (
                    <Text size={2} color="default2">
                      <FormattedMessage id="messages.editor.unsaved" defaultMessage="Unsaved changes" />
                    </Text>
                  )}
                </Box>
              </Box>
            </Card>
          </form>
          <Card title={<FormattedMessage id="messages.history.title" defaultMessage="Version history" />}>
            <History versions={versions} total={total} inUse={inUse} shippedSource={shippedSource} viewing={viewing} onView={setViewing} />
          </Card>
        </Box>
        <Box display="flex" flexDirection="column" gap={6} __minWidth="0">
          <Card title={<FormattedMessage id="messages.preview.title" defaultMessage="Preview" />}>
            <Box display="flex" flexDirection="column" gap={4}>
              <ContactPicker value={contact} onChange={setContact} />
              <PreviewPanel channels={channels} rendered={preview.data?.templatePreview ?? undefined} outdated={outdated} refused={refused} />
            </Box>
          </Card>
          <Card title={<FormattedMessage id="messages.test.title" defaultMessage="Send a test" />}>
            <Box display="flex" flexDirection="column" gap={3}>
              <Text size={2} color="default2">
                <FormattedMessage
                  id="messages.test.help"
                  defaultMessage="Sends the email as previewed (your draft, the contact chosen above) with “[Test]” before the subject. Nothing is recorded."
                />
              </Text>
              <TestSend
                templateKey={templateKey}
                language={language}
                source={viewedSource ?? draft}
                contactId={contact?.id ?? null}
                onSourceError={setTestSourceError}
              />
            </Box>
          </Card>
        </Box>
      </Box>
    </Box>
  );
}

export default function MessageEditor() {
  const intl = useIntl();
  const { key = "", language = "" } = useParams();
  const history = useApiQuery(TemplateHistoryQuery, { key, language });
  const inUse = useApiQuery(TemplateInUseQuery, { key, language });
  const back = { to: "/messages", label: intl.formatMessage({ id: "messages.back", defaultMessage: "Back to messages" }) };

  const failed = history.error ?? inUse.error;
  if (failed) {
    if (failed instanceof ApiError && ["NOT_FOUND", "INVALID"].includes(failed.code)) {
      return <NotFound what={<FormattedMessage id="messages.editor.notFound" defaultMessage="There is no such message" />} />;
    }
    return (
      <ErrorState
        error={failed}
        onRetry={() => {
          void history.refetch();
          void inUse.refetch();
        }}
      />
    );
  }
  if (!history.data || !inUse.data) return <Loading />;
  const versions = versionsOf(history.data);
  const rows = history.data.templateSummaries.filter((row) => row.key === key);
  const summary = rows.find((row) => row.language === language);
  const channels: MessageChannelEnum[] = summary?.channels.length ? summary.channels : ["EMAIL"];
  const languages = [...new Set([...rows.map((row) => row.language), language])].sort(byLanguage);
  const found = inUse.data.templateInUse;
  // A language without its own template is sent in English until one is saved.
  const inUseVersion = found && found.language === language ? found.version : -1;

  return (
    <Page
      title={<span className="mono">{key}</span>}
      subtitle={
        <>
          {languageName(intl, language)}
          {" · "}
          {inUseVersion > 0 ? (
            <FormattedMessage id="messages.editor.inUse" defaultMessage="version {version} is sent" values={{ version: inUseVersion }} />
          ) : inUseVersion === 0 ? (
            <FormattedMessage id="messages.editor.defaultInUse" defaultMessage="the shipped default is sent" />
          ) : (
            <FormattedMessage id="messages.editor.fallback" defaultMessage="sent in English until a version is saved" />
          )}
          {" · "}
          {channels.map((channel) => intl.formatMessage(channelLabels[channel])).join(", ")}
          {summary && ` · ${intl.formatMessage(kindLabels[summary.kind])}`}
        </>
      }
      back={back}
    >
      <EditorBody
        key={`${key}/${language}`}
        templateKey={key}
        language={language}
        languages={languages}
        channels={channels}
        initialSource={found?.source ?? ""}
        versions={versions}
        total={history.data.templates?.totalCount ?? versions.length}
        inUse={inUseVersion}
        shippedSource={found?.shippedSource}
        reload={async () => versionsOf((await history.refetch()).data)}
      />
    </Page>
  );
}
