// The languages the app ships, and how the admin's language is chosen.

export const LOCALES = ["en", "de", "pl"] as const;
export type Locale = (typeof LOCALES)[number];

/** The supported language closest to a BCP 47 tag ("de-AT" → "de"), else English. */
export function supportedLocale(tag: string | null | undefined): Locale {
  const language = (tag ?? "").toLowerCase().split(/[-_]/)[0];
  return (LOCALES as readonly string[]).includes(language) ? (language as Locale) : "en";
}

/** Standalone host: ?lang= wins, then the last choice, then the browser's languages. */
export function initialStandaloneLocale(): Locale {
  const asked = new URLSearchParams(window.location.search).get("lang");
  if (asked) return supportedLocale(asked);
  const stored = window.localStorage.getItem("ma-locale");
  if (stored) return supportedLocale(stored);
  const preferred = navigator.languages?.find((tag) => supportedLocale(tag) !== "en" || tag.startsWith("en"));
  return supportedLocale(preferred ?? navigator.language);
}

export async function loadMessages(locale: Locale): Promise<Record<string, string>> {
  switch (locale) {
    case "de":
      return (await import("./de.json")).default;
    case "pl":
      return (await import("./pl.json")).default;
    default:
      // English is the source language: the messages' defaults.
      return {};
  }
}
