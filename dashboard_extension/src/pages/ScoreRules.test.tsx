import { fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { fakeApi, renderApp } from "../test/render";
import ScoreRules from "./ScoreRules";

const clicks = {
  id: "U2NvcmVSdWxlOjE=",
  name: "Clicks",
  eventType: "email.clicked",
  where: {},
  points: 5,
  capPoints: 20,
  capDays: 7,
  isActive: true,
};

function answer({ createErrors = [], deleteErrors = [] }: { createErrors?: unknown[]; deleteErrors?: unknown[] } = {}) {
  return (operation: string) => {
    switch (operation) {
      case "ScoreRuleList":
        return {
          data: {
            scoreRules: [clicks],
            ruleEventTypes: [
              { type: "email.clicked", label: "Clicked an email", group: "Email" },
              { type: "order.paid", label: "Paid an order", group: "Shop" },
            ],
          },
        };
      case "ScoreRuleCreate":
        return { data: { scoreRuleCreate: { errors: createErrors, scoreRule: null } } };
      case "ScoreRuleDelete":
        return { data: { scoreRuleDelete: { errors: deleteErrors, scoreRule: null } } };
      default:
        return { data: {} };
    }
  };
}

afterEach(() => vi.unstubAllGlobals());

/** The inputs of the smallest part of the form around ``element`` that has any: its field. */
function fieldOf(element: HTMLElement): HTMLElement[] {
  let box: HTMLElement | null = element;
  while (box && !box.querySelector("input, textarea")) box = box.parentElement;
  return box ? Array.from(box.querySelectorAll<HTMLElement>("input, textarea")) : [];
}

describe("the score rules page", () => {
  it("lists rules with their event, points and cap", async () => {
    fakeApi(answer());
    renderApp(<ScoreRules />, { path: "/audience/scoring" });

    const row = (await screen.findByText("Clicks")).closest("tr")!;
    expect(within(row).getByText("Clicked an email")).toBeTruthy();
    expect(within(row).getByText("email.clicked")).toBeTruthy();
    expect(within(row).getByText("+5")).toBeTruthy();
    expect(within(row).getByText("at most 20 in 7 days")).toBeTruthy();
    expect(within(row).getByText("Active")).toBeTruthy();
  });

  it("offers the known event types, shows a refused value at its field and keeps what was typed", async () => {
    const message = "Points must be between -1000 and 1000.";
    const { calls } = fakeApi(answer({ createErrors: [{ field: "points", code: "INVALID", message }] }));
    renderApp(<ScoreRules />, { path: "/audience/scoring" });
    await screen.findByText("Clicks");

    fireEvent.click(screen.getByRole("button", { name: "New score rule" }));
    const form = await screen.findByRole("form", { name: "New score rule" });
    const eventType = within(form).getByLabelText("Event type");
    const suggestions = document.getElementById(eventType.getAttribute("list")!)!;
    expect(Array.from(suggestions.querySelectorAll("option")).map((option) => option.value)).toEqual(["email.clicked", "order.paid"]);
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "Big orders" } });
    fireEvent.change(eventType, { target: { value: "order.paid" } });
    const points = within(form).getByLabelText("Points");
    fireEvent.change(points, { target: { value: "5000" } });
    fireEvent.change(within(form).getByLabelText("Only events matching (optional)"), {
      target: { value: '{"field": "payload.total_gross", "op": "gte", "value": "100"}' },
    });
    fireEvent.click(within(form).getByRole("button", { name: "Create rule" }));

    expect(await within(form).findByText(message)).toBeTruthy();
    expect(fieldOf(within(form).getByText(message))).toEqual([points]);
    expect(points).toHaveProperty("value", "5000");
    expect(within(form).getByLabelText("Name")).toHaveProperty("value", "Big orders");
    expect(within(form).getByRole("alert").textContent).toBe("Not saved: correct what is marked above.");
    expect(calls.find((call) => call.operation === "ScoreRuleCreate")?.variables).toEqual({
      input: {
        name: "Big orders",
        eventType: "order.paid",
        points: 5000,
        capPoints: 0,
        capDays: 30,
        where: { field: "payload.total_gross", op: "gte", value: "100" },
        isActive: true,
      },
    });
  });

  it("refuses a condition that is not JSON before asking the server", async () => {
    const { calls } = fakeApi(answer());
    renderApp(<ScoreRules />, { path: "/audience/scoring" });
    await screen.findByText("Clicks");

    fireEvent.click(screen.getByRole("button", { name: "New score rule" }));
    const form = await screen.findByRole("form", { name: "New score rule" });
    fireEvent.change(within(form).getByLabelText("Only events matching (optional)"), { target: { value: "{broken" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create rule" }));

    expect(await within(form).findByText("This is not a valid JSON object.")).toBeTruthy();
    expect(calls.some((call) => call.operation === "ScoreRuleCreate")).toBe(false);
  });

  it("deletes only after confirming", async () => {
    const { calls } = fakeApi(answer());
    renderApp(<ScoreRules />, { path: "/audience/scoring" });

    fireEvent.click(await screen.findByRole("button", { name: "Delete Clicks" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete “Clicks”?" });
    expect(within(dialog).getByText(/points contacts already earned stay/)).toBeTruthy();
    expect(calls.some((call) => call.operation === "ScoreRuleDelete")).toBe(false);
    fireEvent.click(within(dialog).getByRole("button", { name: "Delete rule" }));

    expect(await screen.findByText("Score rule “Clicks” deleted.")).toBeTruthy();
    expect(calls.find((call) => call.operation === "ScoreRuleDelete")?.variables).toEqual({ id: clicks.id });
  });
});
