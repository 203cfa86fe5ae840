// What a campaign would do for one contact, and when: nothing is stored or sent.
import { Box, Text } from "@saleor/macaw-ui";

import { useEffect, useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";

import { useApiQuery } from "../api/hooks";
import { CampaignDryRunQuery, ContactSearchQuery } from "../api/operations";
import { useFormat } from "../components/format";
import { ErrorState, Loading } from "../components/states";
import { dryRunReasons, labelOf, stepTypeLabels } from "../i18n/labels";
import { Input } from "../components/Input";

function useDebounced<T>(value: T, delay = 300): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
  return debounced;
}

function Timeline({ campaignId, contactId }: { campaignId: string; contactId: string }) {
  const intl = useIntl();
  const format = useFormat();
  const run = useApiQuery(CampaignDryRunQuery, { id: campaignId, contactId }, { staleTime: 0 });
  if (run.isPending) return <Loading />;
  if (run.isError) return <ErrorState error={run.error} onRetry={() => void run.refetch()} />;
  const result = run.data.campaignDryRun;
  if (!result) return null;
  return (
    <Box display="flex" flexDirection="column" gap={3}>
      <Text size={3} fontWeight="bold" color={result.eligible ? "success1" : "warning1"}>
        {result.eligible ? (
          <FormattedMessage id="dryRun.eligible" defaultMessage="This contact would enter." />
        ) : (
          <FormattedMessage id="dryRun.notEligible" defaultMessage="This contact would not enter: {reason}" values={{ reason: labelOf(intl, dryRunReasons, result.reason) }} />
        )}
      </Text>
      <Box as="ol" margin={0} padding={0} display="flex" flexDirection="column" gap={0}>
        {result.steps.map((step, index) => (
          <Box as="li" key={`${step.key}-${index}`} listStyleType="none" display="flex" gap={3}>
            <Box display="flex" flexDirection="column" alignItems="center">
              <Box __width="10px" __height="10px" borderRadius="50%" backgroundColor="accent1" marginTop={1.5} />
              {index < result.steps.length - 1 && <Box __width="2px" __flex="1" backgroundColor="default3" />}
            </Box>
            <Box paddingBottom={4} display="flex" flexDirection="column" gap={0.5}>
              <Text size={2} color="default2">{format.dateTime(step.at)}</Text>
              <Text size={3} fontWeight="medium">
                {labelOf(intl, stepTypeLabels, step.type)} · {step.key}
              </Text>
              <Text size={2} color="default2">{step.outcome}</Text>
            </Box>
          </Box>
        ))}
      </Box>
    </Box>
  );
}

export function DryRun({ campaignId }: { campaignId: string }) {
  const intl = useIntl();
  const [search, setSearch] = useState("");
  const [contact, setContact] = useState<{ id: string; email: string } | null>(null);
  const query = useDebounced(search.trim());
  const results = useApiQuery(ContactSearchQuery, { search: query }, { enabled: query.length >= 2 });
  const contacts = (results.data?.contacts?.edges ?? []).flatMap((edge) => (edge?.node ? [edge.node] : []));
  return (
    <Box display="flex" flexDirection="column" gap={4}>
      <Text size={3} color="default2">
        <FormattedMessage id="dryRun.explain" defaultMessage="Pick a contact to see the steps they would take and when. Nothing is sent." />
      </Text>
      <Input
        type="text"
        size="small"
        label={intl.formatMessage({ id: "dryRun.search", defaultMessage: "Contact (email or name)" })}
        value={search}
        onChange={(event) => setSearch(event.target.value)}
      />
      {query.length >= 2 && !contact && (
        <Box as="ul" margin={0} padding={0} display="flex" flexDirection="column" gap={1}>
          {contacts.map((item) => (
            <Box as="li" key={item.id} listStyleType="none">
              <button type="button" className="list-button" onClick={() => setContact({ id: item.id, email: item.email })}>
                {item.email}
                {item.firstName ? ` · ${item.firstName} ${item.lastName}` : ""}
              </button>
            </Box>
          ))}
          {results.isSuccess && contacts.length === 0 && (
            <Text size={3} color="default2"><FormattedMessage id="dryRun.none" defaultMessage="No contact matches." /></Text>
          )}
        </Box>
      )}
      {contact && (
        <Box display="flex" flexDirection="column" gap={3}>
          <Box display="flex" justifyContent="space-between" alignItems="center">
            <Text size={3} fontWeight="bold">{contact.email}</Text>
            <button type="button" className="list-button compact" onClick={() => setContact(null)}>
              <FormattedMessage id="dryRun.change" defaultMessage="Choose another" />
            </button>
          </Box>
          <Timeline campaignId={campaignId} contactId={contact.id} />
        </Box>
      )}
    </Box>
  );
}
