// Names of the contact pages' enums in the admin's language (lifecycle stages and consent
// channels are in ../i18n/labels.ts, shared with the campaign pages).
import { defineMessages } from "react-intl";

export const runStatusLabels = defineMessages({
  ACTIVE: { id: "contacts.run.active", defaultMessage: "Running" },
  PAUSED: { id: "contacts.run.paused", defaultMessage: "Paused" },
  COMPLETED: { id: "contacts.run.completed", defaultMessage: "Completed" },
  GOAL_REACHED: { id: "contacts.run.goalReached", defaultMessage: "Goal reached" },
  EXITED: { id: "contacts.run.exited", defaultMessage: "Exited" },
  FAILED: { id: "contacts.run.failed", defaultMessage: "Failed" },
});

export const timelineKindLabels = defineMessages({
  EVENT: { id: "contacts.timeline.kind.event", defaultMessage: "Event" },
  MESSAGE: { id: "contacts.timeline.kind.message", defaultMessage: "Message" },
  CONSENT: { id: "contacts.timeline.kind.consent", defaultMessage: "Consent change" },
});

export const timelineFilterLabels = defineMessages({
  ALL: { id: "contacts.timeline.filter.all", defaultMessage: "Everything" },
  EVENT: { id: "contacts.timeline.filter.events", defaultMessage: "Events" },
  MESSAGE: { id: "contacts.timeline.filter.messages", defaultMessage: "Messages" },
  CONSENT: { id: "contacts.timeline.filter.consents", defaultMessage: "Consent changes" },
});
