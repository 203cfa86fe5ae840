// Every saved version of a template, newest first: when it was saved, whether it is the one
// sent, whether it restores an earlier one; and the shipped default at the end.
import { Box, Text } from "@saleor/macaw-ui";
import { FormattedMessage, useIntl } from "react-intl";

import { Pill } from "../components/Chips";
import { useFormat } from "../components/format";
import type { TemplateVersionFieldsFragment } from "../gql/graphql";

/** What the editor shows instead of the draft: a saved version, or the shipped default. */
export type Viewed = { kind: "version"; version: TemplateVersionFieldsFragment } | { kind: "default"; source: string };

export function History({
  versions,
  total,
  inUse,
  shippedSource,
  viewing,
  onView,
}: {
  versions: TemplateVersionFieldsFragment[];
  total: number;
  /** The version a send uses now; 0 for the shipped default. */
  inUse: number;
  shippedSource: string | null | undefined;
  viewing: Viewed | null;
  onView: (viewed: Viewed | null) => void;
}) {
  const intl = useIntl();
  const format = useFormat();
  const isViewed = (version: TemplateVersionFieldsFragment) => viewing?.kind === "version" && viewing.version.id === version.id;
  return (
    <Box display="flex" flexDirection="column" gap={3}>
      {versions.length === 0 && (
        <Text size={3} color="default2">
          <FormattedMessage id="messages.history.none" defaultMessage="No saved version yet: the default shipped with the plugin is sent." />
        </Text>
      )}
      <Box as="ol" margin={0} padding={0} display="flex" flexDirection="column" gap={2} aria-label={intl.formatMessage({ id: "messages.history.label", defaultMessage: "Versions" })}>
        {versions.map((version) => (
          <Box as="li" key={version.id} listStyleType="none" className="history-row" data-current={isViewed(version) || undefined}>
            <Box display="flex" flexDirection="column" gap={0.5} __minWidth="0">
              <Box display="flex" gap={2} alignItems="center" flexWrap="wrap">
                <Text size={3} fontWeight="bold">
                  <FormattedMessage id="messages.history.version" defaultMessage="Version {version}" values={{ version: version.version }} />
                </Text>
                {version.version === inUse && (
                  <Pill tone="success">
                    <FormattedMessage id="messages.history.inUse" defaultMessage="Sent now" />
                  </Pill>
                )}
                {!version.isActive && (
                  <Pill>
                    <FormattedMessage id="messages.history.deleted" defaultMessage="Deleted" />
                  </Pill>
                )}
              </Box>
              <Text size={2} color="default2">
                {version.revertedFrom != null ? (
                  <FormattedMessage
                    id="messages.history.reverted"
                    defaultMessage="{date} · restores version {from}"
                    values={{ date: format.dateTime(version.createdAt), from: version.revertedFrom }}
                  />
                ) : (
                  <FormattedMessage id="messages.history.edited" defaultMessage="{date} · edited" values={{ date: format.dateTime(version.createdAt) }} />
                )}
              </Text>
            </Box>
            <button
              type="button"
              className="list-button compact"
              aria-pressed={isViewed(version)}
              aria-label={intl.formatMessage({ id: "messages.history.viewVersion", defaultMessage: "View version {version}" }, { version: version.version })}
              onClick={() => onView(isViewed(version) ? null : { kind: "version", version })}
            >
              <FormattedMessage id="messages.history.view" defaultMessage="View" />
            </button>
          </Box>
        ))}
        {shippedSource && (
          <Box as="li" listStyleType="none" className="history-row" data-current={viewing?.kind === "default" || undefined}>
            <Box display="flex" flexDirection="column" gap={0.5}>
              <Box display="flex" gap={2} alignItems="center" flexWrap="wrap">
                <Text size={3} fontWeight="bold">
                  <FormattedMessage id="messages.history.default" defaultMessage="Shipped default" />
                </Text>
                {inUse === 0 && (
                  <Pill tone="success">
                    <FormattedMessage id="messages.history.inUse" defaultMessage="Sent now" />
                  </Pill>
                )}
              </Box>
              <Text size={2} color="default2">
                <FormattedMessage id="messages.history.defaultHelp" defaultMessage="Comes with the plugin; sent while no version is saved." />
              </Text>
            </Box>
            <button
              type="button"
              className="list-button compact"
              aria-pressed={viewing?.kind === "default"}
              aria-label={intl.formatMessage({ id: "messages.history.viewDefault", defaultMessage: "View the shipped default" })}
              onClick={() => onView(viewing?.kind === "default" ? null : { kind: "default", source: shippedSource })}
            >
              <FormattedMessage id="messages.history.view" defaultMessage="View" />
            </button>
          </Box>
        )}
      </Box>
      {total > versions.length && (
        <Text size={2} color="default2">
          <FormattedMessage
            id="messages.history.more"
            defaultMessage="The newest {shown, number} of {total, number} versions."
            values={{ shown: versions.length, total }}
          />
        </Text>
      )}
    </Box>
  );
}
