import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { fakeApi, renderApp } from "../test/render";
import MessageList from "./MessageList";

const summaries = [
  { key: "order_confirmation", language: "de", channels: ["EMAIL"], kind: "TRANSACTIONAL", shipped: true, activeVersion: null, versionCount: 0, updatedAt: null },
  { key: "order_confirmation", language: "en", channels: ["EMAIL"], kind: "TRANSACTIONAL", shipped: true, activeVersion: 3, versionCount: 3, updatedAt: "2026-12-04T10:00:00+00:00" },
  { key: "sms_reminder", language: "en", channels: ["SMS", "PUSH"], kind: "MARKETING", shipped: false, activeVersion: 1, versionCount: 1, updatedAt: "2026-12-05T10:00:00+00:00" },
];

afterEach(() => vi.unstubAllGlobals());

describe("the message list", () => {
  it("shows a row per key and a column per language with the version sent and its last change", async () => {
    fakeApi(() => ({ data: { templateSummaries: summaries } }));
    renderApp(<MessageList />, { path: "/messages" });

    const table = await screen.findByRole("table", { name: "Message templates" });
    const headers = within(table).getAllByRole("columnheader").map((cell) => cell.textContent);
    expect(headers).toEqual(["Template", "Channels", "English", "German"]);
    const order = within(table).getByRole("row", { name: /order_confirmation/ });
    expect(within(order).getByRole("link", { name: "Version 3, edit order_confirmation in English" })).toBeTruthy();
    expect(within(order).getByRole("link", { name: "Default, edit order_confirmation in German" })).toBeTruthy();
    expect(within(order).getByText("Transactional")).toBeTruthy();
    expect(within(order).getByText("never changed")).toBeTruthy();
    const sms = within(table).getByRole("row", { name: /sms_reminder/ });
    expect(within(sms).getByText("SMS")).toBeTruthy();
    expect(within(sms).getByText("Web push")).toBeTruthy();
    expect(within(sms).getByRole("link", { name: "Add, write sms_reminder in German" }).getAttribute("href")).toBe("/messages/sms_reminder/de");
    expect(screen.getByText("2 templates in 2 languages")).toBeTruthy();
  });

  it("asks the server for the chosen channel, kind and search", async () => {
    const { calls } = fakeApi(() => ({ data: { templateSummaries: summaries } }));
    renderApp(<MessageList />, { path: "/messages" });
    await screen.findByRole("table", { name: "Message templates" });

    fireEvent.change(screen.getByLabelText("Channel"), { target: { value: "SMS" } });
    fireEvent.change(screen.getByLabelText("Kind"), { target: { value: "MARKETING" } });
    fireEvent.change(screen.getByLabelText("Search by key"), { target: { value: "remind" } });

    await waitFor(() =>
      expect(calls.at(-1)?.variables).toEqual({ filter: { search: "remind", channel: "SMS", kind: "MARKETING" } }),
    );
  });

  it("says when nothing matches the filters", async () => {
    fakeApi(() => ({ data: { templateSummaries: [] } }));
    renderApp(<MessageList />, { path: "/messages?channel=PUSH" });
    expect(await screen.findByText("No template matches these filters")).toBeTruthy();
  });
});
