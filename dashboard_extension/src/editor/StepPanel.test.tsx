import { fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { CampaignDetailsFragment, DefinitionsQuery } from "../gql/graphql";
import { fakeApi, renderApp } from "../test/render";
import { StepPanel } from "./StepPanel";

const voucherStep = {
  key: "code",
  type: "VOUCHER" as const,
  name: "",
  config: { discount_type: "percentage", discount_value: "15", valid_days: 14 },
  nextKey: "offer",
  position: 2,
  figures: { sent: 0, opened: 0, clicked: 0 },
};
const campaign = {
  id: "Q2FtcGFpZ246Nw==",
  steps: [voucherStep, { ...voucherStep, key: "offer", type: "SEND" as const, config: { template: "win_back_2" }, nextKey: "" }],
} as unknown as CampaignDetailsFragment;
const definitions = {
  templateKeys: ["win_back_2"],
  campaignTriggerTypes: [],
  campaignStepTypes: [
    {
      type: "VOUCHER",
      label: "Issue voucher",
      description: "",
      final: false,
      reachesContact: true,
      configSchema: {
        type: "object",
        properties: {
          discount_type: { type: "string", enum: ["percentage", "fixed", "free_shipping"] },
          discount_value: { type: ["string", "number"] },
          valid_days: { type: "integer", minimum: 0 },
        },
      },
    },
  ],
} as unknown as DefinitionsQuery;

afterEach(() => vi.unstubAllGlobals());

describe("the step panel", () => {
  it("shows the server's error at the field and keeps what was typed", async () => {
    const { calls } = fakeApi(() => ({
      data: {
        campaignStepUpdate: {
          errors: [{ field: "steps[0].config.validDays", code: "INVALID", message: "Enter a whole number from 0 to 36500." }],
          campaign: null,
        },
      },
    }));
    const saved = vi.fn();
    renderApp(<StepPanel campaign={campaign} step={voucherStep} definitions={definitions} onSaved={saved} onRemoved={() => {}} />);

    fireEvent.change(screen.getByLabelText("Valid for (days)"), { target: { value: "-2" } });
    fireEvent.click(screen.getByRole("button", { name: "Save step" }));

    expect(await screen.findByText("Enter a whole number from 0 to 36500.")).toBeTruthy();
    expect(screen.getByLabelText("Valid for (days)")).toHaveProperty("value", "-2");
    expect(calls[0].variables).toEqual({
      campaignId: campaign.id,
      key: "code",
      config: { discount_type: "percentage", discount_value: "15", valid_days: -2 },
      nextKey: "offer",
    });
    expect(saved).not.toHaveBeenCalled();
  });

  it("refuses to overwrite someone else's newer save, says so and keeps what was typed", async () => {
    const loaded = { ...campaign, updatedAt: "2026-12-05T09:00:00.000000+00:00" } as CampaignDetailsFragment;
    const message = "Someone else saved this at Dec. 5, 2026, 9:30 a.m., after you opened it. Reload to see their changes, then make yours again.";
    const { calls } = fakeApi(() => ({
      data: { campaignStepUpdate: { errors: [{ field: "expectedUpdatedAt", code: "CONFLICT", message }], campaign: null } },
    }));
    const saved = vi.fn();
    renderApp(<StepPanel campaign={loaded} step={voucherStep} definitions={definitions} onSaved={saved} onRemoved={() => {}} />);

    fireEvent.change(screen.getByLabelText("Valid for (days)"), { target: { value: "30" } });
    fireEvent.click(screen.getByRole("button", { name: "Save step" }));

    expect(await screen.findByText(message)).toBeTruthy();
    expect(screen.getByLabelText("Valid for (days)")).toHaveProperty("value", "30");
    expect(calls[0].variables.expectedUpdatedAt).toBe("2026-12-05T09:00:00.000000+00:00");
    expect(saved).not.toHaveBeenCalled();
  });
});
