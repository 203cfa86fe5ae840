// A contact's marketing profile: lifecycle, score, orders and revenue, consents, tags and
// what happened to them (events, messages, consent changes).
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useInfiniteQuery } from "@tanstack/react-query";
import { FormattedMessage, useIntl } from "react-intl";
import { useParams } from "react-router-dom";

import { isUnknownId } from "../api/errors";
import { ContactQuery } from "../api/operations";
import { useSession } from "../auth/Session";
import { Pill } from "../components/Chips";
import { useFormat } from "../components/format";
import { Card, Page } from "../components/Page";
import { ErrorState, Loading, NotFound } from "../components/states";
import type { ContactProfileQuery } from "../gql/graphql";
import { consentLabels, labelOf, lifecycleLabels } from "../i18n/labels";

function Fact({ label, children }: { label: React.ReactNode; children: React.ReactNode }) {
  return (
    <Box display="flex" flexDirection="column" gap={0.5}>
      <Text size={2} color="default2">{label}</Text>
      <Text size={4} fontWeight="medium">{children}</Text>
    </Box>
  );
}

export default function ContactProfile() {
  const intl = useIntl();
  const format = useFormat();
  const { client } = useSession();
  const { id = "" } = useParams();
  const pages = useInfiniteQuery({
    queryKey: ["ContactProfile", id],
    queryFn: ({ pageParam }) => client.request(ContactQuery, { id, after: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: ContactProfileQuery) =>
      last.contact?.timeline.pageInfo.hasNextPage ? (last.contact.timeline.pageInfo.endCursor ?? undefined) : undefined,
  });
  if (pages.isPending) return <Loading />;
  if (pages.isError && isUnknownId(pages.error)) {
    return <NotFound what={<FormattedMessage id="contact.notFound" defaultMessage="There is no such contact" />} />;
  }
  if (pages.isError) return <ErrorState error={pages.error} onRetry={() => void pages.refetch()} />;
  const contact = pages.data.pages[0].contact;
  if (!contact) return <NotFound what={<FormattedMessage id="contact.notFound" defaultMessage="There is no such contact" />} />;
  const items = pages.data.pages.flatMap((page) => page.contact?.timeline.edges ?? []).flatMap((edge) => (edge?.node ? [edge.node] : []));
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(" ");

  return (
    <Page
      title={name || contact.email}
      subtitle={name ? contact.email : undefined}
      back={{ to: "/", label: intl.formatMessage({ id: "nav.backToCampaigns", defaultMessage: "Back to campaigns" }) }}
    >
      <Card>
        <Box display="grid" gap={5} className="facts-grid">
          <Fact label={<FormattedMessage id="contact.stage" defaultMessage="Lifecycle stage" />}>
            {labelOf(intl, lifecycleLabels, contact.lifecycleStage)}
          </Fact>
          <Fact label={<FormattedMessage id="contact.score" defaultMessage="Lead score" />}>{format.number(contact.leadScore)}</Fact>
          <Fact label={<FormattedMessage id="contact.orders" defaultMessage="Orders" />}>{format.number(contact.ordersCount)}</Fact>
          <Fact label={<FormattedMessage id="contact.revenue" defaultMessage="Revenue" />}>
            {contact.revenue.length === 0 ? "–" : contact.revenue.map((item) => format.money(item.totalGross, item.currency)).join(" · ")}
          </Fact>
          <Fact label={<FormattedMessage id="contact.lastOrder" defaultMessage="Last order" />}>
            {contact.lastOrderAt ? format.date(contact.lastOrderAt) : "–"}
          </Fact>
          <Fact label={<FormattedMessage id="contact.lastSeen" defaultMessage="Last seen" />}>
            {contact.lastSeenAt ? format.date(contact.lastSeenAt) : "–"}
          </Fact>
          <Fact label={<FormattedMessage id="contact.language" defaultMessage="Language, country" />}>
            {[contact.languageCode, contact.country].filter(Boolean).join(", ") || "–"}
          </Fact>
          <Fact label={<FormattedMessage id="contact.since" defaultMessage="Contact since" />}>{format.date(contact.createdAt)}</Fact>
        </Box>
      </Card>
      <Box className="report-columns">
        <Card title={<FormattedMessage id="contact.consents" defaultMessage="Consents" />}>
          {contact.consents.length === 0 ? (
            <Text size={3} color="default2"><FormattedMessage id="contact.consents.none" defaultMessage="No consent recorded." /></Text>
          ) : (
            <Box as="ul" margin={0} padding={0} display="flex" flexDirection="column" gap={3}>
              {contact.consents.map((consent) => (
                <Box as="li" key={`${consent.channel}-${consent.topic}`} listStyleType="none" display="flex" justifyContent="space-between" gap={3}>
                  <Text size={3}>
                    {labelOf(intl, consentLabels, consent.channel)}
                    {consent.topic ? ` · ${consent.topic}` : ""}
                  </Text>
                  <Pill tone={consent.status === "SUBSCRIBED" ? "success" : consent.status === "PENDING" ? "warning" : "neutral"}>
                    {labelOf(intl, consentLabels, consent.status)}
                  </Pill>
                </Box>
              ))}
            </Box>
          )}
        </Card>
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
      </Box>
      <Card title={<FormattedMessage id="contact.timeline" defaultMessage="Timeline" />}>
        <Box as="ol" margin={0} padding={0} display="flex" flexDirection="column" gap={3}>
          {items.map((item, index) => (
            <Box as="li" key={`${item.occurredAt}-${index}`} listStyleType="none" display="flex" gap={4}>
              <Box __width="150px" __flexShrink="0">
                <Text size={2} color="default2">{format.dateTime(item.occurredAt)}</Text>
              </Box>
              <Text size={3}>{item.title}</Text>
            </Box>
          ))}
        </Box>
        {pages.hasNextPage && (
          <Box marginTop={4}>
            <Button variant="secondary" size="small" disabled={pages.isFetchingNextPage} onClick={() => void pages.fetchNextPage()}>
              <FormattedMessage id="contact.more" defaultMessage="Show older" />
            </Button>
          </Box>
        )}
      </Card>
    </Page>
  );
}
