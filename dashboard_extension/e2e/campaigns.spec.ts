// An administrator's way through the app on the demo shop's data.
import { expect, test } from "@playwright/test";

import { ADMIN_STATE } from "./global-setup";
import { expectAccessible } from "./helpers";

test.use({ storageState: ADMIN_STATE });

test("the campaign list shows the seeded campaigns with their figures", async ({ page }) => {
  await page.goto("/dashboard/");
  const table = page.getByRole("table", { name: "Campaigns" });
  await expect(table.getByRole("link", { name: "Welcome series", exact: true })).toBeVisible();
  const row = table.getByRole("row").filter({ hasText: "Welcome series" });
  await expect(row.getByText("Active")).toBeVisible();
  await expect(row.getByText(/€[\d,.]+/)).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel("Search by name").fill("abandon");
  await expect(table.getByRole("link", { name: "Welcome series", exact: true })).toHaveCount(0);
  await expect(table.getByRole("link", { name: "Abandoned checkout", exact: true })).toBeVisible();
});

test("create from a preset, fix a step's bad value, activate, read the report", async ({ page }) => {
  await page.goto("/dashboard/campaigns/new");
  await expect(page.getByRole("heading", { name: "New campaign" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Win-back", exact: true })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("link", { name: "Win-back", exact: true }).click();
  await expect(page.getByRole("group", { name: "Flow of Win-back" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Name").fill("Win-back after 60 days");
  await page.getByLabel("Days").fill("60");
  await expect(page.getByText("No order for 60 days")).toBeVisible();
  await page.getByRole("button", { name: "Create draft" }).click();

  await expect(page.getByRole("heading", { name: "Win-back after 60 days" })).toBeVisible();
  await expect(page.getByText("Draft", { exact: true })).toBeVisible();
  await expectAccessible(page);

  // A bad value: the server's error appears at the field, and what was typed stays.
  await page.getByRole("button", { name: "code" }).click();
  const validDays = page.getByLabel("Valid for (days)");
  await validDays.fill("-2");
  await page.getByRole("button", { name: "Save step" }).click();
  await expect(page.getByText("Enter a whole number from 0 to 36500.")).toBeVisible();
  await expect(validDays).toHaveValue("-2");
  await validDays.fill("21");
  await page.getByRole("button", { name: "Save step" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await expect(page.getByText("15 % off, valid 21 days")).toBeVisible();

  await page.getByRole("button", { name: "Activate" }).click();
  await expect(page.getByRole("button", { name: "Pause" })).toBeVisible();
  await expect(page.getByText("Active", { exact: true })).toBeVisible();

  await page.getByRole("link", { name: "Report", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Report: Win-back after 60 days" })).toBeVisible();
  await expectAccessible(page);
});

test("the report of a seeded campaign shows its funnel, revenue per step and chart", async ({ page }) => {
  await page.goto("/dashboard/");
  await page.getByRole("link", { name: "Report of Welcome series", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Report: Welcome series" })).toBeVisible();
  const revenue = page.getByRole("table", { name: "Revenue per step" });
  await expect(revenue.getByRole("row").filter({ hasText: "welcome" }).first()).toBeVisible();
  await expect(revenue.getByText(/€[\d,.]+/).first()).toBeVisible();
  await expect(page.getByRole("img", { name: "Messages and revenue over time" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Funnel per step" })).toBeVisible();
  await expectAccessible(page);
  // The chart's tooltip, shown on hover, must be as readable as the page.
  await page.getByRole("img", { name: "Messages and revenue over time" }).hover();
  await expect(page.locator(".recharts-tooltip-wrapper .recharts-tooltip-item").first()).toBeVisible();
  await expectAccessible(page);
});

test("the editor's dry run shows a contact's timeline", async ({ page }) => {
  await page.goto("/dashboard/");
  await page.getByRole("link", { name: "Welcome series", exact: true }).click();
  await page.getByRole("tab", { name: "Dry run" }).click();
  await page.getByLabel("Contact (email or name)").fill("kunde");
  await page.getByRole("button", { name: /kunde\d+@example.com/ }).first().click();
  await expect(page.getByText(/This contact would (not )?enter/)).toBeVisible();
  await expectAccessible(page);
});

test("bulk actions pause and activate several campaigns", async ({ page }) => {
  await page.goto("/dashboard/?q=abandonment");
  const table = page.getByRole("table", { name: "Campaigns" });
  await expect(table.getByRole("link", { name: "Browse abandonment", exact: true })).toBeVisible();
  await page.getByLabel("Select all on this page").check();
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(page.getByText("2 campaigns changed.")).toBeVisible();
  await expect(table.getByText("Paused")).toHaveCount(2);
  await page.getByLabel("Select all on this page").check();
  await page.getByRole("button", { name: "Activate" }).click();
  await expect(table.getByText("Active")).toHaveCount(2);
});
