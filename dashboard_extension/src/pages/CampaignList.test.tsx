import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { fakeApi, renderApp } from "../test/render";
import { CampaignList } from "./CampaignList";

const figures = { sent: 200, opened: 100, clicked: 40, converted: 10 };
const campaigns = [
  { id: "Q2FtcGFpZ246MQ==", name: "Welcome series", kind: "AUTORESPONDER", status: "ACTIVE", trigger: { type: "event", event: "newsletter.confirmed" } },
  { id: "Q2FtcGFpZ246Mg==", name: "Win-back", kind: "NURTURING", status: "PAUSED", trigger: { type: "inactivity", days: 90 } },
].map((campaign) => ({ ...campaign, createdAt: "2026-11-01T00:00:00Z", updatedAt: "2026-11-02T00:00:00Z", figures }));

function api() {
  return fakeApi((operation, variables) => {
    switch (operation) {
      case "CampaignList":
        return {
          data: {
            campaigns: {
              totalCount: 2,
              pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
              edges: campaigns.map((node) => ({ node })),
            },
          },
        };
      case "CampaignListExtras":
        return {
          data: {
            campaignRevenues: [
              { campaign: { id: campaigns[0].id }, totals: [{ currency: "EUR", amount: "1714.200", conversions: 36 }, { currency: "PLN", amount: "99.000", conversions: 1 }] },
              { campaign: { id: campaigns[1].id }, totals: [] },
            ],
            campaignReports: campaigns.map((campaign) => ({ campaign: { id: campaign.id }, series: [{ date: "2026-11-02", sent: 5 }] })),
          },
        };
      case "CampaignActivate":
        return variables.id === campaigns[0].id
          ? { data: { campaignActivate: { errors: [{ field: null, code: "INVALID", message: "Only 3 contacts would enter; the campaign needs 10." }], campaign: null } } }
          : { data: { campaignActivate: { errors: [], campaign: { id: variables.id, status: "ACTIVE" } } } };
      default:
        throw new Error(`unexpected ${operation}`);
    }
  });
}

afterEach(() => vi.unstubAllGlobals());

describe("the campaign list", () => {
  it("shows each campaign's figures and its revenue in every currency", async () => {
    api();
    renderApp(<CampaignList />);

    const table = await screen.findByRole("table", { name: "Campaigns" });
    const welcome = within(table).getByRole("link", { name: "Welcome series" }).closest("tr")!;
    expect(welcome.textContent).toContain("When newsletter.confirmed happens");
    expect(welcome.textContent).toContain("50%");
    await waitFor(() => expect(welcome.textContent).toContain("€1,714.20"));
    expect(welcome.textContent).toContain("PLN");
  });

  it("activates the selected campaigns and names those the server refused", async () => {
    const { calls } = api();
    renderApp(<CampaignList />);
    await screen.findByRole("table", { name: "Campaigns" });

    fireEvent.click(screen.getAllByLabelText("Select all on this page")[0]);
    fireEvent.click(screen.getByRole("button", { name: "Activate" }));

    expect(await screen.findByText("Welcome series: Only 3 contacts would enter; the campaign needs 10.")).toBeTruthy();
    expect(screen.getByText("1 campaign changed; 1 refused:")).toBeTruthy();
    expect(calls.filter((call) => call.operation === "CampaignActivate").map((call) => call.variables.id)).toEqual(campaigns.map((c) => c.id));
  });

  it("asks the API for the status picked in the filter", async () => {
    const { calls } = api();
    renderApp(<CampaignList />);
    await screen.findByRole("table", { name: "Campaigns" });

    fireEvent.change(screen.getByLabelText("Status"), { target: { value: "PAUSED" } });

    await waitFor(() =>
      expect(calls.filter((call) => call.operation === "CampaignList").at(-1)?.variables.filter).toEqual({ status: ["PAUSED"] }),
    );
  });
});
