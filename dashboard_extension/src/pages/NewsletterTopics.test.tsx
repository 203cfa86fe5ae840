import { fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { fakeApi, renderApp } from "../test/render";
import NewsletterTopics from "./NewsletterTopics";

const deals = {
  id: "TmV3c2xldHRlclRvcGljOjE=",
  slug: "deals",
  names: { en: "Deals", de: "Angebote", fr: "Promotions" },
  descriptions: { en: "Discounts and sales" },
  position: 2,
};

function answer({ createErrors = [], deleteErrors = [] }: { createErrors?: unknown[]; deleteErrors?: unknown[] } = {}) {
  return (operation: string, variables: Record<string, unknown>) => {
    switch (operation) {
      case "NewsletterTopicList":
        return { data: { newsletterTopics: { totalCount: 1, edges: [{ node: deals }] } } };
      case "NewsletterTopicCreate":
        return { data: { newsletterTopicCreate: { errors: createErrors, newsletterTopic: null } } };
      case "NewsletterTopicUpdate": {
        const input = variables.input as Record<string, unknown>;
        return { data: { newsletterTopicUpdate: { errors: [], newsletterTopic: { ...deals, ...input } } } };
      }
      case "NewsletterTopicDelete":
        return { data: { newsletterTopicDelete: { errors: deleteErrors, newsletterTopic: deleteErrors.length ? null : { id: deals.id } } } };
      default:
        return { data: {} };
    }
  };
}

afterEach(() => vi.unstubAllGlobals());

/** The inputs of the smallest part of the form around ``element`` that has any: its field. */
function fieldOf(element: HTMLElement): HTMLInputElement[] {
  let box: HTMLElement | null = element;
  while (box && !box.querySelector("input, textarea")) box = box.parentElement;
  return box ? Array.from(box.querySelectorAll<HTMLInputElement>("input, textarea")) : [];
}

describe("the newsletter topics page", () => {
  it("lists topics with their name, slug and position, next to the other audience pages", async () => {
    fakeApi(answer());
    renderApp(<NewsletterTopics />, { path: "/audience/topics" });

    const row = (await screen.findByText("Deals")).closest("tr")!;
    expect(within(row).getByText("deals")).toBeTruthy();
    expect(within(row).getByText("Discounts and sales")).toBeTruthy();
    expect(within(row).getByText("2")).toBeTruthy();
    expect(screen.getByText("1 newsletter topic")).toBeTruthy();
    const nav = screen.getByRole("navigation", { name: "Audience" });
    expect(within(nav).getByRole("link", { name: "Newsletter topics" }).getAttribute("aria-current")).toBe("page");
    expect(within(nav).getByRole("link", { name: "Segments" }).getAttribute("href")).toBe("/segments");
  });

  it("shows a refused slug at its field and keeps what was typed", async () => {
    const { calls } = fakeApi(answer({ createErrors: [{ field: "slug", code: "UNIQUE", message: "A topic with this slug exists." }] }));
    renderApp(<NewsletterTopics />, { path: "/audience/topics" });
    await screen.findByText("Deals");

    fireEvent.click(screen.getByRole("button", { name: "New topic" }));
    const form = await screen.findByRole("form", { name: "New topic" });
    fireEvent.change(within(form).getByLabelText("Slug"), { target: { value: "deals" } });
    fireEvent.change(within(form).getByLabelText("Name (English)"), { target: { value: "More deals" } });
    fireEvent.change(within(form).getByLabelText("Name (Polish)"), { target: { value: "Promocje" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create topic" }));

    const slug = within(form).getByLabelText("Slug");
    expect(await within(form).findByText("A topic with this slug exists.")).toBeTruthy();
    expect(fieldOf(within(form).getByText("A topic with this slug exists."))).toEqual([slug]);
    expect(within(form).getByRole("alert").textContent).toBe("Not saved: correct what is marked above.");
    expect((slug as HTMLInputElement).value).toBe("deals");
    expect((within(form).getByLabelText("Name (English)") as HTMLInputElement).value).toBe("More deals");
    expect(calls.find((call) => call.operation === "NewsletterTopicCreate")?.variables).toEqual({
      input: { slug: "deals", names: { en: "More deals", de: "", pl: "Promocje" }, descriptions: { en: "", de: "", pl: "" }, position: 0 },
    });
  });

  it("edits a topic without touching its slug or the languages the form does not show", async () => {
    const { calls } = fakeApi(answer());
    renderApp(<NewsletterTopics />, { path: "/audience/topics" });

    fireEvent.click(await screen.findByRole("button", { name: "Edit Deals" }));
    const form = await screen.findByRole("form", { name: "Edit “deals”" });
    expect((within(form).getByLabelText("Slug") as HTMLInputElement).disabled).toBe(true);
    fireEvent.change(within(form).getByLabelText("Name (English)"), { target: { value: "Best deals" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save topic" }));

    expect(await screen.findByText("Topic “Best deals” saved.")).toBeTruthy();
    expect(calls.find((call) => call.operation === "NewsletterTopicUpdate")?.variables).toEqual({
      id: deals.id,
      input: { names: { en: "Best deals", de: "Angebote", pl: "", fr: "Promotions" }, descriptions: { en: "Discounts and sales", de: "", pl: "" }, position: 2 },
    });
  });

  it("deletes only after confirming, and says why a topic in use stays", async () => {
    const { calls } = fakeApi(answer({ deleteErrors: [{ field: "id", code: "INVALID", message: "Campaigns use this topic: Weekly. Change or archive them first." }] }));
    renderApp(<NewsletterTopics />, { path: "/audience/topics" });

    fireEvent.click(await screen.findByRole("button", { name: "Delete Deals" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete “Deals”?" });
    expect(within(dialog).getByText(/disappears from the preference centre/)).toBeTruthy();
    expect(calls.some((call) => call.operation === "NewsletterTopicDelete")).toBe(false);
    fireEvent.click(within(dialog).getByRole("button", { name: "Delete topic" }));

    expect(await within(dialog).findByText("Campaigns use this topic: Weekly. Change or archive them first.")).toBeTruthy();
    expect(calls.find((call) => call.operation === "NewsletterTopicDelete")?.variables).toEqual({ id: deals.id });
  });
});
