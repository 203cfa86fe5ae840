// Names of channels, kinds and languages in the admin's language.
import { defineMessages, type IntlShape } from "react-intl";

import type { MessageChannelEnum, TemplateKindEnum } from "../gql/graphql";

export const channelLabels = defineMessages<MessageChannelEnum>({
  EMAIL: { id: "messages.channel.email", defaultMessage: "Email" },
  SMS: { id: "messages.channel.sms", defaultMessage: "SMS" },
  PUSH: { id: "messages.channel.push", defaultMessage: "Web push" },
});

export const kindLabels = defineMessages<TemplateKindEnum>({
  TRANSACTIONAL: { id: "messages.kind.transactional", defaultMessage: "Transactional" },
  MARKETING: { id: "messages.kind.marketing", defaultMessage: "Marketing" },
});

export const CHANNELS: MessageChannelEnum[] = ["EMAIL", "SMS", "PUSH"];
export const KINDS: TemplateKindEnum[] = ["TRANSACTIONAL", "MARKETING"];

/** "German" for "de", in the admin's language; the code itself when the browser has no name. */
export function languageName(intl: IntlShape, code: string): string {
  try {
    return new Intl.DisplayNames([intl.locale], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** English first (the fallback of every template), then the others by code. */
export function byLanguage(a: string, b: string): number {
  if (a === b) return 0;
  if (a === "en") return -1;
  if (b === "en") return 1;
  return a.localeCompare(b);
}
