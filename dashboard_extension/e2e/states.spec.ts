// What the app shows when something is missing, refused or unreachable: never a blank page.
import { expect, test } from "@playwright/test";

import { ADMIN_STATE } from "./global-setup";
import { expectAccessible } from "./helpers";

test.describe("as the administrator", () => {
  test.use({ storageState: ADMIN_STATE });

  test("an unknown campaign id says not found", async ({ page }) => {
    await page.goto("/dashboard/campaigns/Q2FtcGFpZ246OTk5OTk5/report");
    await expect(page.getByRole("heading", { name: "There is no such campaign" })).toBeVisible();
    await page.goto("/dashboard/campaigns/Q2FtcGFpZ246OTk5OTk5");
    await expect(page.getByRole("heading", { name: "There is no such campaign" })).toBeVisible();
    await expectAccessible(page);
    // An id that is not an id at all is just as unknown.
    await page.goto("/dashboard/campaigns/not-an-id/report");
    await expect(page.getByRole("heading", { name: "There is no such campaign" })).toBeVisible();
    await page.goto("/dashboard/contacts/not-an-id");
    await expect(page.getByRole("heading", { name: "There is no such contact" })).toBeVisible();
  });

  test("a network failure offers a retry that recovers", async ({ page }) => {
    await page.goto("/dashboard/");
    await expect(page.getByRole("link", { name: "Welcome series", exact: true })).toBeVisible();
    await page.route("**/graphql/", (route) => route.abort("internetdisconnected"));
    await page.goto("/dashboard/campaigns/new");
    await expect(page.getByRole("heading", { name: "Cannot reach the server" })).toBeVisible({ timeout: 30_000 });
    await expectAccessible(page);
    await page.unroute("**/graphql/");
    await page.getByRole("button", { name: "Try again" }).click();
    await expect(page.getByRole("heading", { name: "New campaign" })).toBeVisible();
  });

  test("the widgets show automation revenue and an order's attribution", async ({ page }) => {
    await page.goto("/dashboard/widgets/revenue");
    await expect(page.getByRole("heading", { name: "Automation revenue, last 30 days" })).toBeVisible();
    await expect(page.getByText(/€[\d,.]+/).first()).toBeVisible();
    await expectAccessible(page);
    // An order no campaign earned (the demo's ids are "demo-order-N").
    await page.goto(`/dashboard/widgets/order?orderId=${btoa("Order:not-a-demo-order")}`);
    await expect(page.getByText("No campaign earned this order.")).toBeVisible();
    await expectAccessible(page);
  });
});

test("a staff user without the marketing permission is told so", async ({ page }) => {
  await page.goto("/dashboard/");
  await page.waitForURL("**/dashboard/login/**");
  await page.getByLabel("Username").fill("clerk");
  await page.getByLabel("Password").fill("e2e-clerk-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "You have no access to marketing automation" })).toBeVisible();
  await expectAccessible(page);
});

test("signed out, the app sends the visitor to the login page", async ({ page }) => {
  await page.goto("/dashboard/campaigns/new");
  await page.waitForURL(/\/dashboard\/login\/\?next=/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
});
