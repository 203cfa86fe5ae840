import { fireEvent, screen, within } from "@testing-library/react";
import { Route, Routes } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";

import { definitions } from "../audience/fixtures";
import { fakeApi, renderApp } from "../test/render";
import SegmentEditor from "./SegmentEditor";

const segment = {
  id: "U2VnbWVudDo3",
  name: "Coffee buyers",
  description: "",
  rules: { all: [{ tag: "coffee" }, { field: "orders_count", op: "gte", value: 1 }] },
  memberCount: 12,
  countedAt: "2026-12-05T08:00:00+00:00",
  createdAt: "2026-12-01T08:00:00+00:00",
  updatedAt: "2026-12-05T09:00:00.000000+00:00",
};

function answer(mutation: Record<string, unknown>) {
  return (operation: string) => {
    switch (operation) {
      case "Segment":
        return { data: { segment } };
      case "RuleBuilderDefinitions":
        return { data: definitions };
      case "SegmentPresets":
        return { data: { segmentPresets: [] } };
      case "SegmentCountPreview":
        return { data: { segmentCountPreview: 12 } };
      case "SegmentSamplePreview":
        return { data: { segmentSamplePreview: [] } };
      default:
        return { data: mutation };
    }
  };
}

function renderEditor(path = `/segments/${segment.id}`) {
  renderApp(
    <Routes>
      <Route path="/segments/new" element={<SegmentEditor />} />
      <Route path="/segments/:id" element={<SegmentEditor />} />
    </Routes>,
    { path },
  );
}

afterEach(() => vi.unstubAllGlobals());

describe("the segment editor", () => {
  it("shows the server's error at the rule it names and keeps what was typed", async () => {
    const { calls } = fakeApi(
      answer({ segmentUpdate: { errors: [{ field: "rules.all[1].value", code: "INVALID", message: "Enter a whole number." }], segment: null } }),
    );
    renderEditor();

    const second = await screen.findByRole("group", { name: "Rule 2" });
    fireEvent.change(within(second).getByLabelText("Value"), { target: { value: "3x" } });
    fireEvent.click(screen.getByRole("button", { name: "Save segment" }));

    expect(await within(second).findByText("Enter a whole number.")).toBeTruthy();
    expect(within(second).getByLabelText("Value")).toHaveProperty("value", "3x");
    expect(within(screen.getByRole("group", { name: "Rule 1" })).queryByText("Enter a whole number.")).toBeNull();
    const update = calls.find((call) => call.operation === "SegmentUpdate")!;
    expect(update.variables).toEqual({
      id: segment.id,
      expectedUpdatedAt: segment.updatedAt,
      input: { name: "Coffee buyers", description: "", rules: { all: [{ tag: "coffee" }, { field: "orders_count", op: "gte", value: "3x" }] } },
    });
  });

  it("refuses to overwrite someone else's newer save, says so and keeps what was typed", async () => {
    const message = "Someone else saved this at Dec. 5, 2026, 9:30 a.m., after you opened it. Reload to see their changes, then make yours again.";
    fakeApi(answer({ segmentUpdate: { errors: [{ field: "expectedUpdatedAt", code: "CONFLICT", message }], segment: null } }));
    renderEditor();

    const name = await screen.findByLabelText("Name");
    fireEvent.change(name, { target: { value: "Coffee lovers" } });
    fireEvent.change(within(screen.getByRole("group", { name: "Rule 1" })).getByLabelText("Tag"), { target: { value: "espresso" } });
    fireEvent.click(screen.getByRole("button", { name: "Save segment" }));

    expect((await screen.findByRole("alert")).textContent).toBe(message);
    expect(screen.getByLabelText("Name")).toHaveProperty("value", "Coffee lovers");
    expect(within(screen.getByRole("group", { name: "Rule 1" })).getByLabelText("Tag")).toHaveProperty("value", "espresso");
  });

  it("starts a segment for an interest group with its tag", async () => {
    const { calls } = fakeApi(answer({ segmentCreate: { errors: [], segment: { ...segment, name: "Interested in coffee" } } }));
    renderEditor(`/segments/new?${new URLSearchParams({ tag: "interest:coffee", name: "Interested in coffee" })}`);

    expect(await screen.findByLabelText("Name")).toHaveProperty("value", "Interested in coffee");
    expect(within(screen.getByRole("group", { name: "Rule 1" })).getByLabelText("Tag")).toHaveProperty("value", "interest:coffee");
    fireEvent.click(screen.getByRole("button", { name: "Create segment" }));

    await screen.findByRole("heading", { name: "Interested in coffee" });
    expect(calls.find((call) => call.operation === "SegmentCreate")?.variables).toEqual({
      input: { name: "Interested in coffee", description: "", rules: { all: [{ tag: "interest:coffee" }] } },
    });
  });
});
