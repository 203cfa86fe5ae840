import { fireEvent, screen, within } from "@testing-library/react";
import { Route, Routes } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";

import de from "../i18n/de.json";
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

const CAMPAIGN_ID = "Q2FtcGFpZ246NDI=";

function answer(deleteErrors: unknown[] = [], campaignErrors: unknown[] = []) {
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
      case "CampaignCreateForInterestGroup":
        return {
          data: {
            campaignCreateForInterestGroup: campaignErrors.length
              ? { errors: campaignErrors, campaign: null, segment: null }
              : { errors: [], campaign: { id: CAMPAIGN_ID }, segment: { id: "U2VnbWVudDo4" } },
          },
        };
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

  it("creates a campaign for an interest group in one click and opens it in the editor", async () => {
    const { calls } = fakeApi(answer());
    renderApp(
      <Routes>
        <Route path="/segments" element={<SegmentList />} />
        <Route path="/campaigns/:id" element={<p>Editor of the new campaign</p>} />
      </Routes>,
      { path: "/segments" },
    );

    fireEvent.click(await screen.findByRole("button", { name: "Create a campaign for espresso" }));

    expect(await screen.findByText("Editor of the new campaign")).toBeTruthy();
    expect(calls.filter((call) => call.operation === "CampaignCreateForInterestGroup").map((call) => call.variables)).toEqual([
      { input: { tag: "interest:espresso", name: "Mailing to those interested in espresso", segmentName: "Interested in espresso" } },
    ]);
  });

  it("says why no campaign was created and stays on the page as it was", async () => {
    const { calls } = fakeApi(answer([], [{ field: "name", code: "INVALID", message: "At most 200 characters." }]));
    renderApp(<SegmentList />, { path: "/segments?q=Coffee" });
    const button = await screen.findByRole("button", { name: "Create a campaign for espresso" });

    fireEvent.click(button);

    expect((await screen.findByRole("alert")).textContent).toBe("No campaign was created for espresso: At most 200 characters.");
    expect(screen.getByLabelText("Search by name")).toHaveProperty("value", "Coffee");
    expect(screen.getByRole("button", { name: "Create a campaign for espresso" })).toHaveProperty("disabled", false);
    expect(calls.filter((call) => call.operation === "CampaignCreateForInterestGroup")).toHaveLength(1);
  });

  it("offers the group's campaign in German", async () => {
    fakeApi(answer());
    renderApp(<SegmentList />, { path: "/segments", locale: "de", messages: de });

    expect(await screen.findByRole("button", { name: "Kampagne anlegen für espresso" })).toBeTruthy();
    expect(screen.getByText("Kampagne anlegen")).toBeTruthy();
  });
});
