// One-line summaries of a campaign's trigger, in the admin's language.
import type { IntlShape } from "react-intl";

import { labelOf, triggerLabels } from "../i18n/labels";

type Json = Record<string, unknown>;

function duration(intl: IntlShape, within: Json | undefined): string {
  const parts: string[] = [];
  const days = Number(within?.days ?? 0);
  const hours = Number(within?.hours ?? 0);
  const minutes = Number(within?.minutes ?? 0);
  if (days) parts.push(intl.formatMessage({ id: "duration.days", defaultMessage: "{n, plural, one {# day} other {# days}}" }, { n: days }));
  if (hours) parts.push(intl.formatMessage({ id: "duration.hours", defaultMessage: "{n, plural, one {# hour} other {# hours}}" }, { n: hours }));
  if (minutes) parts.push(intl.formatMessage({ id: "duration.minutes", defaultMessage: "{n, plural, one {# minute} other {# minutes}}" }, { n: minutes }));
  return parts.length ? intl.formatList(parts, { type: "conjunction" }) : intl.formatMessage({ id: "duration.none", defaultMessage: "no time" });
}

export { duration as describeDuration };

export function describeTrigger(intl: IntlShape, trigger: unknown): string {
  const value = (trigger ?? {}) as Json;
  const type = String(value.type ?? "");
  switch (type) {
    case "event":
      return intl.formatMessage({ id: "describe.event", defaultMessage: "When {event} happens" }, { event: String(value.event) });
    case "absence":
      return intl.formatMessage(
        { id: "describe.absence", defaultMessage: "{event} without {absent} within {within}" },
        { event: String(value.event), absent: String(value.absent_event), within: duration(intl, value.within as Json) },
      );
    case "date":
      return value.source === "birthday"
        ? intl.formatMessage({ id: "describe.birthday", defaultMessage: "On the contact's birthday" })
        : value.source === "fixed"
          ? intl.formatMessage({ id: "describe.fixedDate", defaultMessage: "On {date}" }, { date: String(value.date ?? "") })
          : intl.formatMessage({ id: "describe.dateAttribute", defaultMessage: "On a date of the contact" });
    case "inactivity":
      return intl.formatMessage({ id: "describe.inactivity", defaultMessage: "No order for {days} days" }, { days: Number(value.days) });
    case "replenishment":
      return intl.formatMessage({ id: "describe.replenishment", defaultMessage: "{days} days after a purchase" }, { days: Number(value.days) });
    case "score":
      return intl.formatMessage({ id: "describe.score", defaultMessage: "Lead score reaches {threshold}" }, { threshold: Number(value.threshold) });
    case "broadcast":
      return value.send_at
        ? intl.formatMessage(
            { id: "describe.broadcastAt", defaultMessage: "Broadcast on {when}" },
            { when: intl.formatDate(String(value.send_at), { dateStyle: "medium", timeStyle: "short" }) },
          )
        : intl.formatMessage({ id: "describe.broadcast", defaultMessage: "Broadcast, sent when launched" });
    case "manual":
      return intl.formatMessage({ id: "describe.manual", defaultMessage: "Contacts are added by hand" });
    case "segment_entry":
      return intl.formatMessage({ id: "describe.segmentEntry", defaultMessage: "Contact enters segment #{segment}" }, { segment: Number(value.segment) });
    default:
      return labelOf(intl, triggerLabels, type);
  }
}
