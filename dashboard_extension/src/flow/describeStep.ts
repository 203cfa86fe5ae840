// A step's configuration in a few words, for the flow graph and the report.
import type { IntlShape } from "react-intl";

import { describeDuration } from "../components/describe";

type Json = Record<string, unknown>;

export function describeStep(intl: IntlShape, type: string, config: unknown): string {
  const value = (config ?? {}) as Json;
  switch (type) {
    case "SEND": {
      const channel = value.channel && value.channel !== "email" ? ` · ${String(value.channel).toUpperCase()}` : "";
      return `${String(value.template ?? "")}${channel}`;
    }
    case "WAIT":
      if (value.until_time)
        return intl.formatMessage({ id: "describe.waitUntil", defaultMessage: "Until {time} local time" }, { time: String(value.until_time) });
      if (value.until_attribute)
        return intl.formatMessage(
          { id: "describe.waitAttribute", defaultMessage: "Until the date in “{attribute}”" },
          { attribute: String(value.until_attribute) },
        );
      return describeDuration(intl, value);
    case "BRANCH":
      return intl.formatMessage({ id: "describe.branch", defaultMessage: "Does the condition hold?" });
    case "SPLIT": {
      const variants = Array.isArray(value.variants) ? (value.variants as Json[]) : [];
      return variants.map((variant) => String(variant.name ?? "")).join(" / ");
    }
    case "VOUCHER": {
      const kind = String(value.discount_type ?? "percentage");
      const amount = String(value.discount_value ?? "");
      const discount =
        kind === "free_shipping"
          ? intl.formatMessage({ id: "describe.freeShipping", defaultMessage: "Free shipping" })
          : kind === "fixed"
            ? intl.formatMessage({ id: "describe.fixedOff", defaultMessage: "{amount} off" }, { amount })
            : intl.formatMessage({ id: "describe.percentOff", defaultMessage: "{amount} % off" }, { amount });
      return value.valid_days
        ? intl.formatMessage(
            { id: "describe.validFor", defaultMessage: "{discount}, valid {days, plural, one {# day} other {# days}}" },
            { discount, days: Number(value.valid_days) },
          )
        : discount;
    }
    case "UPDATE_CONTACT": {
      const parts: string[] = [];
      for (const tag of (value.add_tags as string[] | undefined) ?? []) parts.push(`+${tag}`);
      for (const tag of (value.remove_tags as string[] | undefined) ?? []) parts.push(`−${tag}`);
      if (value.score_delta)
        parts.push(intl.formatMessage({ id: "describe.score.delta", defaultMessage: "score {delta, number, ::+!}" }, { delta: Number(value.score_delta) }));
      return parts.join(" · ");
    }
    case "WEBHOOK":
      try {
        return new URL(String(value.url)).host;
      } catch {
        return "";
      }
    case "MOVE":
      return intl.formatMessage({ id: "describe.move", defaultMessage: "To campaign #{campaign}" }, { campaign: Number(value.campaign) });
    default:
      return "";
  }
}
