// Signs the administrator in once; the tests start from that session.
import { chromium, type FullConfig } from "@playwright/test";

// E2E_OUTPUT lets two runs on one machine keep apart (each with its own E2E_PORT).
export const ADMIN_STATE = `${process.env.E2E_OUTPUT ?? "test-results"}/admin-state.json`;

export default async function globalSetup(config: FullConfig) {
  const { baseURL, launchOptions } = config.projects[0].use;
  const browser = await chromium.launch(launchOptions);
  const page = await browser.newPage({ baseURL });
  await page.goto("/dashboard/login/");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill("e2e-admin-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/dashboard/");
  await page.context().storageState({ path: ADMIN_STATE });
  await browser.close();
}
