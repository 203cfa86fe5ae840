// The live count (and a few matching contacts) of rules being edited. Asked ~300 ms after the
// last change; a newer question cancels the one in flight, and an answer always belongs to
// its own rules (the cache key), so an old answer can never show for newer rules.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";

import { operationName } from "../api/hooks";
import { SegmentCountPreviewQuery, SegmentSamplePreviewQuery } from "../api/segmentOperations";
import { useSession } from "../auth/Session";

export const PREVIEW_DELAY_MS = 300;
export const SAMPLE_SIZE = 5;

/** ``key`` once it has stayed the same for ``delay`` ms (at once the first time). */
export function useSettled(key: string, delay = PREVIEW_DELAY_MS): string {
  const [settled, setSettled] = useState(key);
  useEffect(() => {
    if (key === settled) return;
    const timer = window.setTimeout(() => setSettled(key), delay);
    return () => window.clearTimeout(timer);
  }, [key, settled, delay]);
  return settled;
}

export function useRulePreview(rules: unknown) {
  const { client } = useSession();
  const key = JSON.stringify(rules ?? {});
  const settled = useSettled(key);
  const parsed = useMemo(() => JSON.parse(settled) as unknown, [settled]);

  const count = useQuery({
    queryKey: [operationName(SegmentCountPreviewQuery), { rules: parsed }],
    queryFn: ({ signal }) => client.request(SegmentCountPreviewQuery, { rules: parsed }, { signal }),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const sample = useQuery({
    queryKey: [operationName(SegmentSamplePreviewQuery), { rules: parsed, first: SAMPLE_SIZE }],
    queryFn: ({ signal }) => client.request(SegmentSamplePreviewQuery, { rules: parsed, first: SAMPLE_SIZE }, { signal }),
    placeholderData: keepPreviousData,
    retry: false,
  });
  return {
    count,
    sample,
    /** The rules changed since the count shown was asked for. */
    outdated: key !== settled || count.isPlaceholderData || count.isFetching,
  };
}
