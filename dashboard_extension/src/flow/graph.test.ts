import { describe, expect, it } from "vitest";

import { edgesOf, type FlowStep, layout } from "./graph";

const step = (key: string, type: string, config: unknown = {}, nextKey = ""): FlowStep => ({ key, type, name: "", config, nextKey });

describe("the flow graph", () => {
  it("follows default successors, branch arms and split variants", () => {
    const steps = [
      step("split", "SPLIT", { variants: [{ name: "A", weight: 3, next: "a" }, { name: "B", weight: 1, next: "b" }] }),
      step("a", "BRANCH", { then: "yes", else: "no" }),
      step("b", "SEND", { template: "t" }, "no"),
      step("yes", "GOAL"),
      step("no", "EXIT"),
    ];

    const edges = edgesOf(steps);

    expect(edges).toEqual([
      { source: "split", target: "a", label: "A", kind: "variant", share: 75 },
      { source: "split", target: "b", label: "B", kind: "variant", share: 25 },
      { source: "a", target: "yes", label: "yes", kind: "then" },
      { source: "a", target: "no", label: "no", kind: "else" },
      { source: "b", target: "no", label: "", kind: "next" },
    ]);
  });

  it("ignores successors that name no step", () => {
    expect(edgesOf([step("a", "SEND", {}, "gone")])).toEqual([]);
  });

  it("draws a chain top to bottom and the arms of a fork side by side", () => {
    const steps = [
      step("start", "SEND", {}, "fork"),
      step("fork", "BRANCH", { then: "left", else: "right" }),
      step("left", "SEND"),
      step("right", "SEND"),
    ];

    const placed = Object.fromEntries(layout(steps, "start").map((place) => [place.key, place]));

    expect(placed.start.y).toBeLessThan(placed.fork.y);
    expect(placed.left.y).toBe(placed.right.y);
    expect(placed.left.x).toBeLessThan(placed.right.x);
    expect(placed.start.x).toBe(placed.fork.x);
  });

  it("puts a step reached by two paths below both", () => {
    const steps = [
      step("fork", "BRANCH", { then: "short", else: "long" }),
      step("long", "WAIT", {}, "longer"),
      step("longer", "WAIT", {}, "end"),
      step("short", "SEND", {}, "end"),
      step("end", "GOAL"),
    ];

    const placed = Object.fromEntries(layout(steps, "fork").map((place) => [place.key, place]));

    expect(placed.end.depth).toBe(3);
  });
});
