// True uplift against the holdout: conversion and revenue per contact, with 95 % intervals.
import { Box, Text } from "@saleor/macaw-ui";
import { FormattedMessage, useIntl } from "react-intl";

import { useFormat } from "../components/format";
import { Card } from "../components/Page";
import type { CampaignReportPageQuery } from "../gql/graphql";

type Uplift = NonNullable<NonNullable<CampaignReportPageQuery["campaignAttribution"]>["uplift"]>;

/** A point estimate with its interval on a scale centred on zero. */
function IntervalBar({ low, high, value, label }: { low: number; high: number; value: number; label: string }) {
  const span = Math.max(Math.abs(low), Math.abs(high), Math.abs(value), 1e-9) * 1.2;
  const position = (x: number) => `${50 + (x / span) * 50}%`;
  const significant = low > 0 || high < 0;
  return (
    <svg width="100%" height="28" role="img" aria-label={label}>
      <line x1="50%" y1="2" x2="50%" y2="26" stroke="#8a8f98" strokeDasharray="3 3" />
      <line x1={position(low)} y1="14" x2={position(high)} y2="14" stroke={significant ? "#1f9d6b" : "#8a8f98"} strokeWidth="6" strokeLinecap="round" opacity="0.5" />
      <circle cx={position(value)} cy="14" r="6" fill={significant ? "#1f9d6b" : "#5c6169"} />
    </svg>
  );
}

export function Holdout({ uplift, currency }: { uplift: Uplift | null | undefined; currency: string | null | undefined }) {
  const intl = useIntl();
  const format = useFormat();
  const points = (value: number | null | undefined) =>
    value == null ? "–" : intl.formatNumber(value * 100, { maximumFractionDigits: 1, signDisplay: "exceptZero" });
  return (
    <Card title={<FormattedMessage id="report.holdout" defaultMessage="Uplift against the holdout" />}>
      {!uplift ? (
        <Text size={3} color="default2">
          <FormattedMessage
            id="report.holdout.none"
            defaultMessage="This campaign has no holdout. Set a holdout share in its settings to measure how many orders it really adds."
          />
        </Text>
      ) : uplift.uplift == null ? (
        <Text size={3} color="default2">
          <FormattedMessage
            id="report.holdout.waiting"
            defaultMessage="{holdout} held out so far against {treated} who received the campaign: not enough to compare yet."
            values={{ holdout: uplift.holdoutContacts, treated: uplift.treatedContacts }}
          />
        </Text>
      ) : (
        <Box display="flex" flexDirection="column" gap={4}>
          <Box display="grid" __gridTemplateColumns="repeat(2, minmax(0, 1fr))" gap={4}>
            <Box>
              <Text size={2} color="default2" display="block"><FormattedMessage id="report.holdout.treated" defaultMessage="Received the campaign" /></Text>
              <Text size={6} fontWeight="bold">{format.percent(uplift.treatedRate)}</Text>
              <Text size={2} color="default2" display="block">
                <FormattedMessage id="report.holdout.of" defaultMessage="{conversions} of {contacts} converted" values={{ conversions: uplift.treatedConversions, contacts: uplift.treatedContacts }} />
              </Text>
            </Box>
            <Box>
              <Text size={2} color="default2" display="block"><FormattedMessage id="report.holdout.heldOut" defaultMessage="Held out ({share} %)" values={{ share: uplift.holdoutShare }} /></Text>
              <Text size={6} fontWeight="bold">{format.percent(uplift.holdoutRate)}</Text>
              <Text size={2} color="default2" display="block">
                <FormattedMessage id="report.holdout.of" defaultMessage="{conversions} of {contacts} converted" values={{ conversions: uplift.holdoutConversions, contacts: uplift.holdoutContacts }} />
              </Text>
            </Box>
          </Box>
          <Box display="flex" flexDirection="column" gap={1}>
            <Text size={3} fontWeight="bold">
              <FormattedMessage
                id="report.holdout.uplift"
                defaultMessage="Uplift {value} percentage points (95 % interval {low} to {high})"
                values={{ value: points(uplift.uplift), low: points(uplift.low), high: points(uplift.high) }}
              />
            </Text>
            {uplift.low != null && uplift.high != null && (
              <IntervalBar low={uplift.low} high={uplift.high} value={uplift.uplift}
                label={intl.formatMessage({ id: "report.holdout.interval", defaultMessage: "Uplift and its 95 % interval; the dashed line is no effect" })} />
            )}
            <Text size={2} color="default2">
              {uplift.low != null && uplift.low > 0 ? (
                <FormattedMessage id="report.holdout.significant" defaultMessage="The campaign adds conversions: the whole interval lies above zero." />
              ) : (
                <FormattedMessage id="report.holdout.notYet" defaultMessage="The interval still includes zero: the effect is not certain yet." />
              )}
            </Text>
          </Box>
          {currency && uplift.revenueUplift != null && (
            <Text size={3}>
              <FormattedMessage
                id="report.holdout.revenue"
                defaultMessage="Revenue per contact: {treated} with the campaign, {holdout} without; difference {uplift} (95 % interval {low} to {high})."
                values={{
                  treated: format.money(uplift.revenuePerContactTreated ?? 0, currency),
                  holdout: format.money(uplift.revenuePerContactHoldout ?? 0, currency),
                  uplift: format.money(uplift.revenueUplift, currency),
                  low: uplift.revenueLow == null ? "–" : format.money(uplift.revenueLow, currency),
                  high: uplift.revenueHigh == null ? "–" : format.money(uplift.revenueHigh, currency),
                }}
              />
            </Text>
          )}
        </Box>
      )}
    </Card>
  );
}
