import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { fakeApi, renderApp } from "../test/render";
import ContactList from "./ContactList";

const rows = [
  {
    id: "Q29udGFjdDo0",
    email: "stammkunde3@example.com",
    firstName: "Clara",
    lastName: "Berg",
    lifecycleStage: "REPEAT_CUSTOMER",
    leadScore: 40,
    ordersCount: 4,
    revenue: [
      { currency: "EUR", totalGross: "244.800" },
      { currency: "PLN", totalGross: "99.000" },
    ],
    lastSeenAt: "2026-12-02T14:17:00+00:00",
    erasedAt: null,
  },
];

function page(nodes = rows) {
  return {
    data: {
      contacts: {
        totalCount: nodes.length,
        pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
        edges: nodes.map((node) => ({ node })),
      },
    },
  };
}

type Sent = { search?: string; signal?: AbortSignal | null };

/** A fetch whose answers to searches wait until released (or cancelled). */
function slowSearches() {
  const sent: Sent[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn((_url: unknown, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as { variables: { filter?: { search?: string } } };
      const search = body.variables.filter?.search;
      sent.push({ search, signal: init?.signal });
      const answer = () => new Response(JSON.stringify(page()), { status: 200, headers: { "Content-Type": "application/json" } });
      if (!search) return Promise.resolve(answer());
      return new Promise<Response>((resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
        window.setTimeout(() => resolve(answer()), 2_000);
      });
    }),
  );
  return sent;
}

afterEach(() => vi.unstubAllGlobals());

describe("the contact list", () => {
  it("shows each contact's stage, score, orders and revenue in every currency", async () => {
    fakeApi(() => page());
    renderApp(<ContactList />, { path: "/contacts" });

    const table = await screen.findByRole("table", { name: "Contacts" });
    const row = within(table).getByRole("link", { name: "stammkunde3@example.com" }).closest("tr")!;
    expect(row.textContent).toContain("Clara Berg");
    expect(row.textContent).toContain("Repeat customer");
    expect(row.textContent).toContain("€244.80");
    expect(row.textContent).toContain("PLN");
    expect(within(table).getByRole("link", { name: "stammkunde3@example.com" }).getAttribute("href")).toBe("/contacts/Q29udGFjdDo0");
  });

  it("searches once typing pauses and cancels the search it replaces", async () => {
    const sent = slowSearches();
    renderApp(<ContactList />, { path: "/contacts" });
    await screen.findByRole("table", { name: "Contacts" });
    const search = screen.getByLabelText("Search by email or name");

    for (const text of ["k", "ku", "kun"]) fireEvent.change(search, { target: { value: text } });
    await waitFor(() => expect(sent.map((request) => request.search)).toEqual([undefined, "kun"]));
    fireEvent.change(search, { target: { value: "kunde4" } });
    await waitFor(() => expect(sent.map((request) => request.search)).toEqual([undefined, "kun", "kunde4"]));

    expect(sent[1].signal?.aborted).toBe(true);
    expect(sent[2].signal?.aborted).toBe(false);
  });

  it("asks the API for the lifecycle stage, consent and tags picked", async () => {
    const { calls } = fakeApi(() => page());
    renderApp(<ContactList />, { path: "/contacts" });
    await screen.findByRole("table", { name: "Contacts" });

    fireEvent.change(screen.getByLabelText("Lifecycle stage"), { target: { value: "LAPSED" } });
    fireEvent.change(screen.getByLabelText("Marketing consent"), { target: { value: "EMAIL" } });
    fireEvent.change(screen.getByLabelText("Tags (all of, comma-separated)"), { target: { value: "vip, coffee ," } });

    await waitFor(() =>
      expect(calls.at(-1)?.variables.filter).toEqual({ lifecycleStages: ["LAPSED"], hasConsent: "EMAIL", tags: ["vip", "coffee"] }),
    );
  });

  it("says so when no contact matches and clears the filters", async () => {
    const { calls } = fakeApi((_, variables) => page((variables.filter as { search?: string })?.search ? [] : rows));
    renderApp(<ContactList />, { path: "/contacts?q=nobody" });

    expect(await screen.findByText("No contact matches these filters")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Clear the filters" }));

    expect(await screen.findByRole("table", { name: "Contacts" })).toBeTruthy();
    expect(calls.at(-1)?.variables.filter).toEqual({});
    expect(screen.getByLabelText("Search by email or name")).toHaveProperty("value", "");
  });
});
