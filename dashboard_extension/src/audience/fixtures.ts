// The rule language as the API describes it (ruleKinds, ruleFields), for the tests.
import type { RuleBuilderDefinitionsQuery } from "../gql/graphql";
import type { BuilderContext } from "./kindEditors";

export const definitions: RuleBuilderDefinitionsQuery = {
  ruleKinds: [
    { key: "all", label: "All of", description: "", scope: "CONTACT", schema: { type: "array", minItems: 1 } },
    { key: "any", label: "Any of", description: "", scope: "CONTACT", schema: { type: "array", minItems: 1 } },
    { key: "not", label: "Not", description: "", scope: "CONTACT", schema: {} },
    {
      key: "field",
      label: "Field",
      description: "",
      scope: "CONTACT",
      schema: { type: "object", properties: { field: { type: "string" }, op: { type: "string" }, value: {} }, required: ["field"] },
    },
    { key: "tag", label: "Tag", description: "", scope: "CONTACT", schema: { type: "string", minLength: 1 } },
    {
      key: "consent",
      label: "Consent",
      description: "",
      scope: "CONTACT",
      schema: {
        type: "object",
        properties: {
          channel: { type: "string", enum: ["email", "sms", "push"] },
          topic: { type: "string" },
          status: { type: "string", enum: ["unsubscribed", "pending", "subscribed"] },
        },
      },
    },
    {
      key: "event",
      label: "Event",
      description: "",
      scope: "CONTACT",
      schema: {
        type: "object",
        properties: { type: { type: "string" }, where: { type: "object" }, min_count: { type: "integer" }, within_days: { type: "integer" } },
        required: ["type"],
      },
    },
    {
      key: "rfm",
      label: "Recency, frequency, monetary",
      description: "",
      scope: "CONTACT",
      schema: {
        type: "object",
        properties: {
          recency_days_min: { type: "integer" },
          recency_days_max: { type: "integer" },
          frequency_min: { type: "integer" },
          frequency_max: { type: "integer" },
          monetary_min: { type: "string" },
          monetary_max: { type: "string" },
          currency: { type: "string" },
        },
      },
    },
    { key: "message", label: "Message of this run", description: "", scope: "RUN", schema: { type: "object" } },
  ],
  ruleFields: [
    { name: "orders_count", valueType: "int", operators: ["eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in"] },
    { name: "email", valueType: "text", operators: ["eq", "ne", "in", "not_in", "contains", "exists"] },
    { name: "last_order_at", valueType: "datetime", operators: ["gt", "gte", "lt", "lte", "within_days", "older_than_days", "exists"] },
  ],
  segments: { edges: [] },
  newsletterTopics: { edges: [] },
  interestGroups: [],
  ruleEventTypes: [
    { type: "order.created", label: "Order created", group: "shop" },
    { type: "product.viewed", label: "Product viewed", group: "storefront" },
    { type: "notify.order_confirmation", label: "Saleor notification: order confirmation", group: "notification" },
  ],
};

export const context: BuilderContext = {
  kinds: definitions.ruleKinds.filter((kind) => kind.scope === "CONTACT"),
  fields: definitions.ruleFields,
  segments: [],
  topics: [],
  tags: [],
  eventTypes: definitions.ruleEventTypes,
};
