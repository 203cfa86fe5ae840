// The Saleor proof (e2e/saleor/run-saleor-proof.sh starts Saleor and the harness first).
import { defineConfig } from "@playwright/test";

import { chromiumLaunch } from "./playwright.config";

export default defineConfig({
  testDir: "e2e/saleor",
  testMatch: "*.saleor.ts",
  timeout: 90_000,
  expect: { timeout: 20_000 },
  workers: 1,
  reporter: [["list"]],
  use: { launchOptions: chromiumLaunch, viewport: { width: 1440, height: 900 }, locale: "en-US" },
});
