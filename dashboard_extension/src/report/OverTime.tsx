// Sends, opens, clicks and revenue per day or week (recharts; loaded with the report only).
import { Box, Text } from "@saleor/macaw-ui";
import { FormattedMessage, useIntl } from "react-intl";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import { useFormat } from "../components/format";
import type { CampaignReportPageQuery } from "../gql/graphql";

type Report = NonNullable<CampaignReportPageQuery["campaignReport"]>;
type Attribution = NonNullable<CampaignReportPageQuery["campaignAttribution"]>;

export default function OverTime({ report, attribution }: { report: Report; attribution: Attribution | null | undefined }) {
  const intl = useIntl();
  const format = useFormat();
  const revenueByDate = new Map((attribution?.series ?? []).map((point) => [point.date, Number(point.revenue)]));
  const currency = attribution?.currency;
  const data = report.series.map((point) => ({
    date: point.date,
    sent: point.sent,
    opened: point.opened,
    clicked: point.clicked,
    revenue: revenueByDate.get(point.date) ?? 0,
  }));
  const names = {
    sent: intl.formatMessage({ id: "report.sent", defaultMessage: "Sent" }),
    opened: intl.formatMessage({ id: "report.opened", defaultMessage: "Opened" }),
    clicked: intl.formatMessage({ id: "report.clicked", defaultMessage: "Clicked" }),
    revenue: intl.formatMessage({ id: "report.revenue", defaultMessage: "Attributed revenue" }),
  };
  const total = data.reduce((sum, point) => sum + point.sent + point.revenue, 0);
  return (
    <Box display="flex" flexDirection="column" gap={2}>
      <Text size={2} color="default2">
        {report.interval === "WEEK" ? (
          <FormattedMessage id="report.perWeek" defaultMessage="Per week, {from} – {to}" values={{ from: format.date(report.from), to: format.date(report.to) }} />
        ) : (
          <FormattedMessage id="report.perDay" defaultMessage="Per day, {from} – {to}" values={{ from: format.date(report.from), to: format.date(report.to) }} />
        )}
      </Text>
      {total === 0 ? (
        <Box padding={8} textAlign="center">
          <Text size={3} color="default2"><FormattedMessage id="report.overTime.empty" defaultMessage="Nothing happened in this period." /></Text>
        </Box>
      ) : (
        <Box __height="300px" width="100%" role="img" aria-label={intl.formatMessage({ id: "report.overTime.label", defaultMessage: "Messages and revenue over time" })}>
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="#e3e5e8" vertical={false} />
              <XAxis dataKey="date" tickFormatter={(value: string) => format.day(value)} fontSize={12} minTickGap={16} />
              <YAxis yAxisId="count" fontSize={12} allowDecimals={false} width={40} />
              {currency && (
                <YAxis yAxisId="money" orientation="right" fontSize={12} width={64}
                  tickFormatter={(value: number) => intl.formatNumber(value, { style: "currency", currency, notation: "compact" })} />
              )}
              <Tooltip
                // Series colours are for lines, too light for text: the tooltip's words stay dark.
                itemStyle={{ color: "var(--mu-colors-text-default1)" }}
                labelStyle={{ color: "var(--mu-colors-text-default1)" }}
                labelFormatter={(value) => format.date(`${String(value)}T00:00:00Z`)}
                formatter={(value, name) => [name === names.revenue && currency ? format.money(Number(value), currency) : format.number(Number(value)), name]}
              />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              <Bar yAxisId="count" dataKey="sent" name={names.sent} fill="#9db8f3" radius={[3, 3, 0, 0]} isAnimationActive={false} />
              <Line yAxisId="count" dataKey="opened" name={names.opened} stroke="#2f6fed" dot={false} strokeWidth={2} isAnimationActive={false} />
              <Line yAxisId="count" dataKey="clicked" name={names.clicked} stroke="#1f9d6b" dot={false} strokeWidth={2} isAnimationActive={false} />
              {currency && <Line yAxisId="money" dataKey="revenue" name={names.revenue} stroke="#e0803b" dot={false} strokeWidth={2} isAnimationActive={false} />}
            </ComposedChart>
          </ResponsiveContainer>
        </Box>
      )}
    </Box>
  );
}
