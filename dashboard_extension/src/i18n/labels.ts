// Names of the API's enums and registry entries in the admin's language. The API answers in
// English; anything new it adds and the app does not know yet shows the API's own label.
import { defineMessages, type IntlShape, type MessageDescriptor } from "react-intl";

export const statusLabels = defineMessages({
  DRAFT: { id: "status.draft", defaultMessage: "Draft" },
  ACTIVE: { id: "status.active", defaultMessage: "Active" },
  PAUSED: { id: "status.paused", defaultMessage: "Paused" },
  ARCHIVED: { id: "status.archived", defaultMessage: "Archived" },
});

export const kindLabels = defineMessages({
  AUTORESPONDER: { id: "kind.autoresponder", defaultMessage: "Autoresponder" },
  NEWSLETTER: { id: "kind.newsletter", defaultMessage: "Newsletter" },
  TRANSACTIONAL: { id: "kind.transactional", defaultMessage: "Transactional" },
  STANDALONE: { id: "kind.standalone", defaultMessage: "One-off" },
  NURTURING: { id: "kind.nurturing", defaultMessage: "Nurturing" },
});

export const stepTypeLabels = defineMessages({
  SEND: { id: "step.send", defaultMessage: "Send message" },
  WAIT: { id: "step.wait", defaultMessage: "Wait" },
  BRANCH: { id: "step.branch", defaultMessage: "Branch" },
  SPLIT: { id: "step.split", defaultMessage: "A/B split" },
  VOUCHER: { id: "step.voucher", defaultMessage: "Issue voucher" },
  UPDATE_CONTACT: { id: "step.updateContact", defaultMessage: "Update contact" },
  WEBHOOK: { id: "step.webhook", defaultMessage: "Webhook" },
  GOAL: { id: "step.goal", defaultMessage: "Goal reached" },
  EXIT: { id: "step.exit", defaultMessage: "Exit" },
  MOVE: { id: "step.move", defaultMessage: "Move to campaign" },
});

export const stepTypeDescriptions = defineMessages({
  SEND: { id: "step.send.description", defaultMessage: "Send an email, SMS or web push from a template." },
  WAIT: {
    id: "step.wait.description",
    defaultMessage: "Wait a while, until a local time of day, or until a date on the contact.",
  },
  BRANCH: {
    id: "step.branch.description",
    defaultMessage: "Go one way if a condition holds for the contact, another way if not.",
  },
  SPLIT: {
    id: "step.split.description",
    defaultMessage: "Send contacts down weighted variants; optionally pick a winner automatically.",
  },
  VOUCHER: {
    id: "step.voucher.description",
    defaultMessage: "Give the contact a personal single-use code that later messages show.",
  },
  UPDATE_CONTACT: {
    id: "step.updateContact.description",
    defaultMessage: "Add or remove tags, set attributes, change the score, leave topics.",
  },
  WEBHOOK: {
    id: "step.webhook.description",
    defaultMessage: "Send the contact and the run's context to another system (signed POST).",
  },
  GOAL: { id: "step.goal.description", defaultMessage: "End the run as having reached the goal." },
  EXIT: { id: "step.exit.description", defaultMessage: "End the run here." },
  MOVE: {
    id: "step.move.description",
    defaultMessage: "End this run and enrol the contact into another campaign.",
  },
});

export const triggerLabels = defineMessages({
  event: { id: "trigger.event", defaultMessage: "Event" },
  absence: { id: "trigger.absence", defaultMessage: "Absence after event" },
  date: { id: "trigger.date", defaultMessage: "Date" },
  inactivity: { id: "trigger.inactivity", defaultMessage: "Inactivity" },
  replenishment: { id: "trigger.replenishment", defaultMessage: "Replenishment" },
  score: { id: "trigger.score", defaultMessage: "Score reached" },
  broadcast: { id: "trigger.broadcast", defaultMessage: "Broadcast" },
  manual: { id: "trigger.manual", defaultMessage: "Manual enrolment" },
  segment_entry: { id: "trigger.segmentEntry", defaultMessage: "Segment entry" },
  back_in_stock: { id: "trigger.backInStock", defaultMessage: "Back in stock" },
});

export const lifecycleLabels = defineMessages({
  SUBSCRIBER: { id: "lifecycle.subscriber", defaultMessage: "Subscriber" },
  LEAD: { id: "lifecycle.lead", defaultMessage: "Lead" },
  CUSTOMER: { id: "lifecycle.customer", defaultMessage: "Customer" },
  REPEAT_CUSTOMER: { id: "lifecycle.repeatCustomer", defaultMessage: "Repeat customer" },
  LAPSED: { id: "lifecycle.lapsed", defaultMessage: "Lapsed" },
  ERASED: { id: "lifecycle.erased", defaultMessage: "Erased" },
});

export const consentLabels = defineMessages({
  UNSUBSCRIBED: { id: "consent.unsubscribed", defaultMessage: "Unsubscribed" },
  PENDING: { id: "consent.pending", defaultMessage: "Awaiting confirmation" },
  SUBSCRIBED: { id: "consent.subscribed", defaultMessage: "Subscribed" },
  EMAIL: { id: "consent.email", defaultMessage: "Email" },
  SMS: { id: "consent.sms", defaultMessage: "SMS" },
  PUSH: { id: "consent.push", defaultMessage: "Web push" },
});

export const presetLabels: Record<string, { title: MessageDescriptor; description: MessageDescriptor }> = {
  welcome_series: defineMessages({
    title: { id: "preset.welcome.title", defaultMessage: "Welcome series" },
    description: {
      id: "preset.welcome.description",
      defaultMessage: "Three emails after double opt-in; a code if no order yet.",
    },
  }),
  newsletter: defineMessages({
    title: { id: "preset.newsletter.title", defaultMessage: "Newsletter" },
    description: { id: "preset.newsletter.description", defaultMessage: "A broadcast to newsletter subscribers." },
  }),
  order_follow_up: defineMessages({
    title: { id: "preset.orderFollowUp.title", defaultMessage: "Order follow-up" },
    description: {
      id: "preset.orderFollowUp.description",
      defaultMessage: "Delivery forecast, feedback request, cross-sell.",
    },
  }),
  thank_you_voucher: defineMessages({
    title: { id: "preset.thankYou.title", defaultMessage: "Thank-you voucher" },
    description: {
      id: "preset.thankYou.description",
      defaultMessage: "A personal code after every purchase (at most monthly).",
    },
  }),
  abandoned_checkout: defineMessages({
    title: { id: "preset.abandonedCheckout.title", defaultMessage: "Abandoned checkout" },
    description: {
      id: "preset.abandonedCheckout.description",
      defaultMessage: "Three reminders, the last with a personal code.",
    },
  }),
  browse_abandonment: defineMessages({
    title: { id: "preset.browse.title", defaultMessage: "Browse abandonment" },
    description: {
      id: "preset.browse.description",
      defaultMessage: "Viewed products, no order within hours.",
    },
  }),
  search_abandonment: defineMessages({
    title: { id: "preset.search.title", defaultMessage: "Search abandonment" },
    description: {
      id: "preset.search.description",
      defaultMessage: "Searched, saw results, left without viewing.",
    },
  }),
  win_back: defineMessages({
    title: { id: "preset.winBack.title", defaultMessage: "Win-back" },
    description: { id: "preset.winBack.description", defaultMessage: "Customers without an order for N days." },
  }),
  birthday: defineMessages({
    title: { id: "preset.birthday.title", defaultMessage: "Birthday" },
    description: {
      id: "preset.birthday.description",
      defaultMessage: "A greeting with a personal code on the day.",
    },
  }),
  replenishment: defineMessages({
    title: { id: "preset.replenishment.title", defaultMessage: "Replenishment reminder" },
    description: { id: "preset.replenishment.description", defaultMessage: "N days after buying a consumable." },
  }),
  post_purchase_upsell: defineMessages({
    title: { id: "preset.upsell.title", defaultMessage: "Post-purchase upsell" },
    description: {
      id: "preset.upsell.description",
      defaultMessage: "Recommendations a few days after buying.",
    },
  }),
  lead_nurturing: defineMessages({
    title: { id: "preset.leadNurturing.title", defaultMessage: "Lead nurturing" },
    description: {
      id: "preset.leadNurturing.description",
      defaultMessage: "Scores engagement; tags contacts that reach the threshold.",
    },
  }),
  standalone_broadcast: defineMessages({
    title: { id: "preset.broadcast.title", defaultMessage: "One-off broadcast" },
    description: { id: "preset.broadcast.description", defaultMessage: "A single mailing at a set time." },
  }),
  back_in_stock: defineMessages({
    title: { id: "preset.backInStock.title", defaultMessage: "Back in stock" },
    description: {
      id: "preset.backInStock.description",
      defaultMessage: "Tells contacts who asked when a variant returns.",
    },
  }),
};

/** Names of preset parameters and of configuration fields, by their API key. */
export const fieldLabels = defineMessages({
  name: { id: "field.name", defaultMessage: "Name" },
  discount_percent: { id: "field.discountPercent", defaultMessage: "Discount (%)" },
  send_at: { id: "field.sendAt", defaultMessage: "Send at" },
  topic: { id: "field.topic", defaultMessage: "Newsletter topic" },
  template: { id: "field.template", defaultMessage: "Template" },
  feedback_after_days: { id: "field.feedbackAfterDays", defaultMessage: "Ask for feedback after (days)" },
  delay_hours: { id: "field.delayHours", defaultMessage: "First reminder after (hours)" },
  days: { id: "field.days", defaultMessage: "Days" },
  hours: { id: "field.hours", defaultMessage: "Hours" },
  minutes: { id: "field.minutes", defaultMessage: "Minutes" },
  at_time: { id: "field.atTime", defaultMessage: "Local time (HH:MM)" },
  products: { id: "field.products", defaultMessage: "Products (id → days)" },
  categories: { id: "field.categories", defaultMessage: "Categories (id → days)" },
  after_days: { id: "field.afterDays", defaultMessage: "After (days)" },
  threshold: { id: "field.threshold", defaultMessage: "Score threshold" },
  channel: { id: "field.channel", defaultMessage: "Channel" },
  transactional: { id: "field.transactional", defaultMessage: "Transactional (sent without marketing consent)" },
  until_time: { id: "field.untilTime", defaultMessage: "Until local time (HH:MM)" },
  weekdays: { id: "field.weekdays", defaultMessage: "Only on weekdays" },
  until_attribute: { id: "field.untilAttribute", defaultMessage: "Until the date in attribute" },
  offset_days: { id: "field.offsetDays", defaultMessage: "Offset (days)" },
  condition: { id: "field.condition", defaultMessage: "Condition (rule)" },
  then: { id: "field.then", defaultMessage: "If it holds, go to" },
  else: { id: "field.else", defaultMessage: "Otherwise, go to" },
  variants: { id: "field.variants", defaultMessage: "Variants" },
  weight: { id: "field.weight", defaultMessage: "Weight" },
  next: { id: "field.next", defaultMessage: "Then go to" },
  winner: { id: "field.winner", defaultMessage: "Pick a winner automatically" },
  min_recipients: { id: "field.minRecipients", defaultMessage: "After at least (recipients)" },
  probability: { id: "field.probability", defaultMessage: "When P(best) reaches" },
  discount_type: { id: "field.discountType", defaultMessage: "Discount type" },
  discount_value: { id: "field.discountValue", defaultMessage: "Discount value" },
  valid_days: { id: "field.validDays", defaultMessage: "Valid for (days)" },
  add_tags: { id: "field.addTags", defaultMessage: "Add tags" },
  remove_tags: { id: "field.removeTags", defaultMessage: "Remove tags" },
  set_attributes: { id: "field.setAttributes", defaultMessage: "Set attributes" },
  score_delta: { id: "field.scoreDelta", defaultMessage: "Change score by" },
  unsubscribe_topics: { id: "field.unsubscribeTopics", defaultMessage: "Leave topics" },
  url: { id: "field.url", defaultMessage: "URL" },
  payload: { id: "field.payload", defaultMessage: "Extra payload" },
  campaign: { id: "field.campaign", defaultMessage: "Campaign (id)" },
  event: { id: "field.event", defaultMessage: "Event type" },
  where: { id: "field.where", defaultMessage: "Filter (rule)" },
  absent_event: { id: "field.absentEvent", defaultMessage: "Unless followed by event" },
  within: { id: "field.within", defaultMessage: "Within" },
  key_field: { id: "field.keyField", defaultMessage: "Match on field" },
  absent_key_field: { id: "field.absentKeyField", defaultMessage: "…against field" },
  source: { id: "field.source", defaultMessage: "Date source" },
  attribute: { id: "field.attribute", defaultMessage: "Attribute" },
  date: { id: "field.date", defaultMessage: "Date" },
  segment: { id: "field.segment", defaultMessage: "Segment (id)" },
});

/** Why a dry run's contact would not enter (campaigns/dry_run.py's reasons). */
export const dryRunReasons = defineMessages({
  contact_erased: { id: "dryRun.reason.contactErased", defaultMessage: "the contact was erased" },
  not_in_audience: { id: "dryRun.reason.notInAudience", defaultMessage: "the contact is not in the audience" },
  audience_below_minimum: {
    id: "dryRun.reason.audienceBelowMinimum",
    defaultMessage: "the audience is smaller than the campaign's minimum",
  },
  already_enrolled: {
    id: "dryRun.reason.alreadyEnrolled",
    defaultMessage: "the contact has already entered it (see its re-entry rule)",
  },
});

/** A registry label in the admin's language, else what the API called it. */
export function labelOf(
  intl: IntlShape,
  table: Record<string, MessageDescriptor>,
  key: string,
  fallback?: string,
): string {
  const descriptor = table[key];
  if (descriptor) return intl.formatMessage(descriptor);
  return fallback ?? key.replace(/_/g, " ").replace(/^./, (first) => first.toUpperCase());
}
