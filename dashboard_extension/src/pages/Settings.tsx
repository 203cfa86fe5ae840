// The settings page: where the settings are saved in this host, then the form.
import { Box, Text } from "@saleor/macaw-ui";
import { useQueryClient } from "@tanstack/react-query";
import { FormattedMessage, useIntl } from "react-intl";

import { useApiQuery } from "../api/hooks";
import { MarketingSettingsQuery } from "../api/settingsOperations";
import { Page } from "../components/Page";
import { ErrorState, Loading } from "../components/states";
import type { MarketingSettingsFieldsFragment } from "../gql/graphql";
import { SettingsForm } from "../settings/SettingsForm";

function WhereSaved({ settings }: { settings: MarketingSettingsFieldsFragment }) {
  return (
    <Box role="note" __maxWidth="960px" padding={4} borderRadius={4} backgroundColor="default1" borderWidth={1} borderStyle="solid" borderColor="default1">
      <Text size={3}>
        {settings.host === "SALEOR" ? (
          <FormattedMessage
            id="shopSettings.where.saleor"
            defaultMessage="Saved in Saleor's plugin configuration (Configuration → Plugins → Marketing automation), which shows the same values. Sender, storefront, imprint and the other settings are edited there."
          />
        ) : (
          <FormattedMessage
            id="shopSettings.where.standalone"
            defaultMessage="Saved in this server's database. Values fixed in the server's configuration (SALEOR_MA_PLUGIN) are shown but cannot be changed here; sender, storefront and imprint are set there."
          />
        )}
      </Text>
    </Box>
  );
}

export default function Settings() {
  const intl = useIntl();
  const queryClient = useQueryClient();
  const query = useApiQuery(MarketingSettingsQuery, {});
  const title = intl.formatMessage({ id: "shopSettings.title", defaultMessage: "Settings" });
  if (query.isPending) return <Page title={title}><Loading /></Page>;
  if (query.isError) return <Page title={title}><ErrorState error={query.error} onRetry={() => void query.refetch()} /></Page>;
  const settings = query.data.marketingSettings;
  return (
    <Page
      title={title}
      subtitle={<FormattedMessage id="shopSettings.subtitle" defaultMessage="Quiet hours, frequency, attribution and channels" />}
    >
      <WhereSaved settings={settings} />
      <SettingsForm
        settings={settings}
        onSaved={(next) => queryClient.setQueryData(["MarketingSettings", {}], { marketingSettings: next })}
      />
    </Page>
  );
}
