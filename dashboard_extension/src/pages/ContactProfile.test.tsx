import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { Route, Routes } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";

import { fakeApi, renderApp } from "../test/render";
import ContactList from "./ContactList";
import ContactProfile from "./ContactProfile";

const id = "Q29udGFjdDo0MQ==";
const contact = {
  id,
  email: "kunde41@example.com",
  firstName: "David",
  lastName: "Weber",
  languageCode: "de",
  country: "AT",
  timezone: "Europe/Vienna",
  phone: "+43 660 1234567",
  birthday: "1990-04-12",
  attributes: { shoe_size: 42 },
  tags: ["vip", "coffee"],
  leadScore: 35,
  lifecycleStage: "REPEAT_CUSTOMER",
  ordersCount: 3,
  revenue: [
    { currency: "EUR", totalGross: "244.800", ordersCount: 2 },
    { currency: "PLN", totalGross: "99.000", ordersCount: 1 },
  ],
  firstOrderAt: "2026-10-01T10:00:00+00:00",
  lastOrderAt: "2026-11-20T10:00:00+00:00",
  lastSeenAt: "2026-12-02T14:17:00+00:00",
  createdAt: "2026-09-01T08:00:00+00:00",
  updatedAt: "2026-12-02T14:17:00.123456+00:00",
  erasedAt: null,
  consents: [
    { channel: "EMAIL", topic: "", status: "SUBSCRIBED", requestedAt: "2026-09-01T08:00:00+00:00", confirmedAt: "2026-09-01T08:05:00+00:00", updatedAt: "2026-09-01T08:05:00+00:00" },
  ],
  campaignRuns: [
    {
      campaignId: "Q2FtcGFpZ246MQ==",
      campaignName: "Welcome series",
      status: "GOAL_REACHED",
      stepKey: "wait_story",
      nextRunAt: null,
      startedAt: "2026-09-01T08:05:00+00:00",
      finishedAt: "2026-09-03T08:05:00+00:00",
      exitReason: "goal",
    },
  ],
  timeline: {
    totalCount: 2,
    pageInfo: { hasNextPage: false, endCursor: null },
    edges: [
      {
        node: {
          occurredAt: "2026-12-01T07:00:00+00:00",
          kind: "MESSAGE",
          title: "Email 'newsletter': sent",
          detail: { campaignId: "Q2FtcGFpZ246MTI=", campaignName: "Newsletter", stepKey: "send", openedAt: "2026-12-01T09:00:00+00:00", clickedAt: null },
        },
      },
      {
        node: {
          occurredAt: "2026-09-01T08:05:00+00:00",
          kind: "CONSENT",
          title: "Email: subscribed",
          detail: { methodLabel: "Double opt-in", wording: "Yes, send me the newsletter.", sourceUrl: "https://shop.example.com/signup", ipAddress: "203.0.113.7" },
        },
      },
    ],
  },
};

const emptyList = {
  data: {
    contacts: { totalCount: 0, pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null }, edges: [] },
  },
};

function api(overrides: Record<string, unknown> = {}) {
  return fakeApi((operation) => {
    if (operation in overrides) return overrides[operation];
    switch (operation) {
      case "ContactPage":
        return { data: { contact } };
      case "ContactList":
        return emptyList;
      case "ContactErase":
        return { data: { contactErase: { errors: [], contact: { id, erasedAt: "2026-12-05T10:00:00+00:00" } } } };
      default:
        throw new Error(`unexpected ${operation}`);
    }
  });
}

function renderProfile() {
  return renderApp(
    <Routes>
      <Route path="/contacts" element={<ContactList />} />
      <Route path="/contacts/:id" element={<ContactProfile />} />
    </Routes>,
    { path: `/contacts/${id}` },
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("the contact profile", () => {
  it("shows the contact's attributes, revenue per currency, consents, runs and timeline", async () => {
    api();
    renderProfile();

    expect(await screen.findByRole("heading", { name: "David Weber" })).toBeTruthy();
    expect(screen.getAllByText("kunde41@example.com").length).toBeGreaterThan(0);
    expect(screen.getByText("€244.80")).toBeTruthy();
    expect(screen.getByText("PLN 99.00")).toBeTruthy();
    expect(screen.getByText("+43 660 1234567")).toBeTruthy();
    expect(screen.getByText("Europe/Vienna")).toBeTruthy();
    expect(screen.getByText("German (de)")).toBeTruthy();
    expect(screen.getByText("Austria (AT)")).toBeTruthy();
    expect(screen.getByText("vip")).toBeTruthy();
    expect(screen.getByText("Subscribed")).toBeTruthy();
    const runs = screen.getByRole("table", { name: "Campaign runs" });
    expect(within(runs).getByRole("link", { name: "Welcome series" })).toBeTruthy();
    expect(within(runs).getByText("Goal reached")).toBeTruthy();
    expect(screen.getByText("Email 'newsletter': sent")).toBeTruthy();
    expect(screen.getByText(/^Opened /)).toBeTruthy();
    expect(screen.getByText("Yes, send me the newsletter.")).toBeTruthy();
  });

  it("erases only after the dialog naming the person is confirmed, then lists the result", async () => {
    const { calls } = api();
    renderProfile();
    await screen.findByRole("heading", { name: "David Weber" });

    fireEvent.click(screen.getByRole("button", { name: "Erase" }));
    let dialog = await screen.findByRole("dialog", { name: "Erase kunde41@example.com?" });
    expect(within(dialog).getByText(/Everything that names kunde41@example.com is deleted/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(calls.some((call) => call.operation === "ContactErase")).toBe(false);

    fireEvent.click(screen.getByRole("button", { name: "Erase" }));
    dialog = await screen.findByRole("dialog", { name: "Erase kunde41@example.com?" });
    expect(calls.some((call) => call.operation === "ContactErase")).toBe(false);
    fireEvent.click(within(dialog).getByRole("button", { name: "Erase for good" }));

    expect(
      await screen.findByText("The personal data of kunde41@example.com was erased. Their orders and revenue stay in reports without a name."),
    ).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Contacts" })).toBeTruthy();
    expect(calls.filter((call) => call.operation === "ContactErase").map((call) => call.variables)).toEqual([{ id }]);
  });

  it("keeps the dialog open and says why when the server refuses the erasure", async () => {
    api({
      ContactErase: { data: { contactErase: { errors: [{ field: "id", code: "NOT_FOUND", message: "No such contact." }], contact: null } } },
    });
    renderProfile();
    await screen.findByRole("heading", { name: "David Weber" });

    fireEvent.click(screen.getByRole("button", { name: "Erase" }));
    const dialog = await screen.findByRole("dialog", { name: "Erase kunde41@example.com?" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Erase for good" }));

    expect(await within(dialog).findByText("No such contact.")).toBeTruthy();
    expect(screen.getByRole("dialog", { name: "Erase kunde41@example.com?" })).toBeTruthy();
  });

  it("downloads the personal data only after confirming", async () => {
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => {});
    const url = "https://shop.example.com/plugins/ma/privacy/export/abc/";
    const { calls } = api({
      ContactPersonalDataExport: {
        data: { contactPersonalDataExport: { errors: [], url, expiresAt: "2026-12-05T10:15:00+00:00" } },
      },
    });
    renderProfile();
    await screen.findByRole("heading", { name: "David Weber" });

    fireEvent.click(screen.getByRole("button", { name: "Download personal data" }));
    const dialog = await screen.findByRole("dialog", { name: "Download the personal data of kunde41@example.com?" });
    expect(calls.some((call) => call.operation === "ContactPersonalDataExport")).toBe(false);
    fireEvent.click(within(dialog).getByRole("button", { name: "Download" }));

    expect(await screen.findByRole("link", { name: "download the file" })).toHaveProperty("href", url);
    expect(click).toHaveBeenCalledTimes(1);
    expect(calls.find((call) => call.operation === "ContactPersonalDataExport")?.variables).toEqual({ id });
  });

  it("shows the server's error at the field and keeps what was typed", async () => {
    const message = 'Use an IANA time zone name such as "Europe/Berlin".';
    const { calls } = api({
      ContactUpdate: { data: { contactUpdate: { errors: [{ field: "timezone", code: "INVALID", message }], contact: null } } },
    });
    renderProfile();
    await screen.findByRole("heading", { name: "David Weber" });

    fireEvent.click(screen.getByRole("button", { name: "Edit" }));
    fireEvent.change(screen.getByLabelText("Time zone"), { target: { value: "Mars/Olympus" } });
    fireEvent.click(screen.getByRole("button", { name: "Save contact" }));

    expect(await screen.findByText(message)).toBeTruthy();
    expect(screen.getByLabelText("Time zone")).toHaveProperty("value", "Mars/Olympus");
    expect(calls.find((call) => call.operation === "ContactUpdate")?.variables).toEqual({
      id,
      input: { timezone: "Mars/Olympus" },
      expectedUpdatedAt: contact.updatedAt,
    });
    expect(screen.getByRole("button", { name: "Save contact" })).toBeTruthy();
  });

  it("changes names, country and phone, sending only those and the time its copy was saved", async () => {
    const saved = { ...contact, firstName: "Dave", country: "DE", phone: "+493012345678", updatedAt: "2026-12-05T10:00:00+00:00" };
    const { calls } = api({ ContactUpdate: { data: { contactUpdate: { errors: [], contact: saved } } } });
    renderProfile();
    await screen.findByRole("heading", { name: "David Weber" });

    fireEvent.click(screen.getByRole("button", { name: "Edit" }));
    expect(screen.getByLabelText("Last name")).toHaveProperty("value", "Weber");
    fireEvent.change(screen.getByLabelText("First name"), { target: { value: " Dave " } });
    fireEvent.change(screen.getByLabelText("Country code"), { target: { value: "DE" } });
    fireEvent.change(screen.getByLabelText("Phone"), { target: { value: "030 12345678" } });
    fireEvent.click(screen.getByRole("button", { name: "Save contact" }));

    expect(await screen.findByRole("heading", { name: "Dave Weber" })).toBeTruthy();
    expect(calls.find((call) => call.operation === "ContactUpdate")?.variables).toEqual({
      id,
      input: { firstName: "Dave", country: "DE", phone: "030 12345678" },
      expectedUpdatedAt: contact.updatedAt,
    });
  });

  it("says so when someone else saved the contact since, keeping what was typed", async () => {
    const message = "Someone else saved this at Dec. 5, 2026, 10:00 a.m., after you opened it. Reload to see their changes, then make yours again.";
    api({
      ContactUpdate: { data: { contactUpdate: { errors: [{ field: "expectedUpdatedAt", code: "CONFLICT", message }], contact: null } } },
    });
    renderProfile();
    await screen.findByRole("heading", { name: "David Weber" });

    fireEvent.click(screen.getByRole("button", { name: "Edit" }));
    fireEvent.change(screen.getByLabelText("Phone"), { target: { value: "+43 660 7654321" } });
    fireEvent.click(screen.getByRole("button", { name: "Save contact" }));

    expect((await screen.findByRole("alert")).textContent).toBe(message);
    expect(screen.getByLabelText("Phone")).toHaveProperty("value", "+43 660 7654321");
    expect(screen.getByRole("button", { name: "Save contact" })).toBeTruthy();
  });
});
