// A contact's marketing profile: lifecycle, score, orders and revenue per currency, what the
// shop knows of them (editable where the plugin owns it), tags, consents, campaign runs and a
// timeline of events, messages and consent changes; download or erase their personal data.
import { Box, Button, Text } from "@saleor/macaw-ui";
import { type InfiniteData, useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { Pencil } from "lucide-react";
import { type ReactNode, useState } from "react";
import { FormattedMessage, type IntlShape, useIntl } from "react-intl";
import { Link, useParams } from "react-router-dom";

import { ContactPageQuery } from "../api/contactOperations";
import { isUnknownId } from "../api/errors";
import { useSession } from "../auth/Session";
import { Pill } from "../components/Chips";
import { useFormat } from "../components/format";
import { Card, Page } from "../components/Page";
import { ErrorState, Loading, NotFound } from "../components/states";
import { Table, Td, Th } from "../components/Table";
import { ContactEditForm } from "../contacts/ContactEditForm";
import { runStatusLabels } from "../contacts/labels";
import { fullName } from "../contacts/names";
import { PrivacyActions } from "../contacts/PrivacyActions";
import { Timeline } from "../contacts/Timeline";
import type { ContactFieldsFragment, ContactPageQuery as PageData, EnrollmentStatusEnum } from "../gql/graphql";
import { consentLabels, labelOf, lifecycleLabels } from "../i18n/labels";

type Contact = NonNullable<PageData["contact"]>;

function Fact({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <Box display="flex" flexDirection="column" gap={0.5}>
      <Text size={2} color="default2">{label}</Text>
      <Text size={4} fontWeight="medium">{children}</Text>
    </Box>
  );
}

/** One line of a description list: label, then value (a dash when unknown). */
function Attribute({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <Box display="contents">
      <Box as="dt">
        <Text size={2} color="default2">{label}</Text>
      </Box>
      <Box as="dd" margin={0} __minWidth="0">
        <Text size={3} className="page-title">{children || "–"}</Text>
      </Box>
    </Box>
  );
}

/** "de" → "German (de)" in the admin's language; the code alone when unknown. */
function displayName(intl: IntlShape, code: string, type: "language" | "region"): string {
  if (!code) return "";
  try {
    const name = intl.formatDisplayName(type === "region" ? code.toUpperCase() : code, { type });
    return name && name.toLowerCase() !== code.toLowerCase() ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

function RunStatus({ status }: { status: EnrollmentStatusEnum }) {
  const intl = useIntl();
  const tone = { ACTIVE: "info", PAUSED: "warning", COMPLETED: "neutral", GOAL_REACHED: "success", EXITED: "neutral", FAILED: "critical" } as const;
  return <Pill tone={tone[status] ?? "neutral"}>{labelOf(intl, runStatusLabels, status)}</Pill>;
}

function ProfileFacts({ contact }: { contact: Contact }) {
  const intl = useIntl();
  const format = useFormat();
  const attributes = Object.entries((contact.attributes as Record<string, unknown> | null) ?? {});
  return (
    <Box as="dl" margin={0} display="grid" gap={2} className="attribute-list">
      <Attribute label={<FormattedMessage id="contacts.attr.email" defaultMessage="Email" />}>{contact.email}</Attribute>
      <Attribute label={<FormattedMessage id="contacts.attr.firstName" defaultMessage="First name" />}>{contact.firstName}</Attribute>
      <Attribute label={<FormattedMessage id="contacts.attr.lastName" defaultMessage="Last name" />}>{contact.lastName}</Attribute>
      <Attribute label={<FormattedMessage id="contacts.attr.phone" defaultMessage="Phone" />}>{contact.phone}</Attribute>
      <Attribute label={<FormattedMessage id="contacts.attr.birthday" defaultMessage="Birthday" />}>
        {contact.birthday ? intl.formatDate(`${contact.birthday}T00:00:00Z`, { dateStyle: "medium", timeZone: "UTC" }) : ""}
      </Attribute>
      <Attribute label={<FormattedMessage id="contacts.attr.language" defaultMessage="Language" />}>
        {displayName(intl, contact.languageCode, "language")}
      </Attribute>
      <Attribute label={<FormattedMessage id="contacts.attr.country" defaultMessage="Country" />}>
        {displayName(intl, contact.country, "region")}
      </Attribute>
      <Attribute label={<FormattedMessage id="contacts.attr.timezone" defaultMessage="Time zone" />}>{contact.timezone}</Attribute>
      {attributes.map(([key, value]) => (
        <Attribute key={key} label={key}>
          {typeof value === "string" ? value : typeof value === "number" ? format.number(value) : JSON.stringify(value)}
        </Attribute>
      ))}
    </Box>
  );
}

function Consents({ contact }: { contact: Contact }) {
  const intl = useIntl();
  const format = useFormat();
  if (contact.consents.length === 0) {
    return <Text size={3} color="default2"><FormattedMessage id="contact.consents.none" defaultMessage="No consent recorded." /></Text>;
  }
  return (
    <Box display="flex" flexDirection="column" gap={3}>
      <Box as="ul" margin={0} padding={0} display="flex" flexDirection="column" gap={3}>
        {contact.consents.map((consent) => (
          <Box as="li" key={`${consent.channel}-${consent.topic}`} listStyleType="none" display="flex" flexDirection="column" gap={1}>
            <Box display="flex" justifyContent="space-between" gap={3}>
              <Text size={3} fontWeight="medium">
                {labelOf(intl, consentLabels, consent.channel)}
                {consent.topic ? ` · ${consent.topic}` : ""}
              </Text>
              <Pill tone={consent.status === "SUBSCRIBED" ? "success" : consent.status === "PENDING" ? "warning" : "neutral"}>
                {labelOf(intl, consentLabels, consent.status)}
              </Pill>
            </Box>
            <Text size={2} color="default2">
              {[
                consent.requestedAt &&
                  intl.formatMessage({ id: "contacts.consent.requested", defaultMessage: "requested {date}" }, { date: format.dateTime(consent.requestedAt) }),
                consent.confirmedAt &&
                  intl.formatMessage({ id: "contacts.consent.confirmed", defaultMessage: "confirmed {date}" }, { date: format.dateTime(consent.confirmedAt) }),
                intl.formatMessage({ id: "contacts.consent.changed", defaultMessage: "last changed {date}" }, { date: format.dateTime(consent.updatedAt) }),
              ]
                .filter(Boolean)
                .join(" · ")}
            </Text>
          </Box>
        ))}
      </Box>
      <Text size={2} color="default2">
        <FormattedMessage
          id="contacts.consent.proofHint"
          defaultMessage="The proof of every change (how, wording, page, IP address, browser) is in the timeline under “Consent changes”."
        />
      </Text>
    </Box>
  );
}

function CampaignRuns({ runs }: { runs: Contact["campaignRuns"] }) {
  const intl = useIntl();
  const format = useFormat();
  if (runs.length === 0) {
    return <Text size={3} color="default2"><FormattedMessage id="contacts.runs.none" defaultMessage="Not in any campaign yet." /></Text>;
  }
  return (
    <Table label={intl.formatMessage({ id: "contacts.runs", defaultMessage: "Campaign runs" })}>
      <thead>
        <tr>
          <Th><FormattedMessage id="contacts.runs.campaign" defaultMessage="Campaign" /></Th>
          <Th><FormattedMessage id="contacts.runs.status" defaultMessage="Status" /></Th>
          <Th><FormattedMessage id="contacts.runs.step" defaultMessage="Next step" /></Th>
          <Th><FormattedMessage id="contacts.runs.started" defaultMessage="Started" /></Th>
          <Th><FormattedMessage id="contacts.runs.ended" defaultMessage="Ended or due" /></Th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run, index) => (
          <tr key={`${run.campaignId}-${run.startedAt}-${index}`}>
            <Td>
              <Link to={`/campaigns/${encodeURIComponent(run.campaignId)}`} className="row-link">
                {run.campaignName}
              </Link>
            </Td>
            <Td nowrap>
              <RunStatus status={run.status} />
            </Td>
            <Td>{run.status === "ACTIVE" || run.status === "PAUSED" ? run.stepKey || "–" : "–"}</Td>
            <Td nowrap>{format.dateTime(run.startedAt)}</Td>
            <Td>
              {run.finishedAt
                ? `${format.dateTime(run.finishedAt)}${run.exitReason ? ` · ${run.exitReason}` : ""}`
                : run.nextRunAt
                  ? intl.formatMessage({ id: "contacts.runs.next", defaultMessage: "due {date}" }, { date: format.dateTime(run.nextRunAt) })
                  : "–"}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

export default function ContactProfile() {
  const intl = useIntl();
  const format = useFormat();
  const { client } = useSession();
  const queryClient = useQueryClient();
  const { id = "" } = useParams();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const pages = useInfiniteQuery({
    queryKey: ["ContactPage", id],
    queryFn: ({ pageParam, signal }) => client.request(ContactPageQuery, { id, after: pageParam }, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: PageData) =>
      last.contact?.timeline.pageInfo.hasNextPage ? (last.contact.timeline.pageInfo.endCursor ?? undefined) : undefined,
  });
  const notFound = <NotFound what={<FormattedMessage id="contact.notFound" defaultMessage="There is no such contact" />} />;
  if (pages.isPending) return <Loading />;
  if (pages.isError && isUnknownId(pages.error)) return notFound;
  if (pages.isError) return <ErrorState error={pages.error} onRetry={() => void pages.refetch()} />;
  const contact = pages.data.pages[0].contact;
  if (!contact) return notFound;
  const items = pages.data.pages.flatMap((page) => page.contact?.timeline.edges ?? []).flatMap((edge) => (edge?.node ? [edge.node] : []));
  const name = fullName(contact);
  const erased = Boolean(contact.erasedAt);

  const store = (changed: ContactFieldsFragment) => {
    queryClient.setQueryData<InfiniteData<PageData>>(["ContactPage", id], (old) =>
      old && {
        ...old,
        pages: old.pages.map((page, index) => (index === 0 && page.contact ? { ...page, contact: { ...page.contact, ...changed } } : page)),
      },
    );
    void queryClient.invalidateQueries({ queryKey: ["ContactList"] });
    setEditing(false);
    setSaved(true);
  };

  return (
    <Page
      title={name || contact.email}
      subtitle={name ? contact.email : undefined}
      back={{ to: "/contacts", label: intl.formatMessage({ id: "contacts.back", defaultMessage: "Back to contacts" }) }}
      actions={erased ? undefined : <PrivacyActions contact={contact} />}
    >
      {contact.erasedAt && (
        <Box role="status" padding={4} borderRadius={4} backgroundColor="default1" borderWidth={1} borderStyle="solid" borderColor="default1">
          <Text size={3}>
            <FormattedMessage
              id="contacts.erased.banner"
              defaultMessage="This contact's personal data was erased on {date}. Only anonymous order figures remain."
              values={{ date: format.dateTime(contact.erasedAt) }}
            />
          </Text>
        </Box>
      )}
      <Card>
        <Box display="grid" gap={5} className="facts-grid">
          <Fact label={<FormattedMessage id="contact.stage" defaultMessage="Lifecycle stage" />}>
            {labelOf(intl, lifecycleLabels, contact.lifecycleStage)}
          </Fact>
          <Fact label={<FormattedMessage id="contact.score" defaultMessage="Lead score" />}>{format.number(contact.leadScore)}</Fact>
          <Fact label={<FormattedMessage id="contact.orders" defaultMessage="Orders" />}>{format.number(contact.ordersCount)}</Fact>
          <Fact label={<FormattedMessage id="contact.revenue" defaultMessage="Revenue" />}>
            {contact.revenue.length === 0
              ? "–"
              : contact.revenue.map((item) => (
                  <Box as="span" display="block" key={item.currency}>
                    {format.money(item.totalGross, item.currency)}
                  </Box>
                ))}
          </Fact>
          <Fact label={<FormattedMessage id="contacts.firstOrder" defaultMessage="First order" />}>
            {contact.firstOrderAt ? format.date(contact.firstOrderAt) : "–"}
          </Fact>
          <Fact label={<FormattedMessage id="contact.lastOrder" defaultMessage="Last order" />}>
            {contact.lastOrderAt ? format.date(contact.lastOrderAt) : "–"}
          </Fact>
          <Fact label={<FormattedMessage id="contact.lastSeen" defaultMessage="Last seen" />}>
            {contact.lastSeenAt ? format.date(contact.lastSeenAt) : "–"}
          </Fact>
          <Fact label={<FormattedMessage id="contact.since" defaultMessage="Contact since" />}>{format.date(contact.createdAt)}</Fact>
        </Box>
      </Card>
      <Box className="report-columns">
        <Card
          title={<FormattedMessage id="contacts.profile" defaultMessage="Profile" />}
          actions={
            !erased && !editing ? (
              <Button
                variant="secondary"
                size="small"
                icon={<Pencil size={14} />}
                onClick={() => {
                  setSaved(false);
                  setEditing(true);
                }}
              >
                <FormattedMessage id="contacts.edit" defaultMessage="Edit" />
              </Button>
            ) : undefined
          }
        >
          {editing ? (
            <ContactEditForm contact={contact} onSaved={store} onCancel={() => setEditing(false)} />
          ) : (
            <Box display="flex" flexDirection="column" gap={3}>
              <ProfileFacts contact={contact} />
              {saved && (
                <Text size={3} color="success1" role="status">
                  <FormattedMessage id="contacts.edit.saved" defaultMessage="Contact saved." />
                </Text>
              )}
            </Box>
          )}
        </Card>
        <Box display="flex" flexDirection="column" gap={6}>
          <Card title={<FormattedMessage id="contact.tags" defaultMessage="Tags" />}>
            {contact.tags.length === 0 ? (
              <Text size={3} color="default2"><FormattedMessage id="contact.tags.none" defaultMessage="No tags." /></Text>
            ) : (
              <Box display="flex" gap={2} flexWrap="wrap">
                {contact.tags.map((tag) => (
                  <Pill key={tag}>{tag}</Pill>
                ))}
              </Box>
            )}
          </Card>
          <Card title={<FormattedMessage id="contact.consents" defaultMessage="Consents" />}>
            <Consents contact={contact} />
          </Card>
        </Box>
      </Box>
      <Card title={<FormattedMessage id="contacts.runs" defaultMessage="Campaign runs" />}>
        <CampaignRuns runs={contact.campaignRuns} />
      </Card>
      <Card title={<FormattedMessage id="contact.timeline" defaultMessage="Timeline" />}>
        <Timeline
          items={items}
          total={contact.timeline.totalCount}
          hasMore={pages.hasNextPage}
          loadingMore={pages.isFetchingNextPage}
          onMore={() => void pages.fetchNextPage()}
        />
      </Card>
    </Page>
  );
}
