// The operations of the settings page, typed from ../graphql/schema.graphql by graphql-codegen.
import { graphql } from "../gql";

export const MarketingSettingsFieldsFragment = graphql(`
  fragment MarketingSettingsFields on MarketingSettings {
    quietHours
    smartSendingHours
    maxMarketingPerDay
    maxMarketingPerWeek
    attributionClickDays
    attributionOpenDays
    channels {
      slug
      senderName
      senderAddress
      storefrontUrl
    }
    signingSecretSet
    version
    host
    lockedFields
  }
`);

export const MarketingSettingsQuery = graphql(`
  query MarketingSettings {
    marketingSettings {
      ...MarketingSettingsFields
    }
  }
`);

export const MarketingSettingsUpdateMutation = graphql(`
  mutation MarketingSettingsUpdate($input: MarketingSettingsInput!, $expectedVersion: String) {
    marketingSettingsUpdate(input: $input, expectedVersion: $expectedVersion) {
      errors {
        field
        code
        message
      }
      settings {
        ...MarketingSettingsFields
      }
    }
  }
`);
