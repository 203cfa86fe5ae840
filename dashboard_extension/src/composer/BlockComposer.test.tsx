import { fireEvent, screen, within } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { fakeApi, renderApp } from "../test/render";
import { BlockComposer } from "./BlockComposer";
import { type Block, blockErrors, BLOCK_TYPES } from "./blocks";

afterEach(() => vi.unstubAllGlobals());

function Harness({ initial, errors = [], onChange }: { initial: Block[]; errors?: { field: string; message: string }[]; onChange: (blocks: Block[]) => void }) {
  const [blocks, setBlocks] = useState<Block[]>(initial);
  return (
    <BlockComposer
      value={blocks}
      errors={errors}
      voucherSteps={[{ key: "code", name: "Welcome code" }]}
      onChange={(next) => {
        setBlocks(next);
        onChange(next);
      }}
    />
  );
}

const last = (onChange: ReturnType<typeof vi.fn>) => onChange.mock.calls.at(-1)?.[0] as Block[];
const block = (name: string) => screen.getByRole("listitem", { name });

describe("the block composer", () => {
  it("adds a block of every type from the menu, each with the defaults the server expects", () => {
    fakeApi(() => ({ data: { ruleKinds: [], ruleFields: [], segments: null, newsletterTopics: null, interestGroups: [] } }));
    const onChange = vi.fn();
    renderApp(<Harness initial={[]} onChange={onChange} />);

    for (const type of BLOCK_TYPES) {
      fireEvent.change(screen.getByLabelText("Block to add"), { target: { value: type } });
      fireEvent.click(screen.getByRole("button", { name: "Add block" }));
    }

    expect(last(onChange)).toEqual([
      { type: "heading", text: "" },
      { type: "text", html: "" },
      { type: "image", url: "", alt: "" },
      { type: "button", label: "", url: "" },
      { type: "divider" },
      { type: "product_picks", source: "sku", values: [], limit: 4 },
      { type: "product_feed", source: "bestsellers", limit: 4 },
      { type: "content_feed", source: "rss", url: "", limit: 3 },
      { type: "voucher" },
      { type: "conditional", rule: {}, blocks: [] },
    ]);
    expect(screen.getByText(/Each reader's own code, from the voucher step “Welcome code”/)).toBeTruthy();
  });

  it("moves blocks up and down with buttons, keeps focus on the moved block and removes blocks", () => {
    const onChange = vi.fn();
    renderApp(
      <Harness
        initial={[
          { type: "heading", text: "Spring" },
          { type: "divider" },
          { type: "button", label: "Shop", url: "https://shop.example.com" },
        ]}
        onChange={onChange}
      />,
    );

    expect(screen.getByRole("button", { name: "Move Block 1: Heading up" })).toHaveProperty("disabled", true);
    fireEvent.click(screen.getByRole("button", { name: "Move Block 3: Button up" }));

    expect(last(onChange).map((item) => item.type)).toEqual(["heading", "button", "divider"]);
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Move Block 2: Button up" }));
    expect(screen.getByText("Button moved to position 2 of 3.")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Move Block 1: Heading down" }));
    expect(last(onChange).map((item) => item.type)).toEqual(["button", "heading", "divider"]);
    // The button typed into keeps its text wherever it moved.
    expect(within(block("Block 1: Button")).getByLabelText("Label")).toHaveProperty("value", "Shop");

    fireEvent.click(screen.getByRole("button", { name: "Remove Block 3: Divider" }));
    expect(last(onChange)).toEqual([
      { type: "button", label: "Shop", url: "https://shop.example.com" },
      { type: "heading", text: "Spring" },
    ]);
  });

  it("picks products from the catalogue by SKU and sets how many", async () => {
    const { calls } = fakeApi((operation, variables) =>
      operation === "CatalogueSearch" && variables.kind === "PRODUCT"
        ? { data: { catalogueSearch: [{ value: "ESP-1KG", label: "Espresso · 1 kg (ESP-1KG)" }] } }
        : { data: { catalogueSearch: [] } },
    );
    const onChange = vi.fn();
    renderApp(<Harness initial={[{ type: "product_picks", source: "sku", values: [], limit: 4 }]} onChange={onChange} />);

    fireEvent.change(screen.getByLabelText("Search the catalogue"), { target: { value: "espresso" } });
    fireEvent.click(await screen.findByRole("button", { name: "Espresso · 1 kg (ESP-1KG)" }, { timeout: 2000 }));
    fireEvent.change(screen.getByLabelText("How many"), { target: { value: "2" } });

    expect(calls.find((call) => call.operation === "CatalogueSearch")?.variables).toEqual({ kind: "PRODUCT", search: "espresso" });
    expect(last(onChange)).toEqual([{ type: "product_picks", source: "sku", values: ["ESP-1KG"], limit: 2 }]);
    expect(screen.getByRole("button", { name: "Remove Espresso · 1 kg (ESP-1KG)" })).toBeTruthy();

    fireEvent.change(screen.getByLabelText("Source"), { target: { value: "collection" } });
    expect(last(onChange)).toEqual([{ type: "product_picks", source: "collection", limit: 2 }]);
  });

  it("checks a feed's address when it is left and keeps it as typed", () => {
    const onChange = vi.fn();
    renderApp(<Harness initial={[{ type: "content_feed", source: "rss", url: "", limit: 3 }]} onChange={onChange} />);

    const address = screen.getByLabelText("Feed address");
    fireEvent.change(address, { target: { value: "blog.example.com/feed" } });
    fireEvent.blur(address);

    expect(screen.getByText("Enter the feed's full address, such as https://blog.example.com/feed.")).toBeTruthy();
    expect(address).toHaveProperty("value", "blog.example.com/feed");

    fireEvent.change(address, { target: { value: "https://blog.example.com/feed" } });
    expect(screen.queryByText("Enter the feed's full address, such as https://blog.example.com/feed.")).toBeNull();
    expect(last(onChange)).toEqual([{ type: "content_feed", source: "rss", url: "https://blog.example.com/feed", limit: 3 }]);
  });

  it("shows the server's errors at the block and field they name", () => {
    renderApp(
      <Harness
        initial={[
          { type: "heading", text: { en: "Hi", de: "" } },
          { type: "content_feed", source: "rss", url: "http://10.0.0.1/feed", limit: 3 },
          { type: "voucher" },
          { type: "conditional", rule: { tag: "" }, blocks: [{ type: "button", label: "Go", url: "" }] },
        ]}
        errors={[
          { field: "steps[0].config.blocks[0].text.de", message: "This field is required." },
          { field: "steps[0].config.blocks[1].url", message: "Internal addresses are not allowed." },
          { field: "steps.news.config.blocks[2]", message: "A voucher block needs a voucher step before it in the flow." },
          { field: "steps[0].config.blocks[3].blocks[0].url", message: "Enter an absolute https URL." },
        ]}
        onChange={() => {}}
      />,
    );

    expect(within(block("Block 1: Heading")).getByText("This field is required.")).toBeTruthy();
    expect(within(block("Block 2: Content feed")).getByText("Internal addresses are not allowed.")).toBeTruthy();
    expect(within(block("Block 2: Content feed")).getByLabelText("Feed address")).toHaveProperty("value", "http://10.0.0.1/feed");
    expect(within(block("Block 3: Personal voucher")).getByText("A voucher block needs a voucher step before it in the flow.")).toBeTruthy();
    const nested = within(block("Block 4: Only for some contacts"));
    expect(within(nested.getByRole("listitem", { name: "Block 1: Button" })).getByText("Enter an absolute https URL.")).toBeTruthy();
  });
});

describe("block errors", () => {
  it("sorts the API's paths by block and field, localized texts at their field", () => {
    const errors = blockErrors([
      { field: "steps[2].config.blocks", message: "Use at most 40 blocks." },
      { field: "steps[2].config.blocks[1].title.de", message: "Use at most 300 characters." },
      { field: "steps[2].config.blocks[4].rule.all[0].tag", message: "Name a tag." },
      { field: "steps[2].config.template", message: "Not mine." },
    ]);
    expect(errors.list).toEqual(["Use at most 40 blocks."]);
    expect(Object.fromEntries(errors.blocks)).toEqual({
      1: { title: "Use at most 300 characters." },
      4: { "rule.all[0].tag": "Name a tag." },
    });
  });
});
