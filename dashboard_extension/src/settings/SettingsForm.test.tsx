import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import Settings from "../pages/Settings";
import { fakeApi, renderApp } from "../test/render";

const settings = {
  quietHours: "21:00-08:00",
  smartSendingHours: 16,
  maxMarketingPerDay: 2,
  maxMarketingPerWeek: 5,
  attributionClickDays: 5,
  attributionOpenDays: 1,
  channels: [{ slug: "channel-de", senderName: "Kaffee & Co", senderAddress: "shop@example.de", storefrontUrl: "" }],
  signingSecretSet: true,
  version: "v1",
  host: "STANDALONE",
  lockedFields: [] as string[],
};

function answer(update: unknown, shown: typeof settings = settings) {
  return (operation: string) =>
    operation === "MarketingSettings" ? { data: { marketingSettings: shown } } : { data: { marketingSettingsUpdate: update } };
}

afterEach(() => vi.unstubAllGlobals());

describe("the settings page", () => {
  it("sends only what changed, with the version it loaded, and shows the saved values", async () => {
    const saved = { ...settings, quietHours: "22:00-07:00", attributionClickDays: 7, version: "v2" };
    const { calls } = fakeApi(answer({ errors: [], settings: saved }));
    renderApp(<Settings />);

    fireEvent.change(await screen.findByLabelText("Quiet hours"), { target: { value: " 22:00-07:00 " } });
    fireEvent.change(screen.getByLabelText("After a click (days)"), { target: { value: "7" } });
    fireEvent.click(screen.getByRole("button", { name: "Save settings" }));

    expect(await screen.findByText("Settings saved.")).toBeTruthy();
    const update = calls.find((call) => call.operation === "MarketingSettingsUpdate")!;
    expect(update.variables).toEqual({ input: { quietHours: "22:00-07:00", attributionClickDays: 7 }, expectedVersion: "v1" });
    expect(screen.getByLabelText("Quiet hours")).toHaveProperty("value", "22:00-07:00");

    // The next save compares with the version just saved.
    fireEvent.change(screen.getByLabelText("Smart sending window (hours)"), { target: { value: "0" } });
    fireEvent.click(screen.getByRole("button", { name: "Save settings" }));
    await waitFor(() => expect(calls.filter((call) => call.operation === "MarketingSettingsUpdate")).toHaveLength(2));
    expect(calls.at(-1)!.variables).toEqual({ input: { smartSendingHours: 0 }, expectedVersion: "v2" });
  });

  it("shows the server's refusal at the field it names and keeps what was typed", async () => {
    const message = "Use the form HH:MM-HH:MM, for example 21:00-08:00.";
    fakeApi(answer({ errors: [{ field: "quietHours", code: "INVALID", message }], settings: null }));
    renderApp(<Settings />);

    const quiet = await screen.findByLabelText("Quiet hours");
    fireEvent.change(quiet, { target: { value: "25:00-08:00" } });
    fireEvent.click(screen.getByRole("button", { name: "Save settings" }));

    expect(await screen.findByText(message)).toBeTruthy();
    expect(quiet).toHaveProperty("value", "25:00-08:00");
    expect(screen.getByRole("alert").textContent).toBe("Not saved: correct what is marked above.");
    expect(screen.queryByText("Settings saved.")).toBeNull();
  });

  it("refuses a number that is not one before asking the server", async () => {
    const { calls } = fakeApi(answer({ errors: [], settings }));
    renderApp(<Settings />);

    fireEvent.change(await screen.findByLabelText("Marketing messages per contact and day"), { target: { value: "two" } });
    fireEvent.click(screen.getByRole("button", { name: "Save settings" }));

    expect(await screen.findByText("Enter a whole number.")).toBeTruthy();
    expect(calls.some((call) => call.operation === "MarketingSettingsUpdate")).toBe(false);
  });

  it("says when someone else saved since, keeping what was typed", async () => {
    const message = "Someone else saved the settings after you opened them. Reload to see their changes, then make yours again.";
    fakeApi(answer({ errors: [{ field: "expectedVersion", code: "CONFLICT", message }], settings: null }));
    renderApp(<Settings />);

    fireEvent.change(await screen.findByLabelText("Quiet hours"), { target: { value: "20:00-09:00" } });
    fireEvent.click(screen.getByRole("button", { name: "Save settings" }));

    expect((await screen.findByRole("alert")).textContent).toBe(message);
    expect(screen.getByLabelText("Quiet hours")).toHaveProperty("value", "20:00-09:00");
  });

  it("edits channels as rows and sends the whole list", async () => {
    const { calls } = fakeApi(answer({ errors: [], settings }));
    renderApp(<Settings />);

    const first = await screen.findByRole("group", { name: "Channel 1" });
    expect(within(first).getByLabelText("Channel slug")).toHaveProperty("value", "channel-de");
    fireEvent.click(screen.getByRole("button", { name: "Add a channel" }));
    const second = screen.getByRole("group", { name: "Channel 2" });
    fireEvent.change(within(second).getByLabelText("Channel slug"), { target: { value: "channel-pl" } });
    fireEvent.change(within(second).getByLabelText("Storefront URL"), { target: { value: "https://example.pl" } });
    fireEvent.click(screen.getByRole("button", { name: "Remove channel 1" }));
    fireEvent.click(screen.getByRole("button", { name: "Save settings" }));

    await waitFor(() => expect(calls.some((call) => call.operation === "MarketingSettingsUpdate")).toBe(true));
    expect(calls.at(-1)!.variables).toEqual({
      input: { channels: [{ slug: "channel-pl", senderName: "", senderAddress: "", storefrontUrl: "https://example.pl" }] },
      expectedVersion: "v1",
    });
  });

  it("shows a secret only as set, sends a new one only when typed, and locks what the server fixes", async () => {
    const { calls } = fakeApi(answer({ errors: [], settings }, { ...settings, lockedFields: ["quietHours"] }));
    renderApp(<Settings />);

    expect(await screen.findByText("A signing secret is set.")).toBeTruthy();
    const secret = screen.getByLabelText("New signing secret");
    expect(secret).toHaveProperty("value", "");
    expect(secret.getAttribute("type")).toBe("password");
    expect(screen.getByLabelText("Quiet hours")).toHaveProperty("disabled", true);
    expect(screen.getByText("Fixed in the server's configuration (SALEOR_MA_PLUGIN); change it there.")).toBeTruthy();

    fireEvent.change(secret, { target: { value: "a-new-secret" } });
    fireEvent.click(screen.getByRole("button", { name: "Save settings" }));

    await waitFor(() => expect(calls.some((call) => call.operation === "MarketingSettingsUpdate")).toBe(true));
    expect(calls.at(-1)!.variables).toEqual({ input: { signingSecret: "a-new-secret" }, expectedVersion: "v1" });
  });
});
