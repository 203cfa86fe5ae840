// How many contacts the rules being edited match now, and a few of them (most recently seen
// first). Updates ~300 ms after the last change; never holds up typing.
import { Box, Text } from "@saleor/macaw-ui";
import { FormattedMessage, useIntl } from "react-intl";
import { Link } from "react-router-dom";

import { useFormat } from "../components/format";
import { errorsByNode, fromJson, place, previewError } from "./ruleTree";
import { useRulePreview } from "./useRulePreview";

/** The preview's refusal in words, naming the rule at fault ("Rule 2: Name a tag."). */
function useRefusal(error: unknown, rules: unknown): string {
  const intl = useIntl();
  const message = error instanceof Error ? error.message : String(error);
  const parsed = previewError(error);
  if (!parsed) return message;
  const root = fromJson(rules);
  const [[id] = []] = [...errorsByNode(root, [parsed]).entries()];
  const label = place(root).find((item) => item.node.id === id)?.label;
  return label
    ? intl.formatMessage({ id: "audience.preview.atRule", defaultMessage: "Rule {number}: {message}" }, { number: label, message: parsed.message })
    : parsed.message;
}

export function LivePreview({ rules }: { rules: unknown }) {
  const intl = useIntl();
  const format = useFormat();
  const { count, sample, outdated } = useRulePreview(rules);
  const refusal = useRefusal(count.error, rules);
  const value = count.data?.segmentCountPreview;
  const contacts = sample.data?.segmentSamplePreview ?? [];

  return (
    <Box display="flex" flexDirection="column" gap={4}>
      <Box
        role="status"
        aria-label={intl.formatMessage({ id: "audience.preview.label", defaultMessage: "Matching contacts" })}
        aria-busy={outdated}
        display="flex"
        flexDirection="column"
        gap={1}
      >
        {count.isError && !outdated ? (
          <>
            <Text size={4} fontWeight="bold">
              <FormattedMessage id="audience.preview.refused" defaultMessage="These rules cannot be counted yet" />
            </Text>
            <Text size={3} color="critical1">
              {refusal}
            </Text>
          </>
        ) : value == null ? (
          <Text size={3} color="default2">
            <FormattedMessage id="audience.preview.counting" defaultMessage="Counting…" />
          </Text>
        ) : (
          <>
            <Text size={11} fontWeight="bold" className="live-count" color={outdated ? "default2" : "default1"}>
              {format.number(value)}
            </Text>
            <Text size={3} color="default2">
              {outdated ? (
                <FormattedMessage id="audience.preview.updating" defaultMessage="Updating for your latest change…" />
              ) : (
                <FormattedMessage
                  id="audience.preview.count"
                  defaultMessage="{count, plural, one {contact matches these rules now} other {contacts match these rules now}}"
                  values={{ count: value }}
                />
              )}
            </Text>
          </>
        )}
      </Box>
      {value != null && value > 0 && contacts.length > 0 && !count.isError && (
        <Box display="flex" flexDirection="column" gap={2}>
          <Text as="h3" size={3} fontWeight="bold">
            <FormattedMessage id="audience.preview.sample" defaultMessage="For example" />
          </Text>
          <Box as="ul" margin={0} padding={0} display="flex" flexDirection="column" gap={1}>
            {contacts.map((contact) => (
              <Box as="li" key={contact.id} listStyleType="none" display="flex" flexDirection="column">
                <Link to={`/contacts/${encodeURIComponent(contact.id)}`} className="text-link">
                  {contact.email}
                </Link>
                {(contact.firstName || contact.lastName) && (
                  <Text size={2} color="default2">
                    {[contact.firstName, contact.lastName].filter(Boolean).join(" ")}
                  </Text>
                )}
              </Box>
            ))}
          </Box>
        </Box>
      )}
    </Box>
  );
}

/** The count in one line, beside the save button on a phone. */
export function LiveCountLine({ rules }: { rules: unknown }) {
  const { count, outdated } = useRulePreview(rules);
  const value = count.data?.segmentCountPreview;
  if (value == null || count.isError) return null;
  return (
    <Text size={3} color={outdated ? "default2" : "default1"}>
      <FormattedMessage
        id="audience.preview.line"
        defaultMessage="{count, plural, one {# contact matches} other {# contacts match}}"
        values={{ count: value }}
      />
    </Text>
  );
}
