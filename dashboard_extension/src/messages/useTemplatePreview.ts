// The server's rendering of the source being edited, for a chosen contact and language. Asked
// ~400 ms after the last change; a newer question cancels the one in flight, and an answer
// always belongs to its own source (the cache key), so an old answer never shows for newer text.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";

import { operationName } from "../api/hooks";
import { TemplatePreviewQuery } from "../api/templateOperations";
import { useSettled } from "../audience/useRulePreview";
import { useSession } from "../auth/Session";

export const TEMPLATE_PREVIEW_DELAY_MS = 400;

export interface PreviewRequest {
  key: string;
  language: string;
  source: string;
  contactId: string | null;
}

export function useTemplatePreview(request: PreviewRequest) {
  const { client } = useSession();
  const wanted = JSON.stringify(request);
  const settled = useSettled(wanted, TEMPLATE_PREVIEW_DELAY_MS);
  const variables = useMemo(() => {
    const parsed = JSON.parse(settled) as PreviewRequest;
    return { key: parsed.key, language: parsed.language, source: parsed.source, contactId: parsed.contactId ?? undefined };
  }, [settled]);
  const preview = useQuery({
    queryKey: [operationName(TemplatePreviewQuery), variables],
    queryFn: ({ signal }) => client.request(TemplatePreviewQuery, variables, { signal }),
    placeholderData: keepPreviousData,
    // An empty source is asked too: the server's "Give the template source." shows at it.
    retry: false,
  });
  return {
    preview,
    /** The source or contact changed since the preview shown was asked for. */
    outdated: wanted !== settled || preview.isPlaceholderData || preview.isFetching,
  };
}
