// What the list pages share: their state in the URL (so a reload or a shared link shows the
// same page) and the footer with the page size and the previous/next buttons.
import { Box, Button } from "@saleor/macaw-ui";
import { FormattedMessage } from "react-intl";
import { useSearchParams } from "react-router-dom";

export const PAGE_SIZES = [20, 50, 100];

export type UpdateParams = (changes: Record<string, string | null>, keepPage?: boolean) => void;

/** The URL's query parameters and a way to change them; a change starts on the first page
 * unless ``keepPage`` says otherwise. */
export function useUrlParams(): { params: URLSearchParams; update: UpdateParams } {
  const [params, setParams] = useSearchParams();
  const update: UpdateParams = (changes, keepPage = false) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === "") next.delete(key);
      else next.set(key, value);
    }
    if (!keepPage) {
      next.delete("after");
      next.delete("before");
    }
    setParams(next, { replace: true });
  };
  return { params, update };
}

type PageInfo = {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor?: string | null;
  endCursor?: string | null;
};

export function Pager({ size, pageInfo, update }: { size: number; pageInfo: PageInfo | undefined; update: UpdateParams }) {
  return (
    <Box
      display="flex"
      justifyContent="space-between"
      alignItems="center"
      gap={3}
      padding={4}
      borderTopWidth={1}
      borderTopStyle="solid"
      borderColor="default1"
      flexWrap="wrap"
    >
      <label className="field-label inline">
        <FormattedMessage id="list.pageSize" defaultMessage="Rows per page" />
        <select className="native-select" value={size} onChange={(event) => update({ size: event.target.value })}>
          {PAGE_SIZES.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      </label>
      <Box display="flex" gap={2}>
        <Button
          variant="secondary"
          size="small"
          disabled={!pageInfo?.hasPreviousPage}
          onClick={() => update({ before: pageInfo?.startCursor ?? null, after: null }, true)}
        >
          <FormattedMessage id="list.previous" defaultMessage="Previous" />
        </Button>
        <Button
          variant="secondary"
          size="small"
          disabled={!pageInfo?.hasNextPage}
          onClick={() => update({ after: pageInfo?.endCursor ?? null, before: null }, true)}
        >
          <FormattedMessage id="list.next" defaultMessage="Next" />
        </Button>
      </Box>
    </Box>
  );
}
