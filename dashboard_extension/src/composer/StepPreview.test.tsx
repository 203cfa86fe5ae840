import { fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { StepPanel } from "../editor/StepPanel";
import type { CampaignDetailsFragment, DefinitionsQuery } from "../gql/graphql";
import { fakeApi, renderApp } from "../test/render";

afterEach(() => vi.unstubAllGlobals());

const sendStep = {
  key: "send",
  type: "SEND" as const,
  name: "",
  config: {
    template: "newsletter",
    blocks: [
      { type: "heading", text: "Spring" },
      { type: "content_feed", source: "rss", url: "https://blog.example.com/feed", limit: 3 },
    ],
  },
  nextKey: "",
  position: 0,
  figures: { sent: 0, opened: 0, clicked: 0 },
};
const campaign = {
  id: "Q2FtcGFpZ246Nw==",
  updatedAt: "2026-12-05T09:00:00.000000+00:00",
  steps: [sendStep],
} as unknown as CampaignDetailsFragment;
const definitions = {
  templateKeys: ["newsletter"],
  campaignTriggerTypes: [],
  campaignStepTypes: [
    {
      type: "SEND",
      label: "Send",
      description: "",
      final: false,
      reachesContact: true,
      configSchema: {
        type: "object",
        properties: {
          channel: { type: "string", enum: ["email", "sms", "push"] },
          template: { type: "string", minLength: 1 },
          blocks: { type: "array", items: { type: "object" } },
        },
        required: ["template"],
      },
    },
  ],
} as unknown as DefinitionsQuery;
const contacts = { data: { contacts: { edges: [{ node: { id: "Q29udGFjdDox", email: "anna@example.com", firstName: "Anna", lastName: "Berg" } }] } } };

describe("the send step's composer", () => {
  it("saves the blocks with the copy's time and shows a refused feed at its field, keeping what was typed", async () => {
    const { calls } = fakeApi(() => ({
      data: {
        campaignStepUpdate: {
          errors: [{ field: "steps[0].config.blocks[1].url", code: "INVALID", message: "Internal addresses are not allowed." }],
          campaign: null,
        },
      },
    }));
    const saved = vi.fn();
    renderApp(<StepPanel campaign={campaign} step={sendStep} definitions={definitions} onSaved={saved} onRemoved={() => {}} />);

    expect(screen.queryByRole("textbox", { name: "Content blocks" })).toBeNull(); // no JSON field: the composer edits them
    fireEvent.change(screen.getByLabelText("Feed address"), { target: { value: "http://10.0.0.1/feed" } });
    fireEvent.click(screen.getByRole("button", { name: "Save step" }));

    const feed = screen.getByRole("listitem", { name: "Block 2: Content feed" });
    expect(await within(feed).findByText("Internal addresses are not allowed.")).toBeTruthy();
    expect(within(feed).getByLabelText("Feed address")).toHaveProperty("value", "http://10.0.0.1/feed");
    expect(calls[0].variables).toEqual({
      campaignId: campaign.id,
      key: "send",
      config: {
        template: "newsletter",
        blocks: [
          { type: "heading", text: "Spring" },
          { type: "content_feed", source: "rss", url: "http://10.0.0.1/feed", limit: 3 },
        ],
      },
      nextKey: "",
      expectedUpdatedAt: "2026-12-05T09:00:00.000000+00:00",
    });
    expect(saved).not.toHaveBeenCalled();
    expect(screen.getByText("You have unsaved changes: the preview and the test show the step as last saved.")).toBeTruthy();
  });

  it("previews the saved step for a contact in a sandboxed frame, at phone width too", async () => {
    const { calls } = fakeApi((operation) =>
      operation === "ContactSearch"
        ? contacts
        : {
            data: {
              campaignStepPreview: {
                subject: "Spring",
                text: "Spring",
                html: "<html><body><h1>Spring</h1><p>Espresso</p></body></html>",
                fromAddress: "Demo Shop <shop@example.com>",
                recipient: "anna@example.com",
              },
            },
          },
    );
    renderApp(<StepPanel campaign={campaign} step={sendStep} definitions={definitions} onSaved={() => {}} onRemoved={() => {}} />);

    fireEvent.change(screen.getByLabelText("Preview for contact (email or name)"), { target: { value: "anna" } });
    fireEvent.click(await screen.findByRole("button", { name: "anna@example.com · Anna Berg" }, { timeout: 2000 }));
    fireEvent.click(screen.getByRole("button", { name: "Show preview" }));

    const dialog = await screen.findByRole("dialog", { name: "Preview" });
    const frame = await within(dialog).findByTitle("The email: Spring");
    expect(frame.getAttribute("sandbox")).toBe("");
    expect(frame.getAttribute("srcdoc")).toContain("<p>Espresso</p>");
    expect(frame.style.width).toBe("640px");
    fireEvent.click(within(dialog).getByRole("button", { name: "Phone" }));
    expect(frame.style.width).toBe("375px");
    expect(calls.find((call) => call.operation === "CampaignStepPreview")?.variables).toEqual({
      campaignId: campaign.id,
      key: "send",
      contactId: "Q29udGFjdDox",
    });

    fireEvent.click(within(dialog).getByRole("button", { name: "Close the preview" }));
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("shows a refused test address at the field and says where a test went", async () => {
    let answer: unknown = {
      data: { campaignStepSendTest: { recipient: null, errors: [{ field: "email", code: "INVALID", message: "Enter a valid email address." }] } },
    };
    const { calls } = fakeApi((operation) => (operation === "ContactSearch" ? contacts : answer));
    renderApp(<StepPanel campaign={campaign} step={sendStep} definitions={definitions} onSaved={() => {}} onRemoved={() => {}} />);

    fireEvent.change(screen.getByLabelText("Preview for contact (email or name)"), { target: { value: "anna" } });
    fireEvent.click(await screen.findByRole("button", { name: "anna@example.com · Anna Berg" }, { timeout: 2000 }));
    fireEvent.change(screen.getByLabelText("Send a test to"), { target: { value: "me@" } });
    fireEvent.click(screen.getByRole("button", { name: "Send test" }));

    expect(await screen.findByText("Enter a valid email address.")).toBeTruthy();
    expect(screen.getByLabelText("Send a test to")).toHaveProperty("value", "me@");

    answer = { data: { campaignStepSendTest: { recipient: "me@example.com", errors: [] } } };
    fireEvent.change(screen.getByLabelText("Send a test to"), { target: { value: "me@example.com" } });
    fireEvent.click(screen.getByRole("button", { name: "Send test" }));

    expect(await screen.findByText("Test sent to me@example.com. It counts in no report.")).toBeTruthy();
    expect(screen.queryByText("Enter a valid email address.")).toBeNull();
    expect(calls.filter((call) => call.operation === "CampaignStepSendTest").map((call) => call.variables)).toEqual([
      { campaignId: campaign.id, key: "send", contactId: "Q29udGFjdDox", email: "me@" },
      { campaignId: campaign.id, key: "send", contactId: "Q29udGFjdDox", email: "me@example.com" },
    ]);
  });
});
