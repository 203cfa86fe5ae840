// An administrator builds a segment from three rules on the demo shop's data: the live count
// agrees with the API's own count of the same rules; the segment is saved and reopened.
import { expect, type Page, test } from "@playwright/test";

import { ADMIN_STATE } from "./global-setup";
import { expectAccessible } from "./helpers";

test.use({ storageState: ADMIN_STATE });

const NAME = "Buyers who browse (e2e)";
const RULES = {
  all: [
    { field: "orders_count", op: "gte", value: 1 },
    { consent: { channel: "email", status: "subscribed" } },
    { event: { type: "product.viewed", within_days: 14 } },
  ],
};

async function api(page: Page, query: string, variables: Record<string, unknown> = {}) {
  const answer = await page.request.post("/graphql/", { data: { query, variables } });
  expect(answer.ok()).toBe(true);
  const body = await answer.json();
  expect(body.errors).toBeUndefined();
  return body.data;
}

function liveCount(page: Page) {
  return page.getByRole("status", { name: "Matching contacts" });
}

test("build a segment of three rules, match the API's count, save and reopen it", async ({ page }) => {
  const expected: number = (await api(page, "query ($rules: JSON!) { segmentCountPreview(rules: $rules) }", { rules: RULES }))
    .segmentCountPreview;
  const everyone: number = (await api(page, "{ segmentCountPreview(rules: {}) }")).segmentCountPreview;
  expect(expected).toBeGreaterThan(0);

  await page.goto("/dashboard/");
  await page.getByRole("navigation").getByRole("link", { name: "Audience" }).click();
  await expect(page.getByRole("heading", { name: "Audience", level: 1 })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "New segment" }).first().click();

  await expect(page.getByRole("heading", { name: "New segment", level: 1 })).toBeVisible();
  await expect(liveCount(page)).toHaveAttribute("aria-busy", "false");
  await expect(liveCount(page)).toContainText(everyone.toLocaleString("en-US"));
  await page.getByLabel("Name").fill(NAME);

  await page.getByRole("button", { name: "Add rule" }).click();
  const first = page.getByRole("group", { name: "Rule 1" });
  await first.getByLabel("Criterion").selectOption({ label: "Number of orders" });
  await first.getByLabel("Operator").selectOption({ label: "at least" });
  await first.getByLabel("Value").fill("1");

  await page.getByRole("button", { name: "Add rule" }).click();
  const second = page.getByRole("group", { name: "Rule 2" });
  await second.getByLabel("Criterion").selectOption({ label: "Consent" });
  await expect(second.getByLabel("Channel")).toHaveValue("email");
  await expect(second.getByLabel("Status")).toHaveValue("subscribed");

  await page.getByRole("button", { name: "Add rule" }).click();
  const third = page.getByRole("group", { name: "Rule 3" });
  await third.getByLabel("Criterion").selectOption({ label: "Event" });
  await third.getByLabel("Event type").fill("product.viewed");
  await third.getByLabel("Within the last (days)").fill("14");

  await expect(liveCount(page)).toHaveAttribute("aria-busy", "false");
  await expect(liveCount(page)).toContainText(expected.toLocaleString("en-US"));
  await expect(liveCount(page)).toContainText(expected === 1 ? "contact matches these rules now" : "contacts match these rules now");
  await expect(page.getByRole("heading", { name: "For example" })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("button", { name: "Create segment" }).click();
  await expect(page.getByRole("heading", { name: NAME, level: 1 })).toBeVisible();
  await expect(page.getByText("Segment saved; its members were counted again.")).toBeVisible();
  await expect(page.getByText(`${expected} ${expected === 1 ? "member" : "members"} as of`)).toBeVisible();
  const id = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
  const stored = (await api(page, "query ($id: ID!) { segment(id: $id) { rules memberCount } }", { id })).segment;
  expect(stored).toEqual({ rules: RULES, memberCount: expected });

  // Reopened from the list: the same three rules, the same count.
  await page.getByRole("link", { name: "Back to audience" }).click();
  const table = page.getByRole("table", { name: "Segments" });
  const row = table.getByRole("row").filter({ hasText: NAME });
  await expect(row.getByText(expected.toLocaleString("en-US"), { exact: true })).toBeVisible();
  await row.getByRole("link", { name: NAME }).click();
  await expect(page.getByRole("heading", { name: NAME, level: 1 })).toBeVisible();
  await expect(page.getByRole("group", { name: "Rule 1" }).getByLabel("Value")).toHaveValue("1");
  await expect(page.getByRole("group", { name: "Rule 2" }).getByLabel("Criterion")).toHaveValue("kind:consent");
  await expect(page.getByRole("group", { name: "Rule 3" }).getByLabel("Event type")).toHaveValue("product.viewed");
  await expect(page.getByRole("group", { name: "Rule 3" }).getByLabel("Within the last (days)")).toHaveValue("14");
  await expect(liveCount(page)).toHaveAttribute("aria-busy", "false");
  await expect(liveCount(page)).toContainText(expected.toLocaleString("en-US"));
  await expectAccessible(page);
});

test("a bad value is refused at its rule and stays as typed; a preset is a starting point", async ({ page }) => {
  await page.goto("/dashboard/segments/new");
  await page.getByLabel("Name").fill("Refused (e2e)");
  await page.getByRole("button", { name: "Add rule" }).click();
  const first = page.getByRole("group", { name: "Rule 1" });
  await first.getByLabel("Criterion").selectOption({ label: "Number of orders" });
  await first.getByLabel("Value").fill("2x");
  await expect(liveCount(page)).toContainText("Rule 1: Enter a whole number.");
  await page.getByRole("button", { name: "Create segment" }).click();
  await expect(first.getByText("Enter a whole number.")).toBeVisible();
  await expect(first.getByLabel("Value")).toHaveValue("2x");
  await expectAccessible(page);

  await page.getByRole("button", { name: /^Champions/ }).click();
  await expect(page.getByRole("group", { name: "Rule 1" }).getByLabel("Criterion")).toHaveValue("kind:rfm");
  await expect(page.getByRole("group", { name: "Rule 1" }).getByLabel("Orders at least")).toHaveValue("5");
  await expect(page.getByText("Enter a whole number.")).toHaveCount(0);
});

test("delete a segment after confirming", async ({ page }) => {
  const created = (
    await api(page, 'mutation { segmentCreate(input: {name: "Short-lived (e2e)", rules: {tag: "vip"}}) { errors { message } segment { id } } }')
  ).segmentCreate;
  expect(created.errors).toEqual([]);
  await page.goto("/dashboard/segments?q=Short-lived");
  const table = page.getByRole("table", { name: "Segments" });
  await expect(table.getByRole("link", { name: "Short-lived (e2e)" })).toBeVisible();

  await table.getByRole("button", { name: "Delete Short-lived (e2e)" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete “Short-lived (e2e)”?" });
  await expect(dialog).toBeVisible();
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "Delete segment" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByText("No segment has this in its name")).toBeVisible();
  expect((await api(page, "query ($id: ID!) { segment(id: $id) { id } }", { id: created.segment.id })).segment).toBeNull();
});

/** Contacts of the demo shop who clicked links tagged with an interest (as a tracked click would tag them). */
async function showInterest(page: Page, interest: string, contacts: number) {
  const found = await api(page, `{ contacts(first: ${contacts}, filter: {search: "kunde"}, sortBy: {field: EMAIL, direction: ASC}) { edges { node { id tags } } } }`);
  for (const { node } of found.contacts.edges as { node: { id: string; tags: string[] } }[]) {
    const tags = [...new Set([...node.tags, `interest:${interest}`])];
    const updated = (await api(page, "mutation ($id: ID!, $tags: [String!]) { contactUpdate(id: $id, input: {tags: $tags}) { errors { message } } }", { id: node.id, tags }))
      .contactUpdate;
    expect(updated.errors).toEqual([]);
  }
}

test("create a campaign for an interest group in one click, aimed at the group's segment", async ({ page }) => {
  await showInterest(page, "espresso", 6);
  const groups: { tag: string; size: number }[] = (await api(page, "{ interestGroups { tag size } }")).interestGroups;
  const size = groups.find((group) => group.tag === "interest:espresso")!.size;
  expect(size).toBe(6);

  await page.goto("/dashboard/segments");
  const table = page.getByRole("table", { name: "Interest groups" });
  await expect(table.getByRole("row").filter({ hasText: "interest:espresso" })).toContainText("6");
  await expectAccessible(page);
  await table.getByRole("button", { name: "Create a campaign for espresso" }).click();

  // Lands in the new campaign's editor: a draft one-off mailing.
  await expect(page.getByRole("heading", { name: "Mailing to those interested in espresso", level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/dashboard\/campaigns\/[^/]+$/);
  await expectAccessible(page);
  const id = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
  const campaign = (await api(page, "query ($id: ID!) { campaign(id: $id) { status kind audience } }", { id })).campaign;
  expect(campaign).toMatchObject({ status: "DRAFT", kind: "STANDALONE" });
  const [target, consent] = campaign.audience.all;
  expect(consent).toEqual({ consent: { channel: "email" } });
  const segmentId = Buffer.from(`Segment:${target.segment}`).toString("base64");
  const segment = (await api(page, "query ($id: ID!) { segment(id: $id) { name rules memberCount } }", { id: segmentId })).segment;
  expect(segment).toEqual({ name: "Interested in espresso", rules: { all: [{ tag: "interest:espresso" }] }, memberCount: size });

  // A second campaign for the same group targets the same segment.
  await page.goto("/dashboard/segments");
  await page.getByRole("table", { name: "Interest groups" }).getByRole("button", { name: "Create a campaign for espresso" }).click();
  await expect(page.getByRole("heading", { name: "Mailing to those interested in espresso", level: 1 })).toBeVisible();
  const second = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
  expect(second).not.toBe(id);
  const again = (await api(page, "query ($id: ID!) { campaign(id: $id) { audience } }", { id: second })).campaign;
  expect(again.audience.all[0]).toEqual(target);
  expect((await api(page, '{ segments(filter: {search: "Interested in espresso"}) { totalCount } }')).segments.totalCount).toBe(1);

  // The page with its groups, in German.
  await page.goto("/dashboard/segments");
  await page.getByLabel("Language").selectOption("de");
  await expect(page.getByRole("table", { name: "Interessengruppen" }).getByRole("button", { name: "Kampagne anlegen für espresso" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Sprache").selectOption("en");
});
