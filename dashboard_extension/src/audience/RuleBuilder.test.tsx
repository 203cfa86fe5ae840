import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { fakeApi, renderApp } from "../test/render";
import { context } from "./fixtures";
import { RuleBuilder } from "./RuleBuilder";

function lastEmitted(onChange: ReturnType<typeof vi.fn>) {
  return onChange.mock.calls.at(-1)?.[0];
}

const rule = (label: string) => screen.getByRole("group", { name: `Rule ${label}` });

/** The suggestions a text field offers (its datalist), as value and label. */
function suggestions(input: HTMLElement) {
  const list = document.getElementById(input.getAttribute("list") ?? "");
  return [...(list?.querySelectorAll("option") ?? [])].map((option) => [option.value, option.getAttribute("label")]);
}

afterEach(() => vi.unstubAllGlobals());

describe("the rule builder", () => {
  it("emits the rule JSON of nested all and any groups, negations included", () => {
    const onChange = vi.fn();
    renderApp(<RuleBuilder value={{ all: [] }} onChange={onChange} context={context} />);

    fireEvent.click(screen.getByRole("button", { name: "Add rule" }));
    fireEvent.change(within(rule("1")).getByLabelText("Criterion"), { target: { value: "field:orders_count" } });
    fireEvent.change(within(rule("1")).getByLabelText("Operator"), { target: { value: "gte" } });
    fireEvent.change(within(rule("1")).getByLabelText("Value"), { target: { value: "2" } });

    fireEvent.click(screen.getByRole("button", { name: "Add group" }));
    const group = screen.getByRole("group", { name: "Group 2" });
    expect(within(group).getByLabelText("Group 2 matches")).toHaveProperty("value", "any");
    fireEvent.click(within(group).getByRole("button", { name: "Add rule to group 2" }));
    fireEvent.change(within(rule("2.1")).getByLabelText("Criterion"), { target: { value: "kind:tag" } });
    fireEvent.change(within(rule("2.1")).getByLabelText("Tag"), { target: { value: "coffee" } });
    fireEvent.click(within(rule("2.1")).getByLabelText(/Exclude/));
    fireEvent.click(within(group).getByRole("button", { name: "Add rule to group 2" }));
    expect(within(rule("2.2")).getByLabelText("Criterion")).toHaveProperty("value", "kind:consent");
    fireEvent.change(within(rule("2.2")).getByLabelText("Channel"), { target: { value: "sms" } });

    fireEvent.click(within(group).getByRole("button", { name: "Add group to group 2" }));
    fireEvent.click(screen.getByRole("button", { name: "Add rule to group 2.3" }));
    fireEvent.change(within(rule("2.3.1")).getByLabelText("Criterion"), { target: { value: "field:last_order_at" } });
    fireEvent.change(within(rule("2.3.1")).getByLabelText("Days"), { target: { value: "30" } });

    expect(lastEmitted(onChange)).toEqual({
      all: [
        { field: "orders_count", op: "gte", value: 2 },
        {
          any: [
            { not: { tag: "coffee" } },
            { consent: { channel: "sms", status: "subscribed" } },
            { all: [{ field: "last_order_at", op: "within_days", value: 30 }] },
          ],
        },
      ],
    });
  });

  it("reads a stored tree and changes only what is edited", () => {
    const stored = {
      any: [
        { all: [{ tag: "vip" }, { not: { field: "email", op: "contains", value: "@example.com" } }] },
        { rfm: { recency_days_max: 30, frequency_min: 5 } },
        { mystery: { kept: true } },
      ],
    };
    const onChange = vi.fn();
    renderApp(<RuleBuilder value={stored} onChange={onChange} context={context} />);

    expect(screen.getByLabelText("Contacts match")).toHaveProperty("value", "any");
    expect(within(rule("1.2")).getByLabelText(/Exclude/)).toHaveProperty("checked", true);
    fireEvent.change(within(rule("2")).getByLabelText("Orders at least"), { target: { value: "3" } });
    fireEvent.click(screen.getByRole("button", { name: "Remove rule 1.1" }));

    expect(lastEmitted(onChange)).toEqual({
      any: [
        { all: [{ not: { field: "email", op: "contains", value: "@example.com" } }] },
        { rfm: { recency_days_max: 30, frequency_min: 3 } },
        { mystery: { kept: true } },
      ],
    });
  });

  it("shows each server error at the rule and the part it names", () => {
    renderApp(
      <RuleBuilder
        value={{ all: [{ tag: "vip" }, { any: [{ field: "orders_count", op: "gte", value: "2x" }, { rfm: { recency_days_min: 9, recency_days_max: 3 } }] }] }}
        onChange={() => {}}
        context={context}
        errors={[
          { field: "rules.all[1].any[0].value", message: "Enter a whole number." },
          { field: "rules.all[1].any[1].rfm.recencyDaysMax", message: "Must not be less than recency_days_min." },
        ]}
      />,
    );

    expect(within(rule("2.1")).getByText("Enter a whole number.")).toBeTruthy();
    expect(within(rule("2.1")).getByLabelText("Value")).toHaveProperty("value", "2x");
    expect(within(rule("2.2")).getByText("Must not be less than recency_days_min.")).toBeTruthy();
    expect(within(rule("1")).queryByText("Enter a whole number.")).toBeNull();
  });

  it("suggests tags in use that contain what is typed, most used first, and keeps any typed tag", async () => {
    const { calls } = fakeApi((_operation, variables) => ({
      data: {
        contactTags: variables.search
          ? [{ name: "espresso", contacts: 3 }]
          : [{ name: "coffee", contacts: 12 }, { name: "vip", contacts: 1 }],
      },
    }));
    const onChange = vi.fn();
    renderApp(<RuleBuilder value={{ all: [{ tag: "" }] }} onChange={onChange} context={{ ...context, tags: ["interest:espresso"] }} />);

    const tag = within(rule("1")).getByLabelText("Tag");
    await waitFor(() =>
      expect(suggestions(tag)).toEqual([
        ["coffee", "12 contacts"],
        ["vip", "1 contact"],
        ["interest:espresso", null],
      ]),
    );
    fireEvent.change(tag, { target: { value: "esp" } });
    await waitFor(() => expect(suggestions(tag)).toEqual([["espresso", "3 contacts"], ["interest:espresso", null]]));
    expect(calls.map((call) => call.variables)).toEqual([
      { search: "", first: 20 },
      { search: "esp", first: 20 },
    ]);
    fireEvent.change(tag, { target: { value: "brand-new" } });
    expect(lastEmitted(onChange)).toEqual({ all: [{ tag: "brand-new" }] });
  });

  it("suggests the event types the API names, with their labels, and keeps a storefront's own", () => {
    const onChange = vi.fn();
    renderApp(<RuleBuilder value={{ all: [{ event: { type: "" } }] }} onChange={onChange} context={context} />);

    const type = within(rule("1")).getByLabelText("Event type");
    expect(suggestions(type)).toEqual([
      ["order.created", "Order created"],
      ["product.viewed", "Product viewed"],
      ["notify.order_confirmation", "Saleor notification: order confirmation"],
    ]);
    fireEvent.change(type, { target: { value: "wishlist.added" } });
    expect(lastEmitted(onChange)).toEqual({ all: [{ event: { type: "wishlist.added" } }] });
  });
});
