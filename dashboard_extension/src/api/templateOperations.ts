// The operations of the message pages (template list, editor, history, preview, test send),
// typed from ../graphql/schema.graphql by graphql-codegen.
import { graphql } from "../gql";

export const TemplateSummariesQuery = graphql(`
  query TemplateSummaries($filter: TemplateSummaryFilterInput) {
    templateSummaries(filter: $filter) {
      key
      language
      channels
      kind
      shipped
      activeVersion
      versionCount
      updatedAt
    }
  }
`);

export const TemplateVersionFieldsFragment = graphql(`
  fragment TemplateVersionFields on Template {
    id
    key
    language
    version
    source
    isActive
    createdAt
    revertedFrom
  }
`);

/** Every stored version of one key and language, newest first, and what the list knows of it. */
export const TemplateHistoryQuery = graphql(`
  query TemplateHistory($key: String!, $language: String!) {
    templates(filter: { key: $key, language: $language }, first: 100) {
      totalCount
      edges {
        node {
          ...TemplateVersionFields
        }
      }
    }
    templateSummaries(filter: { search: $key }) {
      key
      language
      channels
      kind
      shipped
    }
  }
`);

/** The source a send uses now (the newest stored version or the shipped default). */
export const TemplateInUseQuery = graphql(`
  query TemplateInUse($key: String!, $language: String!) {
    templateInUse(key: $key, language: $language) {
      source
      version
      language
      shippedSource
    }
  }
`);

export const TemplatePreviewQuery = graphql(`
  query TemplatePreview($key: String!, $language: String!, $source: String, $contactId: ID) {
    templatePreview(key: $key, language: $language, source: $source, contactId: $contactId) {
      subject
      text
      html
    }
  }
`);

export const TemplateContactSearchQuery = graphql(`
  query TemplateContactSearch($search: String) {
    contacts(filter: { search: $search }, first: 8) {
      edges {
        node {
          id
          email
          firstName
          lastName
          languageCode
        }
      }
    }
  }
`);

export const TemplateCreateMutation = graphql(`
  mutation TemplateCreate($input: TemplateCreateInput!, $expectedVersion: Int) {
    templateCreate(input: $input, expectedVersion: $expectedVersion) {
      errors {
        field
        code
        message
      }
      template {
        ...TemplateVersionFields
      }
    }
  }
`);

export const TemplateUpdateMutation = graphql(`
  mutation TemplateUpdate($id: ID!, $source: String!, $expectedVersion: Int) {
    templateUpdate(id: $id, source: $source, expectedVersion: $expectedVersion) {
      errors {
        field
        code
        message
      }
      template {
        ...TemplateVersionFields
      }
    }
  }
`);

export const TemplateRevertMutation = graphql(`
  mutation TemplateRevert($id: ID!, $expectedVersion: Int) {
    templateRevert(id: $id, expectedVersion: $expectedVersion) {
      errors {
        field
        code
        message
      }
      template {
        ...TemplateVersionFields
      }
    }
  }
`);

export const TemplateSendTestMutation = graphql(`
  mutation TemplateSendTest($key: String!, $language: String!, $email: String!, $source: String, $contactId: ID) {
    templateSendTest(key: $key, language: $language, email: $email, source: $source, contactId: $contactId) {
      errors {
        field
        code
        message
      }
    }
  }
`);
