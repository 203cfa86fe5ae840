// An administrator finds a contact in the demo shop's data, reads the profile and erases the
// person after confirming; the API and the list then know them no more.
import { readFileSync } from "node:fs";

import { expect, type Page, test } from "@playwright/test";

import { ADMIN_STATE } from "./global-setup";
import { expectAccessible } from "./helpers";

test.use({ storageState: ADMIN_STATE });

/** A contact no other spec picks (they take the first "kunde" contact). */
const EMAIL = "kunde41@example.com";

async function api(page: Page, query: string, variables: Record<string, unknown> = {}) {
  const answer = await page.request.post("/graphql/", { data: { query, variables } });
  expect(answer.ok()).toBe(true);
  return (await answer.json()).data;
}

test("the contact list filters the seeded contacts and is accessible", async ({ page }) => {
  await page.goto("/dashboard/");
  await page.getByRole("navigation").getByRole("link", { name: "Contacts" }).click();
  await expect(page.getByRole("heading", { name: "Contacts", level: 1 })).toBeVisible();
  const table = page.getByRole("table", { name: "Contacts" });
  await expect(table.getByRole("link", { name: /kunde\d+@example.com/ }).first()).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel("Lifecycle stage").selectOption("REPEAT_CUSTOMER");
  await expect(table.getByText("Repeat customer").first()).toBeVisible();
  await expect(table.getByText("Subscriber", { exact: true })).toHaveCount(0);
  // Which customers ordered twice depends on the demo's fortnight, so any row of the page will do: a
  // repeat customer has orders, and their revenue shows.
  const row = table.getByRole("row").filter({ has: page.getByRole("link", { name: /kunde\d+@example.com/ }) });
  await expect(row.first()).toContainText("Repeat customer");
  await expect(row.first().getByText(/€[\d,.]+/)).toBeVisible();
});

test("search a contact, open the profile, erase the person after confirming", async ({ page }) => {
  await page.goto("/dashboard/contacts");
  const table = page.getByRole("table", { name: "Contacts" });
  await expect(table.getByRole("link").first()).toBeVisible();
  await page.getByLabel("Search by email or name").fill("kunde41");
  await expect(table.getByRole("link", { name: EMAIL })).toBeVisible();
  await expect(table.getByRole("link", { name: "kunde46@example.com" })).toHaveCount(0);

  await table.getByRole("link", { name: EMAIL }).click();
  await expect(page.getByRole("heading", { name: "Timeline" })).toBeVisible();
  await expect(page.getByText(EMAIL).first()).toBeVisible();
  await expect(page.getByRole("heading", { name: "Consents" })).toBeVisible();
  await expectAccessible(page);
  const id = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);

  // Cancelling changes nothing.
  await page.getByRole("button", { name: "Erase", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Erase ${EMAIL}?` });
  await expect(dialog).toBeVisible();
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  expect((await api(page, "query ($id: ID!) { contact(id: $id) { erasedAt } }", { id })).contact.erasedAt).toBeNull();

  await page.getByRole("button", { name: "Erase", exact: true }).click();
  await dialog.getByRole("button", { name: "Erase for good" }).click();

  await expect(page).toHaveURL(/\/dashboard\/contacts$/);
  await expect(page.getByText(`The personal data of ${EMAIL} was erased.`, { exact: false })).toBeVisible();

  // Gone from the list and from the API; the row that stays names no one.
  await page.getByLabel("Search by email or name").fill("kunde41");
  await expect(page.getByText("No contact matches these filters")).toBeVisible();
  const found = await api(page, 'query { contacts(first: 5, filter: {search: "kunde41"}) { totalCount } }');
  expect(found.contacts.totalCount).toBe(0);
  const erased = await api(page, "query ($id: ID!) { contact(id: $id) { email firstName lifecycleStage erasedAt consents { status } } }", { id });
  expect(erased.contact.erasedAt).not.toBeNull();
  expect(erased.contact.email).not.toContain("kunde41");
  expect(erased.contact.firstName).toBe("");
  expect(erased.contact.lifecycleStage).toBe("ERASED");
  expect(erased.contact.consents).toEqual([]);

  await page.goto(`/dashboard/contacts/${encodeURIComponent(id)}`);
  await expect(page.getByText(/personal data was erased on/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Erase", exact: true })).toHaveCount(0);
  await expectAccessible(page);
});

test("edit a contact: the server's error stays at the field, then the fix is saved", async ({ page }) => {
  await page.goto("/dashboard/contacts?q=kunde40");
  await page.getByRole("table", { name: "Contacts" }).getByRole("link", { name: "kunde40@example.com" }).click();
  await page.getByRole("button", { name: "Edit" }).click();
  const zone = page.getByLabel("Time zone");
  await zone.fill("Mars/Olympus");
  await page.getByLabel("Tags").fill("vip, coffee");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Save contact" }).click();
  await expect(page.getByText('Use an IANA time zone name such as "Europe/Berlin".')).toBeVisible();
  await expect(zone).toHaveValue("Mars/Olympus");

  await zone.fill("Europe/Vienna");
  await page.getByRole("button", { name: "Save contact" }).click();
  await expect(page.getByText("Contact saved.")).toBeVisible();
  await expect(page.getByText("Europe/Vienna")).toBeVisible();
  await expect(page.getByText("coffee", { exact: true })).toBeVisible();

  await page.goto("/dashboard/contacts?tags=vip");
  await expect(page.getByRole("table", { name: "Contacts" }).getByRole("link")).toHaveText(["kunde40@example.com"]);
});

test("download a person's data after confirming: one JSON file about them", async ({ page, baseURL }) => {
  await page.goto("/dashboard/contacts?q=kunde39");
  await page.getByRole("table", { name: "Contacts" }).getByRole("link", { name: "kunde39@example.com" }).click();
  await page.getByRole("button", { name: "Download personal data" }).click();
  const dialog = page.getByRole("dialog", { name: "Download the personal data of kunde39@example.com?" });
  await expect(dialog).toBeVisible();
  await expectAccessible(page);

  // The link names the shop's public address; the test host serves the same path.
  await page.route("**/privacy/export/**", async (route) => {
    const response = await route.fetch({ url: `${baseURL}${new URL(route.request().url()).pathname}` });
    await route.fulfill({ response });
  });
  const download = page.waitForEvent("download");
  await dialog.getByRole("button", { name: "Download" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^personal-data-\d+\.json$/);
  const document = JSON.parse(readFileSync((await file.path())!, "utf-8"));
  expect(JSON.stringify(document)).toContain("kunde39@example.com");
  await expect(page.getByText("The download has started.", { exact: false })).toBeVisible();
});
