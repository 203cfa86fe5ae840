// Numbers, money, percentages and dates in the admin's locale (Intl, through react-intl).
import { useIntl } from "react-intl";

export function useFormat() {
  const intl = useIntl();
  return {
    number: (value: number) => intl.formatNumber(value),
    money: (amount: string | number, currency: string) =>
      intl.formatNumber(Number(amount), { style: "currency", currency, maximumFractionDigits: 2 }),
    percent: (value: number | null | undefined, digits = 1) =>
      value == null
        ? "–"
        : intl.formatNumber(value, { style: "percent", maximumFractionDigits: digits }),
    date: (value: string) => intl.formatDate(value, { dateStyle: "medium" }),
    day: (value: string) => intl.formatDate(`${value}T00:00:00Z`, { day: "numeric", month: "short", timeZone: "UTC" }),
    dateTime: (value: string) => intl.formatDate(value, { dateStyle: "medium", timeStyle: "short" }),
  };
}

/** ``part / whole`` as a share; null when there is no whole. */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
