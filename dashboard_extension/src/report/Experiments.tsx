// A/B results of a split step: each variant's figures and probability of being best, the
// winner rule and the decision.
import { Box, Text } from "@saleor/macaw-ui";
import { FormattedMessage, useIntl } from "react-intl";

import { useApiQuery } from "../api/hooks";
import { ExperimentResultsQuery } from "../api/operations";
import { Pill } from "../components/Chips";
import { useFormat } from "../components/format";
import { Card } from "../components/Page";
import { ErrorState, Loading } from "../components/states";
import { Table, Td, Th } from "../components/Table";

export function Experiment({ campaignId, stepKey, title, currency }: { campaignId: string; stepKey: string; title: string; currency?: string | null }) {
  const intl = useIntl();
  const format = useFormat();
  const results = useApiQuery(ExperimentResultsQuery, { campaignId, stepKey, currency: currency ?? undefined });
  const data = results.data?.experimentResults;
  return (
    <Card title={<FormattedMessage id="report.experiment" defaultMessage="A/B test: {step}" values={{ step: title }} />} padding={0}>
      {results.isPending ? (
        <Loading />
      ) : results.isError ? (
        <ErrorState error={results.error} onRetry={() => void results.refetch()} />
      ) : !data ? null : (
        <>
          <Box paddingX={5} paddingBottom={3} display="flex" flexDirection="column" gap={1}>
            <Text size={2} color="default2">
              {data.rule ? (
                <FormattedMessage
                  id="report.experiment.rule"
                  defaultMessage="A winner is picked automatically once every variant has {min, plural, one {# recipient} other {# recipients}} and one is best with a probability of at least {probability}."
                  values={{ min: data.rule.minRecipients, probability: format.percent(data.rule.probability, 0) }}
                />
              ) : (
                <FormattedMessage id="report.experiment.manual" defaultMessage="No automatic winner: decide by hand once the results are clear." />
              )}
            </Text>
            {data.decision ? (
              <Text size={3} fontWeight="bold" color="success1">
                <FormattedMessage
                  id="report.experiment.decided"
                  defaultMessage="Winner: {winner} ({source, select, AUTOMATIC {picked automatically} other {picked by hand}}, {date}). Everyone now gets it."
                  values={{ winner: data.decision.winner, source: data.decision.source, date: format.date(data.decision.decidedAt) }}
                />
              </Text>
            ) : data.leader ? (
              <Text size={3}>
                <FormattedMessage id="report.experiment.leader" defaultMessage="Leading so far: {leader}" values={{ leader: data.leader }} />
              </Text>
            ) : null}
          </Box>
          <Table label={intl.formatMessage({ id: "report.experiment.table", defaultMessage: "Variants" })}>
            <thead>
              <tr>
                <Th><FormattedMessage id="report.col.variant" defaultMessage="Variant" /></Th>
                <Th align="right"><FormattedMessage id="report.col.weight" defaultMessage="Weight" /></Th>
                <Th align="right"><FormattedMessage id="report.col.recipients" defaultMessage="Recipients" /></Th>
                <Th align="right"><FormattedMessage id="report.col.orders" defaultMessage="Orders" /></Th>
                <Th align="right"><FormattedMessage id="report.col.rate" defaultMessage="Conversion" /></Th>
                <Th align="right"><FormattedMessage id="report.col.revenue" defaultMessage="Revenue" /></Th>
                <Th><FormattedMessage id="report.col.pBest" defaultMessage="P(best)" /></Th>
              </tr>
            </thead>
            <tbody>
              {data.variants.map((variant) => (
                <tr key={variant.name}>
                  <Td>
                    <Box display="flex" gap={2} alignItems="center">
                      <Text size={3} fontWeight="medium">{variant.name}</Text>
                      {data.decision?.winner === variant.name && <Pill tone="success"><FormattedMessage id="report.winner" defaultMessage="winner" /></Pill>}
                    </Box>
                  </Td>
                  <Td align="right">{variant.weight}</Td>
                  <Td align="right">{format.number(variant.recipients)}</Td>
                  <Td align="right">{format.number(variant.conversions)}</Td>
                  <Td align="right">{format.percent(variant.conversionRate)}</Td>
                  <Td align="right" nowrap>{data.currency ? format.money(variant.revenue, data.currency) : "–"}</Td>
                  <Td>
                    <Box display="flex" alignItems="center" gap={2} __minWidth="120px">
                      <div className="bar-track" style={{ flex: 1 }} role="img" aria-label={format.percent(variant.probabilityBest)}>
                        <div className="bar-fill" style={{ width: `${(variant.probabilityBest ?? 0) * 100}%`, background: "#e0803b" }} />
                      </div>
                      <Text size={2}>{format.percent(variant.probabilityBest, 0)}</Text>
                    </Box>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      )}
    </Card>
  );
}
