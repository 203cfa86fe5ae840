// Every operation the app sends, typed from ../graphql/schema.graphql by graphql-codegen.
import { graphql } from "../gql";

export const MarketingViewerQuery = graphql(`
  query MarketingViewer {
    marketingViewer {
      kind
      email
      permissions
    }
  }
`);

export const CampaignListQuery = graphql(`
  query CampaignList(
    $filter: CampaignFilterInput
    $sortBy: CampaignSortingInput
    $first: Int
    $after: String
    $last: Int
    $before: String
  ) {
    campaigns(
      filter: $filter
      sortBy: $sortBy
      first: $first
      after: $after
      last: $last
      before: $before
    ) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        node {
          id
          name
          kind
          status
          trigger
          createdAt
          updatedAt
          figures {
            sent
            opened
            clicked
            converted
          }
        }
      }
    }
  }
`);

export const CampaignListExtrasQuery = graphql(`
  query CampaignListExtras($ids: [ID!]!, $from: DateTime, $interval: ReportIntervalEnum) {
    campaignRevenues(ids: $ids) {
      campaign {
        id
      }
      totals {
        currency
        amount
        conversions
      }
    }
    campaignReports(ids: $ids, from: $from, interval: $interval) {
      campaign {
        id
      }
      series {
        date
        sent
      }
    }
  }
`);

export const CampaignActivateMutation = graphql(`
  mutation CampaignActivate($id: ID!) {
    campaignActivate(id: $id) {
      errors {
        field
        code
        message
      }
      campaign {
        id
        status
        updatedAt
      }
    }
  }
`);

export const CampaignPauseMutation = graphql(`
  mutation CampaignPause($id: ID!) {
    campaignPause(id: $id) {
      errors {
        field
        code
        message
      }
      campaign {
        id
        status
        updatedAt
      }
    }
  }
`);

export const CampaignArchiveMutation = graphql(`
  mutation CampaignArchive($id: ID!) {
    campaignArchive(id: $id) {
      errors {
        field
        code
        message
      }
      campaign {
        id
        status
        updatedAt
      }
    }
  }
`);

export const CampaignDuplicateMutation = graphql(`
  mutation CampaignDuplicate($id: ID!, $name: String) {
    campaignDuplicate(id: $id, name: $name) {
      errors {
        field
        code
        message
      }
      campaign {
        id
      }
    }
  }
`);

export const CampaignPresetsQuery = graphql(`
  query CampaignPresets {
    campaignPresets {
      slug
      title
      description
      defaults
    }
  }
`);

export const CampaignPresetPreviewQuery = graphql(`
  query CampaignPresetPreview($preset: String!, $params: JSON) {
    campaignPresetPreview(preset: $preset, params: $params) {
      preset
      name
      kind
      trigger
      goal
      entryStepKey
      steps {
        key
        type
        name
        config
        nextKey
      }
    }
  }
`);

export const CampaignCreateFromPresetMutation = graphql(`
  mutation CampaignCreateFromPreset($preset: String!, $params: JSON) {
    campaignCreateFromPreset(preset: $preset, params: $params) {
      errors {
        field
        code
        message
      }
      campaign {
        id
      }
    }
  }
`);

export const CampaignCreateMutation = graphql(`
  mutation CampaignCreate($input: CampaignCreateInput!) {
    campaignCreate(input: $input) {
      errors {
        field
        code
        message
      }
      campaign {
        id
      }
    }
  }
`);

export const DefinitionsQuery = graphql(`
  query Definitions {
    campaignStepTypes {
      type
      label
      description
      configSchema
      final
      reachesContact
    }
    campaignTriggerTypes {
      type
      label
      description
      schema
    }
    templateKeys
  }
`);

export const CampaignDetailsFragment = graphql(`
  fragment CampaignDetails on Campaign {
    id
    name
    kind
    status
    trigger
    audience
    goal
    exitCondition
    reentryPolicy
    reentryPeriodDays
    conversionWindowDays
    minAudienceSize
    priority
    holdoutShare
    preset
    entryStepKey
    createdAt
    updatedAt
    launchedAt
    steps {
      key
      type
      name
      config
      nextKey
      position
      figures {
        sent
        opened
        clicked
      }
    }
  }
`);

export const CampaignQuery = graphql(`
  query Campaign($id: ID!) {
    campaign(id: $id) {
      ...CampaignDetails
    }
  }
`);

export const CampaignEntrantsQuery = graphql(`
  query CampaignEntrants($id: ID!) {
    campaignEntrantsCount(id: $id)
  }
`);

export const CampaignUpdateMutation = graphql(`
  mutation CampaignUpdate($id: ID!, $input: CampaignSettingsInput!, $expectedUpdatedAt: DateTime) {
    campaignUpdate(id: $id, input: $input, expectedUpdatedAt: $expectedUpdatedAt) {
      errors {
        field
        code
        message
      }
      campaign {
        ...CampaignDetails
      }
    }
  }
`);

export const CampaignStepUpdateMutation = graphql(`
  mutation CampaignStepUpdate(
    $campaignId: ID!
    $key: String!
    $config: JSON
    $nextKey: String
    $expectedUpdatedAt: DateTime
  ) {
    campaignStepUpdate(
      campaignId: $campaignId
      key: $key
      config: $config
      nextKey: $nextKey
      expectedUpdatedAt: $expectedUpdatedAt
    ) {
      errors {
        field
        code
        message
      }
      campaign {
        ...CampaignDetails
      }
    }
  }
`);

export const CampaignStepAddMutation = graphql(`
  mutation CampaignStepAdd(
    $campaignId: ID!
    $afterKey: String
    $input: CampaignStepInput!
    $expectedUpdatedAt: DateTime
  ) {
    campaignStepAdd(
      campaignId: $campaignId
      afterKey: $afterKey
      input: $input
      expectedUpdatedAt: $expectedUpdatedAt
    ) {
      errors {
        field
        code
        message
      }
      campaign {
        ...CampaignDetails
      }
    }
  }
`);

export const CampaignStepRemoveMutation = graphql(`
  mutation CampaignStepRemove($campaignId: ID!, $key: String!, $expectedUpdatedAt: DateTime) {
    campaignStepRemove(campaignId: $campaignId, key: $key, expectedUpdatedAt: $expectedUpdatedAt) {
      errors {
        field
        code
        message
      }
      campaign {
        ...CampaignDetails
      }
    }
  }
`);

export const ContactSearchQuery = graphql(`
  query ContactSearch($search: String) {
    contacts(filter: { search: $search }, first: 8) {
      edges {
        node {
          id
          email
          firstName
          lastName
        }
      }
    }
  }
`);

export const CampaignDryRunQuery = graphql(`
  query CampaignDryRun($id: ID!, $contactId: ID!) {
    campaignDryRun(id: $id, contactId: $contactId) {
      eligible
      reason
      steps {
        key
        type
        at
        outcome
      }
    }
  }
`);

export const CampaignReportQuery = graphql(`
  query CampaignReportPage(
    $id: ID!
    $from: DateTime
    $to: DateTime
    $interval: ReportIntervalEnum
    $currency: String
  ) {
    campaign(id: $id) {
      id
      name
      status
      kind
      createdAt
      holdoutShare
      steps {
        key
        type
        name
        config
      }
    }
    campaignReport(id: $id, from: $from, to: $to, interval: $interval) {
      from
      to
      interval
      figures {
        enrolled
        sent
        delivered
        opened
        clicked
        unsubscribed
        converted
        revenue
      }
      steps {
        key
        type
        name
        removed
        figures {
          sent
          delivered
          opened
          clicked
          unsubscribed
        }
      }
      series {
        date
        sent
        opened
        clicked
        converted
        revenue
      }
    }
    campaignAttribution(id: $id, currency: $currency, from: $from, to: $to, interval: $interval) {
      currency
      currencies
      clickWindowDays
      openWindowDays
      steps {
        key
        type
        name
        removed
        sent
        opened
        clicked
        conversions
        revenue
        cumulativeRevenue
      }
      total {
        sent
        opened
        clicked
        conversions
        revenue
        voucherConversions
        clickConversions
        openConversions
      }
      uplift {
        holdoutShare
        treatedContacts
        holdoutContacts
        treatedConversions
        holdoutConversions
        treatedRate
        holdoutRate
        uplift
        low
        high
        relativeUplift
        revenuePerContactTreated
        revenuePerContactHoldout
        revenueUplift
        revenueLow
        revenueHigh
      }
      series {
        date
        conversions
        revenue
      }
    }
  }
`);

export const ExperimentResultsQuery = graphql(`
  query ExperimentResultsPanel($campaignId: ID!, $stepKey: String!, $currency: String) {
    experimentResults(campaignId: $campaignId, stepKey: $stepKey, currency: $currency) {
      stepKey
      currency
      rule {
        minRecipients
        probability
      }
      leader
      decision {
        winner
        source
        decidedAt
      }
      variants {
        name
        weight
        recipients
        sent
        conversions
        revenue
        conversionRate
        probabilityBest
      }
    }
  }
`);

export const CustomerContactQuery = graphql(`
  query CustomerContact($customerId: ID!) {
    customerContact(customerId: $customerId) {
      id
    }
  }
`);

export const AutomationRevenueQuery = graphql(`
  query AutomationRevenueWidget($days: Int) {
    automationRevenue(days: $days) {
      from
      to
      totals {
        currency
        amount
        conversions
      }
      series {
        date
        currency
        amount
      }
      campaigns {
        campaign {
          id
          name
        }
        totals {
          currency
          amount
        }
      }
    }
  }
`);

export const OrderAttributionQuery = graphql(`
  query OrderAttributionWidget($orderId: ID!) {
    orderAttribution(orderId: $orderId) {
      orderId
      campaign {
        id
        name
      }
      stepKey
      stepName
      stepType
      touch
      touchedAt
      occurredAt
      revenue
      currency
    }
  }
`);

export const CampaignCreatedQuery = graphql(`
  query CampaignCreated($id: ID!) {
    campaign(id: $id) {
      id
      createdAt
    }
  }
`);
