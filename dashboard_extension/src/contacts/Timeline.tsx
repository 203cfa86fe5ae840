// What happened to a contact, newest first: events, messages (with delivery, opens and
// clicks) and consent changes (with their proof: method, wording, source, IP, browser).
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { Link } from "react-router-dom";

import { Pill } from "../components/Chips";
import { useFormat } from "../components/format";
import type { ContactTimelineKindEnum, ContactPageQuery } from "../gql/graphql";
import { labelOf } from "../i18n/labels";
import { timelineFilterLabels, timelineKindLabels } from "./labels";

export type TimelineItem = NonNullable<
  NonNullable<NonNullable<ContactPageQuery["contact"]>["timeline"]["edges"][number]>["node"]
>;

type MessageDetail = {
  campaignId?: string | null;
  campaignName?: string;
  stepKey?: string;
  deliveredAt?: string | null;
  openedAt?: string | null;
  clickedAt?: string | null;
  unsubscribedAt?: string | null;
  error?: string;
};

type ConsentDetail = {
  methodLabel?: string;
  wording?: string;
  sourceUrl?: string;
  ipAddress?: string | null;
  userAgent?: string;
  languageCode?: string;
};

const FILTERS = ["ALL", "MESSAGE", "CONSENT", "EVENT"] as const;
type Filter = (typeof FILTERS)[number];

function Proof({ detail }: { detail: ConsentDetail }) {
  const intl = useIntl();
  const rows: [string, string | null | undefined][] = [
    [intl.formatMessage({ id: "contacts.proof.method", defaultMessage: "How" }), detail.methodLabel],
    [intl.formatMessage({ id: "contacts.proof.wording", defaultMessage: "Wording shown" }), detail.wording],
    [intl.formatMessage({ id: "contacts.proof.source", defaultMessage: "Page" }), detail.sourceUrl],
    [intl.formatMessage({ id: "contacts.proof.ip", defaultMessage: "IP address" }), detail.ipAddress],
    [intl.formatMessage({ id: "contacts.proof.userAgent", defaultMessage: "Browser" }), detail.userAgent],
    [intl.formatMessage({ id: "contacts.proof.language", defaultMessage: "Language" }), detail.languageCode],
  ];
  const known = rows.filter(([, value]) => value);
  if (known.length === 0) return null;
  return (
    <details className="proof">
      <summary>
        <FormattedMessage id="contacts.proof" defaultMessage="Proof" />
      </summary>
      <Box as="dl" margin={0} marginTop={2} display="grid" gap={1} className="proof-list">
        {known.map(([label, value]) => (
          <Box key={label} display="contents">
            <Box as="dt">
              <Text size={2} color="default2">{label}</Text>
            </Box>
            <Box as="dd" margin={0} __minWidth="0">
              <Text size={2} className="page-title">{value}</Text>
            </Box>
          </Box>
        ))}
      </Box>
    </details>
  );
}

function MessageFacts({ detail }: { detail: MessageDetail }) {
  const format = useFormat();
  const intl = useIntl();
  const at = (value: string | null | undefined) => (value ? format.dateTime(value) : "");
  return (
    <Box display="flex" flexDirection="column" gap={1}>
      {detail.campaignName && (
        <Text size={2} color="default2">
          {detail.campaignId ? (
            <Link to={`/campaigns/${encodeURIComponent(detail.campaignId)}`} className="text-link">
              {detail.campaignName}
            </Link>
          ) : (
            detail.campaignName
          )}
          {detail.stepKey ? ` · ${detail.stepKey}` : ""}
        </Text>
      )}
      <Box display="flex" gap={2} flexWrap="wrap">
        {detail.deliveredAt && (
          <Pill tone="info">{intl.formatMessage({ id: "contacts.message.delivered", defaultMessage: "Delivered" })}</Pill>
        )}
        {detail.openedAt && (
          <Pill tone="success">
            {intl.formatMessage({ id: "contacts.message.opened", defaultMessage: "Opened {time}" }, { time: at(detail.openedAt) })}
          </Pill>
        )}
        {detail.clickedAt && (
          <Pill tone="success">
            {intl.formatMessage({ id: "contacts.message.clicked", defaultMessage: "Clicked {time}" }, { time: at(detail.clickedAt) })}
          </Pill>
        )}
        {detail.unsubscribedAt && (
          <Pill tone="warning">{intl.formatMessage({ id: "contacts.message.unsubscribed", defaultMessage: "Unsubscribed" })}</Pill>
        )}
      </Box>
      {detail.error && (
        <Text size={2} color="critical1">
          {detail.error}
        </Text>
      )}
    </Box>
  );
}

export function Timeline({
  items,
  total,
  hasMore,
  loadingMore,
  onMore,
}: {
  items: TimelineItem[];
  total: number;
  hasMore: boolean;
  loadingMore: boolean;
  onMore: () => void;
}) {
  const intl = useIntl();
  const format = useFormat();
  const [filter, setFilter] = useState<Filter>("ALL");
  const shown = filter === "ALL" ? items : items.filter((item) => item.kind === filter);
  const tone: Record<ContactTimelineKindEnum, "neutral" | "info" | "success"> = { EVENT: "neutral", MESSAGE: "info", CONSENT: "success" };

  if (total === 0) {
    return (
      <Text size={3} color="default2">
        <FormattedMessage id="contacts.timeline.none" defaultMessage="Nothing has happened yet." />
      </Text>
    );
  }
  return (
    <Box display="flex" flexDirection="column" gap={4}>
      <Box
        display="flex"
        gap={2}
        flexWrap="wrap"
        role="group"
        aria-label={intl.formatMessage({ id: "contacts.timeline.show", defaultMessage: "Show" })}
      >
        {FILTERS.map((item) => (
          <button key={item} type="button" className="step-chip" aria-pressed={filter === item} onClick={() => setFilter(item)}>
            {labelOf(intl, timelineFilterLabels, item)}
          </button>
        ))}
      </Box>
      {shown.length === 0 ? (
        <Text size={3} color="default2">
          <FormattedMessage id="contacts.timeline.noneOfKind" defaultMessage="None among the entries loaded." />
        </Text>
      ) : (
        <Box as="ol" margin={0} padding={0} display="flex" flexDirection="column" gap={4}>
          {shown.map((item, index) => (
            <Box
              as="li"
              key={`${item.occurredAt}-${item.kind}-${index}`}
              listStyleType="none"
              display="flex"
              flexDirection={{ mobile: "column", desktop: "row" }}
              gap={{ mobile: 1, desktop: 4 }}
            >
              <Box className="timeline-time">
                <Text size={2} color="default2">{format.dateTime(item.occurredAt)}</Text>
              </Box>
              <Box display="flex" flexDirection="column" gap={1} __minWidth="0">
                <Box display="flex" gap={2} alignItems="center" flexWrap="wrap">
                  <Pill tone={tone[item.kind]}>{labelOf(intl, timelineKindLabels, item.kind)}</Pill>
                  <Text size={3} className="page-title">{item.title}</Text>
                </Box>
                {item.kind === "MESSAGE" && <MessageFacts detail={item.detail as MessageDetail} />}
                {item.kind === "CONSENT" && <Proof detail={item.detail as ConsentDetail} />}
              </Box>
            </Box>
          ))}
        </Box>
      )}
      <Box display="flex" alignItems="center" gap={3} flexWrap="wrap">
        <Text size={2} color="default2">
          <FormattedMessage
            id="contacts.timeline.loaded"
            defaultMessage="{loaded} of {total} entries"
            values={{ loaded: format.number(items.length), total: format.number(total) }}
          />
        </Text>
        {hasMore && (
          <Button variant="secondary" size="small" disabled={loadingMore} onClick={onMore}>
            <FormattedMessage id="contact.more" defaultMessage="Show older" />
          </Button>
        )}
      </Box>
    </Box>
  );
}
