// Inside real Saleor 3.23: the app installed from the plugin's manifest, loaded through an
// AppBridge handshake with a real staff user's App token, lists campaigns and activates one;
// a staff user without MANAGE_USERS is refused. Run by run-saleor-proof.sh.
import { expect, type FrameLocator, type Page, test } from "@playwright/test";

const saleor = process.env.SALEOR_URL!;
const harness = process.env.HARNESS_URL!;
const appId = process.env.APP_ID!;
const shots = process.env.SHOTS_DIR!;

async function open(page: Page, email: string, password: string): Promise<FrameLocator> {
  page.on("console", (message) => console.log(`[browser ${message.type()}] ${message.text()}`));
  page.on("pageerror", (error) => console.log(`[page error] ${error.message}`));
  const query = new URLSearchParams({ api: `${saleor}/graphql/`, app: appId, email, password });
  await page.goto(`${harness}/harness?${query}`);
  return page.frameLocator('iframe[title="Marketing automation"]');
}

test("a staff user with MANAGE_USERS lists campaigns and activates one", async ({ page }) => {
  const app = await open(page, "admin@example.com", "admin");
  const table = app.getByRole("table", { name: "Campaigns" });
  await expect(table.getByRole("link", { name: "Win-back", exact: true })).toBeVisible();
  await expect(table.getByRole("row").filter({ hasText: "Win-back" }).getByText("Draft")).toBeVisible();
  await page.screenshot({ path: `${shots}/saleor-harness-campaigns.png` });

  await table.getByRole("link", { name: "Win-back", exact: true }).click();
  await app.getByRole("button", { name: "Activate" }).click();
  await expect(app.getByRole("button", { name: "Pause" })).toBeVisible();
  await expect(app.getByText("Active", { exact: true })).toBeVisible();
  await page.screenshot({ path: `${shots}/saleor-harness-activated.png` });

  // The app kept the Dashboard's address bar in step (updateRouting) and used its token.
  expect(await page.evaluate(() => (window as unknown as { __actions: string[] }).__actions)).toContain("updateRouting");

  // A refreshed token (as the Dashboard sends before expiry) is used for the next request.
  await page.evaluate(() => (window as unknown as { refreshToken: () => Promise<string> }).refreshToken());
  await app.getByRole("link", { name: "Back to campaigns" }).click();
  await expect(table.getByRole("row").filter({ hasText: "Win-back" }).getByText("Active")).toBeVisible();
});

test("a staff user without MANAGE_USERS is refused", async ({ page }) => {
  const app = await open(page, "clerk@example.com", "clerk-password-1");
  await expect(app.getByRole("heading", { name: "You have no access to marketing automation" })).toBeVisible();
  await expect(app.getByText(/MANAGE_USERS/)).toBeVisible();
  await page.screenshot({ path: `${shots}/saleor-harness-refused.png` });
});
