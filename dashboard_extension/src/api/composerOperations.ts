// The operations of the content block composer (a send step's email previewed and tested,
// the catalogue lookup of product picks), typed from ../graphql/schema.graphql by graphql-codegen.
import { graphql } from "../gql";

export const CampaignStepPreviewQuery = graphql(`
  query CampaignStepPreview($campaignId: ID!, $key: String!, $contactId: ID!) {
    campaignStepPreview(campaignId: $campaignId, key: $key, contactId: $contactId) {
      subject
      text
      html
      fromAddress
      recipient
    }
  }
`);

export const CampaignStepSendTestMutation = graphql(`
  mutation CampaignStepSendTest($campaignId: ID!, $key: String!, $contactId: ID!, $email: String!) {
    campaignStepSendTest(campaignId: $campaignId, key: $key, contactId: $contactId, email: $email) {
      recipient
      errors {
        field
        code
        message
      }
    }
  }
`);

export const CatalogueSearchQuery = graphql(`
  query CatalogueSearch($kind: CatalogueLookupKindEnum!, $search: String!) {
    catalogueSearch(kind: $kind, search: $search, first: 10) {
      value
      label
    }
  }
`);
