// Tags to suggest while a tag is typed: the ones in use whose name contains the text, most
// used first (asked ~300 ms after the last key), then interest groups not among them.
import { keepPreviousData } from "@tanstack/react-query";

import { useApiQuery } from "../api/hooks";
import { ContactTagsQuery } from "../api/segmentOperations";
import { useSettled } from "./useRulePreview";

export const TAG_SUGGESTIONS = 20;

export interface TagSuggestion {
  name: string;
  /** Contacts carrying it; null when not counted (an interest group from the definitions). */
  contacts: number | null;
}

export function useTagSuggestions(typed: string, extra: string[] = []): TagSuggestion[] {
  const search = useSettled(typed.trim());
  const found = useApiQuery(
    ContactTagsQuery,
    { search, first: TAG_SUGGESTIONS },
    { placeholderData: keepPreviousData, staleTime: 60_000, retry: false },
  );
  const tags: TagSuggestion[] = (found.data?.contactTags ?? []).map((tag) => ({ name: tag.name, contacts: tag.contacts }));
  const known = new Set(tags.map((tag) => tag.name));
  const needle = search.toLowerCase();
  for (const name of extra) {
    if (!known.has(name) && name.toLowerCase().includes(needle)) tags.push({ name, contacts: null });
  }
  return tags;
}
