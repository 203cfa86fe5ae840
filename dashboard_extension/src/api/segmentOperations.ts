// The operations of the audience pages (segments, their rule builder, interest groups), typed
// from ../graphql/schema.graphql by graphql-codegen.
import { graphql } from "../gql";

export const SegmentFieldsFragment = graphql(`
  fragment SegmentFields on Segment {
    id
    name
    description
    rules
    memberCount
    countedAt
    createdAt
    updatedAt
  }
`);

export const SegmentListQuery = graphql(`
  query SegmentList($filter: SegmentFilterInput, $first: Int, $after: String, $last: Int, $before: String) {
    segments(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
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
          description
          memberCount
          countedAt
          updatedAt
        }
      }
    }
  }
`);

export const SegmentQuery = graphql(`
  query Segment($id: ID!) {
    segment(id: $id) {
      ...SegmentFields
    }
  }
`);

/** What the rule builder offers: the language's kinds and fields, and what rules may name. */
export const RuleBuilderDefinitionsQuery = graphql(`
  query RuleBuilderDefinitions {
    ruleKinds {
      key
      label
      description
      schema
      scope
    }
    ruleFields {
      name
      valueType
      operators
    }
    segments(first: 100) {
      edges {
        node {
          id
          name
        }
      }
    }
    newsletterTopics(first: 100) {
      edges {
        node {
          id
          slug
          names
        }
      }
    }
    interestGroups(first: 100) {
      interest
      tag
      size
    }
    ruleEventTypes {
      type
      label
      group
    }
  }
`);

/** Tags in use whose name contains ``search``, most used first: the tag rule's suggestions. */
export const ContactTagsQuery = graphql(`
  query ContactTags($search: String, $first: Int) {
    contactTags(search: $search, first: $first) {
      name
      contacts
    }
  }
`);

export const SegmentCountPreviewQuery = graphql(`
  query SegmentCountPreview($rules: JSON!) {
    segmentCountPreview(rules: $rules)
  }
`);

export const SegmentSamplePreviewQuery = graphql(`
  query SegmentSamplePreview($rules: JSON!, $first: Int) {
    segmentSamplePreview(rules: $rules, first: $first) {
      id
      email
      firstName
      lastName
    }
  }
`);

export const SegmentPresetsQuery = graphql(`
  query SegmentPresets {
    segmentPresets {
      slug
      title
      description
      rules
    }
  }
`);

export const InterestGroupsQuery = graphql(`
  query InterestGroups($first: Int) {
    interestGroups(first: $first) {
      interest
      tag
      size
    }
  }
`);

/** One click: the segment of the group's tag (reused if there is one) and a draft broadcast to it. */
export const CampaignCreateForInterestGroupMutation = graphql(`
  mutation CampaignCreateForInterestGroup($input: CampaignCreateForInterestGroupInput!) {
    campaignCreateForInterestGroup(input: $input) {
      errors {
        field
        code
        message
      }
      campaign {
        id
      }
      segment {
        id
      }
    }
  }
`);

export const SegmentCreateMutation = graphql(`
  mutation SegmentCreate($input: SegmentCreateInput!) {
    segmentCreate(input: $input) {
      errors {
        field
        code
        message
      }
      segment {
        ...SegmentFields
      }
    }
  }
`);

export const SegmentUpdateMutation = graphql(`
  mutation SegmentUpdate($id: ID!, $input: SegmentUpdateInput!, $expectedUpdatedAt: DateTime) {
    segmentUpdate(id: $id, input: $input, expectedUpdatedAt: $expectedUpdatedAt) {
      errors {
        field
        code
        message
      }
      segment {
        ...SegmentFields
      }
    }
  }
`);

export const SegmentDeleteMutation = graphql(`
  mutation SegmentDelete($id: ID!) {
    segmentDelete(id: $id) {
      errors {
        field
        code
        message
      }
      segment {
        id
      }
    }
  }
`);

export const SegmentRefreshMutation = graphql(`
  mutation SegmentRefresh($id: ID!) {
    segmentRefresh(id: $id) {
      errors {
        field
        code
        message
      }
      segment {
        id
        memberCount
        countedAt
        updatedAt
      }
    }
  }
`);
