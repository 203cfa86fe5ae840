// Content blocks as a send step stores them (see messaging/blocks/spec.py): plain JSON, edited
// in place, with what the composer needs to add, move and remove them and to place the
// server's errors at the block and field they name.
import { z } from "zod";

export type Block = Record<string, unknown> & { type: string };

/** Every block type, in the order the add menu offers them. */
export const BLOCK_TYPES = [
  "heading",
  "text",
  "image",
  "button",
  "divider",
  "product_picks",
  "product_feed",
  "content_feed",
  "voucher",
  "conditional",
] as const;
export type BlockType = (typeof BLOCK_TYPES)[number];

/** At most this many blocks in a message, a conditional block's own blocks included. */
export const MAX_BLOCKS = 40;
/** Product and feed blocks list at most this many items. */
export const MAX_ITEMS = 12;
export const LANGUAGES = ["en", "de", "pl"] as const;

/** A new block of ``type``: what the server needs, with the defaults it would use. */
export function newBlock(type: BlockType): Block {
  switch (type) {
    case "product_picks":
      return { type, source: "sku", values: [], limit: 4 };
    case "product_feed":
      return { type, source: "bestsellers", limit: 4 };
    case "content_feed":
      return { type, source: "rss", url: "", limit: 3 };
    case "conditional":
      return { type, rule: {}, blocks: [] };
    case "heading":
      return { type, text: "" };
    case "text":
      return { type, html: "" };
    case "image":
      return { type, url: "", alt: "" };
    case "button":
      return { type, label: "", url: "" };
    default:
      return { type };
  }
}

export function asBlocks(value: unknown): Block[] {
  return Array.isArray(value)
    ? value.filter((item): item is Block => typeof item === "object" && item !== null && typeof (item as Block).type === "string")
    : [];
}

export function countBlocks(blocks: Block[]): number {
  return blocks.reduce((total, block) => total + 1 + (block.type === "conditional" ? asBlocks(block.blocks).length : 0), 0);
}

export function moved<T>(items: T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length || from === to) return items;
  const next = [...items];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
}

export function without<T>(items: T[], index: number): T[] {
  return items.filter((_, position) => position !== index);
}

export function replaced<T>(items: T[], index: number, item: T): T[] {
  return items.map((current, position) => (position === index ? item : current));
}

export interface BlockErrors {
  /** Errors about the whole list (too many blocks). */
  list: string[];
  /** By block position: the block's own errors ("" key) and its fields' ("url", "rule.tag", "blocks[1].text"). */
  blocks: Map<number, Record<string, string>>;
}

/**
 * The API's errors of a send step, by block and field. Paths arrive as mutations name them:
 * ``steps[0].config.blocks[3].url`` (a parsed step) or ``steps.news.config.blocks[2]`` (a
 * flow check); a localized text's ``.de`` belongs to its field.
 */
export function blockErrors(errors: { field?: string | null; message: string }[], prefix = "blocks"): BlockErrors {
  const result: BlockErrors = { list: [], blocks: new Map() };
  for (const error of errors) {
    const field = (error.field ?? "").replace(/^steps(\[\d+\]|\.[^.]+)\.config\./, "").replace(/^config\./, "");
    if (field === prefix) {
      result.list.push(error.message);
      continue;
    }
    const match = new RegExp(`^${prefix.replace(/[[\]]/g, "\\$&")}\\[(\\d+)\\]\\.?(.*)$`).exec(field);
    if (!match) continue;
    const index = Number(match[1]);
    let rest = match[2];
    if (!rest.startsWith("rule") && !rest.startsWith("blocks[")) rest = rest.replace(/\.(en|de|pl|[a-z]{2}(-[a-z0-9]+)?)$/, "");
    const entry = result.blocks.get(index) ?? {};
    entry[rest] = entry[rest] ? `${entry[rest]} ${error.message}` : error.message;
    result.blocks.set(index, entry);
  }
  return result;
}

/** Equal JSON values, whatever the order of their keys (the database stores them sorted). */
export function sameJson(left: unknown, right: unknown): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : typeof value === "object" && value !== null
        ? Object.fromEntries(
            Object.entries(value)
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              .map(([key, item]) => [key, canonical(item)]),
          )
        : value;
  return JSON.stringify(canonical(left)) === JSON.stringify(canonical(right));
}

/** Whether an error path belongs to the blocks (the rest of the step's form shows the others). */
export function isBlockError(field: string | null | undefined): boolean {
  return /^(steps(\[\d+\]|\.[^.]+)\.)?config\.blocks(\[|$)/.test(field ?? "");
}

/** A feed's address as the server will check it further (https, public host): absolute http(s). */
export const feedUrl = z
  .string()
  .trim()
  .min(1)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "https:" || url.protocol === "http:") && Boolean(url.hostname);
    } catch {
      return false;
    }
  });

/** A link or picture in a mail: an absolute https URL. */
export const webUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      return new URL(value).protocol === "https:";
    } catch {
      return false;
    }
  });
