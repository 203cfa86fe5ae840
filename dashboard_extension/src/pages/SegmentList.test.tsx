import { fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { fakeApi, renderApp } from "../test/render";
import SegmentList from "./SegmentList";

const coffee = {
  id: "U2VnbWVudDo3",
  name: "Coffee buyers",
  description: "Bought coffee twice",
  memberCount: 1234,
  countedAt: "2026-12-05T08:00:00+00:00",
  updatedAt: "2026-12-05T09:00:00+00:00",
};

function answer(deleteErrors: unknown[] = []) {
  return (operation: string) => {
    switch (operation) {
      case "SegmentList":
        return {
          data: {
            segments: {
              totalCount: 1,
              pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
              edges: [{ node: coffee }],
            },
          },
        };
      case "InterestGroups":
        return { data: { interestGroups: [{ interest: "espresso", tag: "interest:espresso", size: 42 }] } };
      case "SegmentDelete":
        return { data: { segmentDelete: { errors: deleteErrors, segment: deleteErrors.length ? null : { id: coffee.id } } } };
      default:
        return { data: {} };
    }
  };
}

afterEach(() => vi.unstubAllGlobals());

describe("the audience page", () => {
  it("lists segments with their size and interest groups with a way to target them", async () => {
    fakeApi(answer());
    renderApp(<SegmentList />, { path: "/segments" });

    const row = (await screen.findByRole("link", { name: "Coffee buyers" })).closest("tr")!;
    expect(within(row).getByText("1,234")).toBeTruthy();
    expect(within(row).getByText(/^as of /)).toBeTruthy();
    const create = await screen.findByRole("link", { name: "Create a segment for espresso" });
    expect(create.getAttribute("href")).toBe(
      `/segments/new?${new URLSearchParams({ tag: "interest:espresso", name: "Interested in espresso" })}`,
    );
  });

  it("deletes only after confirming, and says why a segment in use stays", async () => {
    const { calls } = fakeApi(answer([{ field: "id", code: "INVALID", message: "Used by campaign 'Coffee': change or archive those first." }]));
    renderApp(<SegmentList />, { path: "/segments" });

    fireEvent.click(await screen.findByRole("button", { name: "Delete Coffee buyers" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete “Coffee buyers”?" });
    expect(calls.some((call) => call.operation === "SegmentDelete")).toBe(false);
    fireEvent.click(within(dialog).getByRole("button", { name: "Delete segment" }));

    expect(await within(dialog).findByText("Used by campaign 'Coffee': change or archive those first.")).toBeTruthy();
    expect(calls.find((call) => call.operation === "SegmentDelete")?.variables).toEqual({ id: coffee.id });
  });
});
