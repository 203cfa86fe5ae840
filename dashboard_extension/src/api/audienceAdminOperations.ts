// The operations of the newsletter topic and score rule pages, typed from
// ../graphql/schema.graphql by graphql-codegen.
import { graphql } from "../gql";

export const NewsletterTopicFieldsFragment = graphql(`
  fragment NewsletterTopicFields on NewsletterTopic {
    id
    slug
    names
    descriptions
    position
  }
`);

export const NewsletterTopicListQuery = graphql(`
  query NewsletterTopicList($first: Int) {
    newsletterTopics(first: $first) {
      totalCount
      edges {
        node {
          ...NewsletterTopicFields
        }
      }
    }
  }
`);

export const NewsletterTopicCreateMutation = graphql(`
  mutation NewsletterTopicCreate($input: NewsletterTopicCreateInput!) {
    newsletterTopicCreate(input: $input) {
      errors {
        field
        code
        message
      }
      newsletterTopic {
        ...NewsletterTopicFields
      }
    }
  }
`);

export const NewsletterTopicUpdateMutation = graphql(`
  mutation NewsletterTopicUpdate($id: ID!, $input: NewsletterTopicUpdateInput!) {
    newsletterTopicUpdate(id: $id, input: $input) {
      errors {
        field
        code
        message
      }
      newsletterTopic {
        ...NewsletterTopicFields
      }
    }
  }
`);

export const NewsletterTopicDeleteMutation = graphql(`
  mutation NewsletterTopicDelete($id: ID!) {
    newsletterTopicDelete(id: $id) {
      errors {
        field
        code
        message
      }
      newsletterTopic {
        id
      }
    }
  }
`);

export const ScoreRuleFieldsFragment = graphql(`
  fragment ScoreRuleFields on ScoreRule {
    id
    name
    eventType
    where
    points
    capPoints
    capDays
    isActive
  }
`);

/** The rules, and the event types the rule builder suggests. */
export const ScoreRuleListQuery = graphql(`
  query ScoreRuleList {
    scoreRules {
      ...ScoreRuleFields
    }
    ruleEventTypes {
      type
      label
      group
    }
  }
`);

export const ScoreRuleCreateMutation = graphql(`
  mutation ScoreRuleCreate($input: ScoreRuleInput!) {
    scoreRuleCreate(input: $input) {
      errors {
        field
        code
        message
      }
      scoreRule {
        ...ScoreRuleFields
      }
    }
  }
`);

export const ScoreRuleUpdateMutation = graphql(`
  mutation ScoreRuleUpdate($id: ID!, $input: ScoreRuleInput!) {
    scoreRuleUpdate(id: $id, input: $input) {
      errors {
        field
        code
        message
      }
      scoreRule {
        ...ScoreRuleFields
      }
    }
  }
`);

export const ScoreRuleDeleteMutation = graphql(`
  mutation ScoreRuleDelete($id: ID!) {
    scoreRuleDelete(id: $id) {
      errors {
        field
        code
        message
      }
      scoreRule {
        id
      }
    }
  }
`);
