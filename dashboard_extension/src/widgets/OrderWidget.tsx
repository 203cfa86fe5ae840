// Order page widget: which campaign and step earned this order, and how.
import { Box, Text } from "@saleor/macaw-ui";
import { FormattedMessage, useIntl } from "react-intl";
import { useSearchParams } from "react-router-dom";

import { isUnknownId } from "../api/errors";
import { useApiQuery } from "../api/hooks";
import { OrderAttributionQuery } from "../api/operations";
import { useFormat } from "../components/format";
import { ErrorState, Loading, NotFound } from "../components/states";
import { labelOf, stepTypeLabels } from "../i18n/labels";
import { AppLink, WidgetFrame } from "./WidgetFrame";

export default function OrderWidget() {
  const intl = useIntl();
  const format = useFormat();
  const [params] = useSearchParams();
  const orderId = params.get("orderId") ?? "";
  const attribution = useApiQuery(OrderAttributionQuery, { orderId }, { enabled: Boolean(orderId) });
  if (!orderId) return <NotFound />;
  if (attribution.isPending) return <Loading />;
  if (attribution.isError && isUnknownId(attribution.error)) return <NotFound />;
  if (attribution.isError) return <ErrorState error={attribution.error} onRetry={() => void attribution.refetch()} />;
  const data = attribution.data.orderAttribution;
  return (
    <WidgetFrame>
      <Text as="h1" size={4} fontWeight="bold">
        <FormattedMessage id="widget.order.title" defaultMessage="Marketing attribution" />
      </Text>
      {!data ? (
        <Text size={3} color="default2">
          <FormattedMessage id="widget.order.none" defaultMessage="No campaign earned this order." />
        </Text>
      ) : (
        <Box display="flex" flexDirection="column" gap={2}>
          <Text size={3}>
            <FormattedMessage
              id="widget.order.earned"
              defaultMessage="Earned by {campaign}, step “{step}”, {touch, select, VOUCHER {through its voucher code} CLICK {through a click} other {through an open}}."
              values={{
                campaign: <strong>{data.campaign.name}</strong>,
                step: data.stepName || data.stepKey,
                touch: data.touch,
              }}
            />
          </Text>
          <Text size={2} color="default2">
            {data.stepType ? `${labelOf(intl, stepTypeLabels, data.stepType)} · ` : ""}
            {data.touchedAt ? (
              <FormattedMessage id="widget.order.touched" defaultMessage="touched {when}" values={{ when: format.dateTime(data.touchedAt) }} />
            ) : null}
            {" · "}
            {format.money(data.revenue, data.currency)}
          </Text>
          <AppLink to={`/campaigns/${encodeURIComponent(data.campaign.id)}/report`}>
            <FormattedMessage id="widget.order.report" defaultMessage="Open the campaign report" />
          </AppLink>
        </Box>
      )}
    </WidgetFrame>
  );
}
