// The operations of the contact pages (list, profile, edit, export, erase), typed from
// ../graphql/schema.graphql by graphql-codegen.
import { graphql } from "../gql";

export const ContactListQuery = graphql(`
  query ContactList(
    $filter: ContactFilterInput
    $sortBy: ContactSortingInput
    $first: Int
    $after: String
    $last: Int
    $before: String
  ) {
    contacts(filter: $filter, sortBy: $sortBy, first: $first, after: $after, last: $last, before: $before) {
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
          email
          firstName
          lastName
          lifecycleStage
          leadScore
          ordersCount
          revenue {
            currency
            totalGross
          }
          lastSeenAt
          erasedAt
        }
      }
    }
  }
`);

export const ContactsExportMutation = graphql(`
  mutation ContactsExport($filter: ContactFilterInput) {
    contactsExport(filter: $filter) {
      errors {
        field
        code
        message
      }
      csv
      count
    }
  }
`);

export const ContactFieldsFragment = graphql(`
  fragment ContactFields on Contact {
    id
    email
    firstName
    lastName
    languageCode
    country
    timezone
    phone
    birthday
    attributes
    tags
    leadScore
    lifecycleStage
    ordersCount
    revenue {
      currency
      totalGross
      ordersCount
    }
    firstOrderAt
    lastOrderAt
    lastSeenAt
    createdAt
    updatedAt
    erasedAt
    consents {
      channel
      topic
      status
      requestedAt
      confirmedAt
      updatedAt
    }
  }
`);

export const ContactPageQuery = graphql(`
  query ContactPage($id: ID!, $after: String) {
    contact(id: $id) {
      ...ContactFields
      campaignRuns(first: 20) {
        campaignId
        campaignName
        status
        stepKey
        nextRunAt
        startedAt
        finishedAt
        exitReason
      }
      timeline(first: 25, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            occurredAt
            kind
            title
            detail
          }
        }
      }
    }
  }
`);

export const ContactUpdateMutation = graphql(`
  mutation ContactUpdate($id: ID!, $input: ContactUpdateInput!, $expectedUpdatedAt: DateTime) {
    contactUpdate(id: $id, input: $input, expectedUpdatedAt: $expectedUpdatedAt) {
      errors {
        field
        code
        message
      }
      contact {
        ...ContactFields
      }
    }
  }
`);

export const ContactEraseMutation = graphql(`
  mutation ContactErase($id: ID!) {
    contactErase(id: $id) {
      errors {
        field
        code
        message
      }
      contact {
        id
        erasedAt
      }
    }
  }
`);

export const ContactPersonalDataExportMutation = graphql(`
  mutation ContactPersonalDataExport($id: ID!) {
    contactPersonalDataExport(id: $id) {
      errors {
        field
        code
        message
      }
      url
      expiresAt
    }
  }
`);
