// End-to-end tests in Debian's Chromium against the standalone host on PostgreSQL.
// `e2e/standalone-host.sh` creates the database, replays the demo month into it and serves
// the built app; Playwright starts it before the tests and stops it after them.
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 18080);
export const baseURL = `http://127.0.0.1:${port}`;

export const chromiumLaunch = {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "e2e",
  testMatch: "*.spec.ts",
  outputDir: process.env.E2E_OUTPUT ?? "test-results",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  globalSetup: "./e2e/global-setup.ts",
  use: {
    baseURL,
    launchOptions: chromiumLaunch,
    locale: "en-US",
    timezoneId: "Europe/Berlin",
    trace: "retain-on-failure",
  },
  webServer: {
    command: `bash e2e/standalone-host.sh ${port}`,
    url: `${baseURL}/dashboard/login/`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});
