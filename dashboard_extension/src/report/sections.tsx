// Parts of the campaign report: headline figures, the funnel per step, revenue per step.
import { Box, Text } from "@saleor/macaw-ui";
import type { ReactNode } from "react";
import { FormattedMessage, useIntl } from "react-intl";

import { rate, useFormat } from "../components/format";
import { Card } from "../components/Page";
import { Table, Td, Th } from "../components/Table";
import type { CampaignReportPageQuery } from "../gql/graphql";
import { labelOf, stepTypeLabels } from "../i18n/labels";

type Report = NonNullable<CampaignReportPageQuery["campaignReport"]>;
type Attribution = NonNullable<CampaignReportPageQuery["campaignAttribution"]>;

function Kpi({ label, value, detail }: { label: ReactNode; value: ReactNode; detail?: ReactNode }) {
  return (
    <Box
      borderWidth={1}
      borderStyle="solid"
      borderColor="default1"
      borderRadius={4}
      backgroundColor="default1"
      padding={4}
      display="flex"
      flexDirection="column"
      gap={1}
    >
      <Text size={2} color="default2">
        {label}
      </Text>
      <Text size={8} fontWeight="bold">
        {value}
      </Text>
      <Text size={2} color="default2">
        {detail ?? "\u00a0"}
      </Text>
    </Box>
  );
}

export function Headline({ report, attribution }: { report: Report; attribution: Attribution | null | undefined }) {
  const intl = useIntl();
  const format = useFormat();
  const figures = report.figures;
  const currency = attribution?.currency;
  return (
    <Box as="section" className="kpi-grid" aria-label={intl.formatMessage({ id: "report.headline", defaultMessage: "All-time figures" })}>
      <Kpi label={<FormattedMessage id="report.enrolled" defaultMessage="Entered" />} value={format.number(figures.enrolled)} />
      <Kpi label={<FormattedMessage id="report.sent" defaultMessage="Sent" />} value={format.number(figures.sent)}
        detail={
          // Deliveries are known only where the email provider reports them (anymail webhooks).
          figures.delivered > 0 ? (
            <FormattedMessage id="report.delivered" defaultMessage="{count} confirmed delivered" values={{ count: format.number(figures.delivered) }} />
          ) : undefined
        } />
      <Kpi label={<FormattedMessage id="report.opened" defaultMessage="Opened" />} value={format.percent(rate(figures.opened, figures.sent))}
        detail={format.number(figures.opened)} />
      <Kpi label={<FormattedMessage id="report.clicked" defaultMessage="Clicked" />} value={format.percent(rate(figures.clicked, figures.sent))}
        detail={format.number(figures.clicked)} />
      <Kpi label={<FormattedMessage id="report.converted" defaultMessage="Reached the goal" />} value={format.number(figures.converted)}
        detail={<FormattedMessage id="report.unsubscribed" defaultMessage="{count} unsubscribed" values={{ count: format.number(figures.unsubscribed) }} />} />
      <Kpi
        label={<FormattedMessage id="report.revenue" defaultMessage="Attributed revenue" />}
        value={currency ? format.money(attribution!.total.revenue, currency) : "–"}
        detail={
          attribution ? (
            <FormattedMessage id="report.orders" defaultMessage="{count, plural, one {# order} other {# orders}}" values={{ count: attribution.total.conversions }} />
          ) : undefined
        }
      />
    </Box>
  );
}

function Bar({ value, colour, label }: { value: number | null; colour: string; label: string }) {
  return (
    <div className="bar-track" role="img" aria-label={label}>
      <div className="bar-fill" style={{ width: `${Math.min(100, (value ?? 0) * 100)}%`, background: colour }} />
    </div>
  );
}

export function Funnel({ report }: { report: Report }) {
  const intl = useIntl();
  const format = useFormat();
  const steps = report.steps.filter((step) => step.type === "SEND" || step.figures.sent > 0);
  return (
    <Card title={<FormattedMessage id="report.funnel" defaultMessage="Funnel per step" />}>
      {steps.length === 0 ? (
        <Text size={3} color="default2"><FormattedMessage id="report.funnel.empty" defaultMessage="This campaign sends no messages." /></Text>
      ) : (
        <Box as="ol" margin={0} padding={0} display="flex" flexDirection="column" gap={4}>
          {steps.map((step) => {
            const opened = rate(step.figures.opened, step.figures.sent);
            const clicked = rate(step.figures.clicked, step.figures.sent);
            return (
              <Box as="li" key={step.key} listStyleType="none" display="flex" flexDirection="column" gap={2}>
                <Box display="flex" justifyContent="space-between" gap={3}>
                  <Text size={3} fontWeight="medium">
                    {step.name || step.key}
                    {step.removed && (
                      <Text as="span" size={2} color="default2"> · <FormattedMessage id="report.removed" defaultMessage="removed" /></Text>
                    )}
                  </Text>
                  <Text size={3} color="default2" whiteSpace="nowrap">
                    <FormattedMessage id="report.funnel.sent" defaultMessage="{count} sent" values={{ count: format.number(step.figures.sent) }} />
                  </Text>
                </Box>
                <Box display="grid" __gridTemplateColumns="90px 1fr 56px" gap={2} alignItems="center">
                  <Text size={2} color="default2"><FormattedMessage id="report.opened" defaultMessage="Opened" /></Text>
                  <Bar value={opened} colour="#2f6fed" label={`${intl.formatMessage({ id: "report.opened", defaultMessage: "Opened" })} ${format.percent(opened)}`} />
                  <Text size={2} textAlign="right">{format.percent(opened)}</Text>
                  <Text size={2} color="default2"><FormattedMessage id="report.clicked" defaultMessage="Clicked" /></Text>
                  <Bar value={clicked} colour="#1f9d6b" label={`${intl.formatMessage({ id: "report.clicked", defaultMessage: "Clicked" })} ${format.percent(clicked)}`} />
                  <Text size={2} textAlign="right">{format.percent(clicked)}</Text>
                </Box>
              </Box>
            );
          })}
        </Box>
      )}
    </Card>
  );
}

export function RevenueTable({
  attribution,
  onCurrency,
}: {
  attribution: Attribution;
  onCurrency: (currency: string) => void;
}) {
  const intl = useIntl();
  const format = useFormat();
  const currency = attribution.currency;
  const money = (amount: string) => (currency ? format.money(amount, currency) : "–");
  return (
    <Card
      title={<FormattedMessage id="report.revenueTable" defaultMessage="Revenue per step" />}
      actions={
        attribution.currencies.length > 1 ? (
          <label className="field-label inline">
            <FormattedMessage id="report.currency" defaultMessage="Currency" />
            <select className="native-select" value={currency ?? ""} onChange={(event) => onCurrency(event.target.value)}>
              {attribution.currencies.map((code) => (
                <option key={code} value={code}>{code}</option>
              ))}
            </select>
          </label>
        ) : undefined
      }
      padding={0}
    >
      <Box paddingX={5} paddingBottom={3}>
        <Text size={2} color="default2">
          <FormattedMessage
            id="report.revenueTable.explain"
            defaultMessage="Each order counts once, for the step that earned it: its voucher code, else the last click within {click} days, else the last open within {open, plural, one {# day} other {# days}}. The last column adds up the steps so far."
            values={{ click: attribution.clickWindowDays, open: attribution.openWindowDays }}
          />
        </Text>
      </Box>
      <Table label={intl.formatMessage({ id: "report.revenueTable", defaultMessage: "Revenue per step" })}>
        <thead>
          <tr>
            <Th><FormattedMessage id="report.col.step" defaultMessage="Step" /></Th>
            <Th align="right"><FormattedMessage id="report.sent" defaultMessage="Sent" /></Th>
            <Th align="right"><FormattedMessage id="report.clicked" defaultMessage="Clicked" /></Th>
            <Th align="right"><FormattedMessage id="report.col.orders" defaultMessage="Orders" /></Th>
            <Th align="right"><FormattedMessage id="report.col.revenue" defaultMessage="Revenue" /></Th>
            <Th align="right"><FormattedMessage id="report.col.cumulative" defaultMessage="Cumulative" /></Th>
          </tr>
        </thead>
        <tbody>
          {attribution.steps.length === 0 ? (
            <tr>
              <Td colSpan={6}>
                <Text size={3} color="default2"><FormattedMessage id="report.revenueTable.empty" defaultMessage="No step has earned an order yet." /></Text>
              </Td>
            </tr>
          ) : (
            attribution.steps.map((step) => (
              <tr key={step.key}>
                <Td>
                  <Text size={3} fontWeight="medium">{step.name || step.key}</Text>
                  <Text size={2} color="default2" display="block">
                    {labelOf(intl, stepTypeLabels, step.type)}
                    {step.removed ? ` · ${intl.formatMessage({ id: "report.removed", defaultMessage: "removed" })}` : ""}
                  </Text>
                </Td>
                <Td align="right">{format.number(step.sent)}</Td>
                <Td align="right">{format.number(step.clicked)}</Td>
                <Td align="right">{format.number(step.conversions)}</Td>
                <Td align="right" nowrap>{money(step.revenue)}</Td>
                <Td align="right" nowrap>
                  <Text size={3} fontWeight="bold">{money(step.cumulativeRevenue)}</Text>
                </Td>
              </tr>
            ))
          )}
        </tbody>
        <tfoot>
          <tr>
            <Td><Text size={3} fontWeight="bold"><FormattedMessage id="report.total" defaultMessage="Total" /></Text></Td>
            <Td align="right">{format.number(attribution.total.sent)}</Td>
            <Td align="right">{format.number(attribution.total.clicked)}</Td>
            <Td align="right">{format.number(attribution.total.conversions)}</Td>
            <Td align="right" nowrap><Text size={3} fontWeight="bold">{money(attribution.total.revenue)}</Text></Td>
            <Td align="right">
              <Text size={2} color="default2">
                <FormattedMessage
                  id="report.byTouch"
                  defaultMessage="{voucher} by code · {click} by click · {open} by open"
                  values={{
                    voucher: attribution.total.voucherConversions,
                    click: attribution.total.clickConversions,
                    open: attribution.total.openConversions,
                  }}
                />
              </Text>
            </Td>
          </tr>
        </tfoot>
      </Table>
    </Card>
  );
}
