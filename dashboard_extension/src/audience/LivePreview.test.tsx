import { fireEvent, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { fakeApi, renderApp } from "../test/render";
import { LivePreview } from "./LivePreview";

interface Asked {
  tag: string;
  signal: AbortSignal | null | undefined;
  answer: (count: number) => void;
}

/** A server whose count answers come when the test says, in any order. */
function slowServer() {
  const asked: Asked[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: unknown, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as { query: string; variables: { rules: { all: { tag: string }[] } } };
      const json = (data: unknown) => new Response(JSON.stringify({ data }), { status: 200, headers: { "Content-Type": "application/json" } });
      if (body.query.includes("SegmentSamplePreview")) return json({ segmentSamplePreview: [] });
      // Like a slow server, it answers even after the request was given up.
      return new Promise<Response>((resolve) => {
        asked.push({
          tag: body.variables.rules.all[0].tag,
          signal: init?.signal,
          answer: (count) => resolve(json({ segmentCountPreview: count })),
        });
      });
    }),
  );
  return asked;
}

function Harness() {
  const [tag, setTag] = useState("a");
  return (
    <>
      <input aria-label="Tag" value={tag} onChange={(event) => setTag(event.target.value)} />
      <LivePreview rules={{ all: [{ tag }] }} />
    </>
  );
}

const status = () => screen.getByRole("status", { name: "Matching contacts" });

afterEach(() => vi.unstubAllGlobals());

describe("the live count", () => {
  it("asks once typing pauses, for the latest rules only, and never holds up typing", async () => {
    const asked = slowServer();
    renderApp(<Harness />);
    await waitFor(() => expect(asked.map((item) => item.tag)).toEqual(["a"]));
    asked[0].answer(10);
    await waitFor(() => expect(status().textContent).toContain("10"));

    const input = screen.getByLabelText("Tag");
    for (const text of ["ab", "abc", "abcd"]) {
      fireEvent.change(input, { target: { value: text } });
      expect(input).toHaveProperty("value", text);
    }
    expect(asked).toHaveLength(1);
    expect(status().getAttribute("aria-busy")).toBe("true");

    await waitFor(() => expect(asked.map((item) => item.tag)).toEqual(["a", "abcd"]));
    asked[1].answer(4);
    await waitFor(() => expect(status().textContent).toContain("4"));
    expect(status().getAttribute("aria-busy")).toBe("false");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(asked).toHaveLength(2);
  });

  it("cancels the question in flight, and its late answer never replaces a newer one", async () => {
    const asked = slowServer();
    renderApp(<Harness />);
    await waitFor(() => expect(asked).toHaveLength(1));
    asked[0].answer(10);

    fireEvent.change(screen.getByLabelText("Tag"), { target: { value: "b" } });
    await waitFor(() => expect(asked).toHaveLength(2));
    fireEvent.change(screen.getByLabelText("Tag"), { target: { value: "c" } });
    await waitFor(() => expect(asked).toHaveLength(3));
    expect(asked[1].signal?.aborted).toBe(true);

    asked[2].answer(30);
    await waitFor(() => expect(status().textContent).toContain("30"));
    asked[1].answer(20);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(status().textContent).toContain("30");
    expect(status().textContent).not.toContain("20");
  });

  it("names the rule a refusal is about, in the server's words", async () => {
    fakeApi((operation) =>
      operation === "SegmentCountPreview"
        ? { data: { segmentCountPreview: null }, errors: [{ message: "Enter a whole number.", extensions: { code: "INVALID", field: "rules.all[1].value" } }] }
        : { data: null, errors: [{ message: "Enter a whole number.", extensions: { code: "INVALID", field: "rules.all[1].value" } }] },
    );
    renderApp(<LivePreview rules={{ all: [{ tag: "coffee" }, { field: "orders_count", op: "gte", value: "x" }] }} />);

    expect(await screen.findByText("Rule 2: Enter a whole number.")).toBeTruthy();
  });
});
