// Home page widget: what automation earned in the last 30 days, and the campaigns that earned it.
import { Box, Text } from "@saleor/macaw-ui";
import { FormattedMessage, useIntl } from "react-intl";

import { useApiQuery } from "../api/hooks";
import { AutomationRevenueQuery } from "../api/operations";
import { useFormat } from "../components/format";
import { Sparkline } from "../components/Sparkline";
import { ErrorState, Loading } from "../components/states";
import { AppLink, WidgetFrame } from "./WidgetFrame";

const DAYS = 30;

export default function RevenueWidget() {
  const intl = useIntl();
  const format = useFormat();
  const revenue = useApiQuery(AutomationRevenueQuery, { days: DAYS });
  if (revenue.isPending) return <Loading />;
  if (revenue.isError) return <ErrorState error={revenue.error} onRetry={() => void revenue.refetch()} />;
  const data = revenue.data.automationRevenue;
  const main = data.totals[0];
  const daily = new Map(data.series.filter((point) => point.currency === main?.currency).map((point) => [point.date, Number(point.amount)]));
  const days = Array.from({ length: DAYS }, (_, index) => {
    const day = new Date(new Date(data.to).getTime() - (DAYS - 1 - index) * 86_400_000).toISOString().slice(0, 10);
    return daily.get(day) ?? 0;
  });
  return (
    <WidgetFrame>
      <Text as="h1" size={4} fontWeight="bold">
        <FormattedMessage id="widget.revenue.title" defaultMessage="Automation revenue, last 30 days" />
      </Text>
      {data.totals.length === 0 ? (
        <Text size={3} color="default2">
          <FormattedMessage id="widget.revenue.none" defaultMessage="No order came from a campaign in the last 30 days." />
        </Text>
      ) : (
        <Box display="flex" justifyContent="space-between" alignItems="flex-end" gap={4}>
          <Box display="flex" flexDirection="column" gap={1}>
            {data.totals.map((total) => (
              <Text key={total.currency} size={total === main ? 9 : 4} fontWeight="bold">
                {format.money(total.amount, total.currency)}
              </Text>
            ))}
            <Text size={2} color="default2">
              <FormattedMessage
                id="widget.revenue.orders"
                defaultMessage="{count, plural, one {# order} other {# orders}} earned by campaigns"
                values={{ count: data.totals.reduce((sum, total) => sum + total.conversions, 0) }}
              />
            </Text>
          </Box>
          <Box color="default2">
            <Sparkline values={days} width={140} height={40}
              label={intl.formatMessage({ id: "widget.revenue.trend", defaultMessage: "Revenue per day" })} />
          </Box>
        </Box>
      )}
      {data.campaigns.length > 0 && (
        <Box as="ol" margin={0} padding={0} display="flex" flexDirection="column" gap={1}>
          {data.campaigns.map((item) => (
            <Box as="li" key={item.campaign.id} listStyleType="none" display="flex" justifyContent="space-between" gap={3}>
              <AppLink to={`/campaigns/${encodeURIComponent(item.campaign.id)}/report`}>{item.campaign.name}</AppLink>
              <Text size={3} whiteSpace="nowrap">
                {item.totals.map((total) => format.money(total.amount, total.currency)).join(" · ")}
              </Text>
            </Box>
          ))}
        </Box>
      )}
    </WidgetFrame>
  );
}
