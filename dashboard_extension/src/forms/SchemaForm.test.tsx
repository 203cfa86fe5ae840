import { fireEvent, screen } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it } from "vitest";

import { renderApp } from "../test/render";
import { formErrors, type JsonSchema, SchemaFields } from "./SchemaForm";

const VOUCHER: JsonSchema = {
  type: "object",
  properties: {
    discount_type: { type: "string", enum: ["percentage", "fixed", "free_shipping"] },
    discount_value: { type: ["string", "number"] },
    valid_days: { type: "integer", minimum: 0 },
  },
  required: [],
};

const SPLIT: JsonSchema = {
  type: "object",
  properties: {
    variants: {
      type: "array",
      items: { type: "object", properties: { name: { type: "string" }, weight: { type: "integer" }, next: { type: "string" } }, required: ["name", "next"] },
    },
    winner: { type: ["object", "boolean"], properties: { min_recipients: { type: "integer" }, probability: { type: "number" } } },
  },
  required: ["variants"],
};

function Harness({ schema, initial, errors = {} }: { schema: JsonSchema; initial: Record<string, unknown>; errors?: Record<string, string> }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <SchemaFields schema={schema} value={value} onChange={setValue} errors={errors} context={{ stepKeys: ["a", "b"], templateKeys: ["welcome_1"] }} />
      <output data-testid="value">{JSON.stringify(value)}</output>
    </>
  );
}

describe("a form drawn from a step type's schema", () => {
  it("edits numbers as numbers and keeps what is not a number yet", () => {
    renderApp(<Harness schema={VOUCHER} initial={{ valid_days: 14 }} />);

    fireEvent.change(screen.getByLabelText("Valid for (days)"), { target: { value: "21" } });
    expect(JSON.parse(screen.getByTestId("value").textContent!)).toEqual({ valid_days: 21 });

    fireEvent.change(screen.getByLabelText("Valid for (days)"), { target: { value: "2x" } });
    expect(JSON.parse(screen.getByTestId("value").textContent!)).toEqual({ valid_days: "2x" });
    expect(screen.getByLabelText("Valid for (days)")).toHaveProperty("value", "2x");
  });

  it("shows the server's error at the field it names", () => {
    const { fields, general } = formErrors(
      [
        { field: "steps[2].config.validDays", message: "Enter a whole number from 0 to 36500." },
        { field: "steps[2].config", message: "days, hours and minutes must be whole numbers." },
      ],
      /^(steps\[\d+\]\.)?config\.?/,
    );

    renderApp(<Harness schema={VOUCHER} initial={{ valid_days: -2 }} errors={fields} />);

    expect(screen.getByText("Enter a whole number from 0 to 36500.")).toBeTruthy();
    expect(general).toEqual(["days, hours and minutes must be whole numbers."]);
  });

  it("offers the flow's steps for a variant's successor and adds variants", () => {
    renderApp(<Harness schema={SPLIT} initial={{ variants: [{ name: "A", weight: 1, next: "a" }] }} />);

    fireEvent.click(screen.getByRole("button", { name: "Add" }));
    const successors = screen.getAllByLabelText("Then go to *");
    fireEvent.change(successors[1], { target: { value: "b" } });

    expect(JSON.parse(screen.getByTestId("value").textContent!).variants).toEqual([
      { name: "A", weight: 1, next: "a" },
      { next: "b" },
    ]);
  });

  it("switches an automatic winner on with its own settings", () => {
    renderApp(<Harness schema={SPLIT} initial={{ variants: [] }} />);

    fireEvent.click(screen.getByLabelText("Pick a winner automatically"));
    fireEvent.change(screen.getByLabelText("After at least (recipients)"), { target: { value: "200" } });

    expect(JSON.parse(screen.getByTestId("value").textContent!).winner).toEqual({ min_recipients: 200 });
  });
});

describe("a rule edited as JSON", () => {
  it("keeps text that does not parse yet and says so", () => {
    const schema: JsonSchema = { type: "object", properties: { condition: { type: "object", title: "Rule" } } };
    renderApp(<Harness schema={schema} initial={{ condition: { tag: "coffee" } }} />);

    fireEvent.change(screen.getByLabelText("Condition (rule)"), { target: { value: '{"tag": ' } });

    expect(screen.getByText("This is not valid JSON yet.")).toBeTruthy();
    expect(JSON.parse(screen.getByTestId("value").textContent!)).toEqual({ condition: { tag: "coffee" } });
    expect(screen.getByLabelText("Condition (rule)")).toHaveProperty("value", '{"tag": ');
  });
});
