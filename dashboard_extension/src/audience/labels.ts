// Names of the rule language's kinds, contact fields and operators in the admin's language.
// The API serves the kinds and fields (ruleKinds, ruleFields); one it adds later shows its own
// label until it is named here.
import { defineMessages, type MessageDescriptor } from "react-intl";

import type { LifecycleStageEnum } from "../gql/graphql";

export const kindLabels = defineMessages({
  field: { id: "audience.kind.field", defaultMessage: "Contact field" },
  attribute: { id: "audience.kind.attribute", defaultMessage: "Custom attribute" },
  tag: { id: "audience.kind.tag", defaultMessage: "Tag" },
  consent: { id: "audience.kind.consent", defaultMessage: "Consent" },
  event: { id: "audience.kind.event", defaultMessage: "Event" },
  rfm: { id: "audience.kind.rfm", defaultMessage: "Recency, frequency, monetary" },
  score: { id: "audience.kind.score", defaultMessage: "Lead score" },
  segment: { id: "audience.kind.segment", defaultMessage: "Member of segment" },
});

export const fieldLabels = defineMessages({
  email: { id: "audience.field.email", defaultMessage: "Email" },
  first_name: { id: "audience.field.firstName", defaultMessage: "First name" },
  last_name: { id: "audience.field.lastName", defaultMessage: "Last name" },
  language_code: { id: "audience.field.languageCode", defaultMessage: "Language" },
  country: { id: "audience.field.country", defaultMessage: "Country" },
  timezone: { id: "audience.field.timezone", defaultMessage: "Time zone" },
  phone: { id: "audience.field.phone", defaultMessage: "Phone" },
  saleor_user_id: { id: "audience.field.saleorUserId", defaultMessage: "Saleor customer id" },
  lifecycle_stage: { id: "audience.field.lifecycleStage", defaultMessage: "Lifecycle stage" },
  orders_count: { id: "audience.field.ordersCount", defaultMessage: "Number of orders" },
  lead_score: { id: "audience.field.leadScore", defaultMessage: "Lead score (field)" },
  birthday: { id: "audience.field.birthday", defaultMessage: "Birthday" },
  first_order_at: { id: "audience.field.firstOrderAt", defaultMessage: "First order" },
  last_order_at: { id: "audience.field.lastOrderAt", defaultMessage: "Last order" },
  last_seen_at: { id: "audience.field.lastSeenAt", defaultMessage: "Last seen" },
  created_at: { id: "audience.field.createdAt", defaultMessage: "Added" },
});

export const operatorLabels = defineMessages({
  eq: { id: "audience.op.eq", defaultMessage: "is" },
  ne: { id: "audience.op.ne", defaultMessage: "is not" },
  gt: { id: "audience.op.gt", defaultMessage: "greater than" },
  gte: { id: "audience.op.gte", defaultMessage: "at least" },
  lt: { id: "audience.op.lt", defaultMessage: "less than" },
  lte: { id: "audience.op.lte", defaultMessage: "at most" },
  in: { id: "audience.op.in", defaultMessage: "is one of" },
  not_in: { id: "audience.op.notIn", defaultMessage: "is none of" },
  contains: { id: "audience.op.contains", defaultMessage: "contains" },
  exists: { id: "audience.op.exists", defaultMessage: "is set" },
  not_exists: { id: "audience.op.notExists", defaultMessage: "is not set" },
  within_days: { id: "audience.op.withinDays", defaultMessage: "within the last … days" },
  older_than_days: { id: "audience.op.olderThanDays", defaultMessage: "more than … days ago" },
});

/** Comparisons of dates read as time, not size. */
export const dateOperatorLabels: Record<string, MessageDescriptor> = {
  ...operatorLabels,
  ...defineMessages({
    eq: { id: "audience.op.date.eq", defaultMessage: "on" },
    gt: { id: "audience.op.date.gt", defaultMessage: "after" },
    gte: { id: "audience.op.date.gte", defaultMessage: "on or after" },
    lt: { id: "audience.op.date.lt", defaultMessage: "before" },
    lte: { id: "audience.op.date.lte", defaultMessage: "on or before" },
  }),
};

export const propertyLabels = defineMessages({
  channel: { id: "audience.prop.channel", defaultMessage: "Channel" },
  topic: { id: "audience.prop.topic", defaultMessage: "Newsletter topic" },
  status: { id: "audience.prop.status", defaultMessage: "Status" },
  type: { id: "audience.prop.eventType", defaultMessage: "Event type" },
  min_count: { id: "audience.prop.minCount", defaultMessage: "At least (times)" },
  within_days: { id: "audience.prop.withinDays", defaultMessage: "Within the last (days)" },
  product_id: { id: "audience.prop.productId", defaultMessage: "Product ids" },
  category_id: { id: "audience.prop.categoryId", defaultMessage: "Category ids" },
  variant_id: { id: "audience.prop.variantId", defaultMessage: "Variant ids" },
  where: { id: "audience.prop.where", defaultMessage: "Payload filter (JSON)" },
  recency_days_min: { id: "audience.prop.recencyMin", defaultMessage: "Last order at least (days ago)" },
  recency_days_max: { id: "audience.prop.recencyMax", defaultMessage: "Last order at most (days ago)" },
  frequency_min: { id: "audience.prop.frequencyMin", defaultMessage: "Orders at least" },
  frequency_max: { id: "audience.prop.frequencyMax", defaultMessage: "Orders at most" },
  monetary_min: { id: "audience.prop.monetaryMin", defaultMessage: "Spent at least" },
  monetary_max: { id: "audience.prop.monetaryMax", defaultMessage: "Spent at most" },
  currency: { id: "audience.prop.currency", defaultMessage: "Currency (e.g. EUR)" },
  key: { id: "audience.prop.attributeKey", defaultMessage: "Attribute" },
});

export const presetLabels: Record<string, { title: MessageDescriptor; description: MessageDescriptor }> = {
  champions: defineMessages({
    title: { id: "audience.preset.champions", defaultMessage: "Champions" },
    description: { id: "audience.preset.champions.description", defaultMessage: "Five orders or more, the last within 30 days." },
  }),
  loyal: defineMessages({
    title: { id: "audience.preset.loyal", defaultMessage: "Loyal customers" },
    description: { id: "audience.preset.loyal.description", defaultMessage: "Three orders or more, the last within 90 days." },
  }),
  at_risk: defineMessages({
    title: { id: "audience.preset.atRisk", defaultMessage: "At risk" },
    description: { id: "audience.preset.atRisk.description", defaultMessage: "Two orders or more, the last 90 to 365 days ago." },
  }),
  hibernating: defineMessages({
    title: { id: "audience.preset.hibernating", defaultMessage: "Hibernating" },
    description: { id: "audience.preset.hibernating.description", defaultMessage: "One order at most, none for 180 days." },
  }),
  new_customers: defineMessages({
    title: { id: "audience.preset.newCustomers", defaultMessage: "New customers" },
    description: { id: "audience.preset.newCustomers.description", defaultMessage: "A first and only order within the last 30 days." },
  }),
};

/** Lifecycle stages as rules spell them (the API's enum, lower case). */
export const LIFECYCLE_STAGES: Lowercase<LifecycleStageEnum>[] = [
  "subscriber",
  "lead",
  "customer",
  "repeat_customer",
  "lapsed",
  "erased",
];
