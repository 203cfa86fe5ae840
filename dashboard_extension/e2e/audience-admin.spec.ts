// An administrator creates a newsletter topic, renames it and deletes it after confirming, then
// creates a score rule; a taken slug is refused at its field; the pages are accessible.
import { expect, type Page, test } from "@playwright/test";

import { ADMIN_STATE } from "./global-setup";
import { expectAccessible } from "./helpers";

test.use({ storageState: ADMIN_STATE });

async function api(page: Page, query: string) {
  const answer = await page.request.post("/graphql/", { data: { query } });
  expect(answer.ok()).toBe(true);
  const body = await answer.json();
  expect(body.errors).toBeUndefined();
  return body.data;
}

async function topicSlugs(page: Page): Promise<Record<string, Record<string, string>>> {
  const data = await api(page, "{ newsletterTopics(first: 100) { edges { node { slug names } } } }");
  return Object.fromEntries(
    data.newsletterTopics.edges.map((edge: { node: { slug: string; names: Record<string, string> } }) => [edge.node.slug, edge.node.names]),
  );
}

test("create a topic, rename it, delete it after confirming; create a score rule", async ({ page }) => {
  const slug = `e2e-deals-${Date.now()}`;
  await page.goto("/dashboard/");
  await page.getByRole("navigation").getByRole("link", { name: "Audience" }).click();
  const parts = page.getByRole("navigation", { name: "Audience" });
  await parts.getByRole("link", { name: "Newsletter topics" }).click();
  await expect(page).toHaveURL(/\/dashboard\/audience\/topics$/);
  await expect(page.getByRole("heading", { name: "Audience", level: 1 })).toBeVisible();
  await expect(page.getByRole("table", { name: "Newsletter topics" }).or(page.getByText("No topics yet.", { exact: false }))).toBeVisible();
  await expectAccessible(page);

  // Create.
  await page.getByRole("button", { name: "New topic" }).click();
  let form = page.getByRole("form", { name: "New topic" });
  await form.getByLabel("Slug").fill(slug);
  await form.getByLabel("Name (English)").fill("E2E deals");
  await form.getByLabel("Name (German)").fill("E2E Angebote");
  await form.getByLabel("Description (English)").fill("Discounts first");
  await expectAccessible(page);
  await form.getByRole("button", { name: "Create topic" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Topic “E2E deals” saved." })).toBeVisible();
  const table = page.getByRole("table", { name: "Newsletter topics" });
  await expect(table.getByRole("row").filter({ hasText: slug })).toContainText("E2E deals");
  expect((await topicSlugs(page))[slug]).toEqual({ en: "E2E deals", de: "E2E Angebote" });

  // The same slug again: refused at its field, what was typed stays.
  await page.getByRole("button", { name: "New topic" }).click();
  form = page.getByRole("form", { name: "New topic" });
  await form.getByLabel("Slug").fill(slug);
  await form.getByLabel("Name (English)").fill("Twice");
  await form.getByRole("button", { name: "Create topic" }).click();
  await expect(form.getByText("A topic with this slug exists.")).toBeVisible();
  await expect(form.getByRole("alert")).toHaveText("Not saved: correct what is marked above.");
  await expect(form.getByLabel("Slug")).toHaveValue(slug);
  await expect(form.getByLabel("Name (English)")).toHaveValue("Twice");
  await expectAccessible(page);
  await form.getByRole("button", { name: "Cancel" }).click();
  await expect(form).toHaveCount(0);

  // Edit.
  await page.getByRole("button", { name: "Edit E2E deals" }).click();
  form = page.getByRole("form", { name: `Edit “${slug}”` });
  await expect(form.getByLabel("Slug")).toBeDisabled();
  await form.getByLabel("Name (English)").fill("E2E best deals");
  await form.getByLabel("Position").fill("7");
  await form.getByRole("button", { name: "Save topic" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Topic “E2E best deals” saved." })).toBeVisible();
  await expect(table.getByRole("row").filter({ hasText: slug })).toContainText("E2E best deals");
  expect((await topicSlugs(page))[slug]).toEqual({ en: "E2E best deals", de: "E2E Angebote" });

  // Delete, after confirming.
  await page.getByRole("button", { name: "Delete E2E best deals" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete “E2E best deals”?" });
  await expect(dialog).toBeVisible();
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "Delete topic" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole("status").filter({ hasText: "Topic “E2E best deals” deleted." })).toBeVisible();
  await expect(page.getByText(slug)).toHaveCount(0);
  expect(await topicSlugs(page)).not.toHaveProperty(slug);

  // A score rule.
  await parts.getByRole("link", { name: "Score rules" }).click();
  await expect(page).toHaveURL(/\/dashboard\/audience\/scoring$/);
  await page.getByRole("button", { name: "New score rule" }).click();
  form = page.getByRole("form", { name: "New score rule" });
  await form.getByLabel("Name", { exact: true }).fill("E2E big orders");
  await form.getByLabel("Event type").fill("order.paid");
  await form.getByLabel("Points", { exact: true }).fill("10");
  await form.getByLabel("Most points").fill("50");
  await form.getByLabel("Cap period (days)").fill("7");
  await form.getByLabel("Only events matching (optional)").fill('{"field": "payload.total_gross", "op": "gte", "value": "100"}');
  await expectAccessible(page);
  await form.getByRole("button", { name: "Create rule" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Score rule “E2E big orders” saved." })).toBeVisible();
  const row = page.getByRole("table", { name: "Score rules" }).getByRole("row").filter({ hasText: "E2E big orders" });
  await expect(row).toContainText("+10");
  await expect(row).toContainText("at most 50 in 7 days");
  const rules = (await api(page, "{ scoreRules { name eventType points capPoints capDays where isActive } }")).scoreRules;
  expect(rules.find((rule: { name: string }) => rule.name === "E2E big orders")).toMatchObject({
    eventType: "order.paid",
    points: 10,
    capPoints: 50,
    capDays: 7,
    isActive: true,
  });
  await expectAccessible(page);
});
