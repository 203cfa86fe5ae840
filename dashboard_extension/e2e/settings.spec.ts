// An administrator changes the quiet hours on the settings page, sees them after a reload and in
// the API; a bad value is refused at its field and nothing is saved; the page is accessible.
import { expect, type Page, test } from "@playwright/test";

import { ADMIN_STATE } from "./global-setup";
import { expectAccessible } from "./helpers";

test.use({ storageState: ADMIN_STATE });

async function savedSettings(page: Page) {
  const answer = await page.request.post("/graphql/", {
    data: { query: "{ marketingSettings { quietHours smartSendingHours version lockedFields signingSecretSet } }" },
  });
  expect(answer.ok()).toBe(true);
  return (await answer.json()).data.marketingSettings;
}

test("change the quiet hours, save, reload and see them; a bad value is refused at its field", async ({ page }) => {
  await page.goto("/dashboard/");
  await page.getByRole("navigation").getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
  await expect(page.getByText("Saved in this server's database.", { exact: false })).toBeVisible();
  const quietHours = page.getByLabel("Quiet hours");
  await expect(quietHours).toBeEnabled();
  await expectAccessible(page);
  const before = await savedSettings(page);
  expect(before.signingSecretSet).toBe(false);

  // A value the configuration refuses: the message is at the field, what was typed stays.
  await quietHours.fill("25:00-08:00");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Use the form HH:MM-HH:MM, for example 21:00-08:00.")).toBeVisible();
  await expect(page.getByRole("alert")).toHaveText("Not saved: correct what is marked above.");
  await expect(quietHours).toHaveValue("25:00-08:00");
  await expectAccessible(page);
  expect(await savedSettings(page)).toEqual(before);

  await quietHours.fill("22:30-07:15");
  await page.getByLabel("Smart sending window (hours)").fill("12");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  await expect(page.getByText("Use the form HH:MM-HH:MM, for example 21:00-08:00.")).toHaveCount(0);

  await page.reload();
  await expect(page.getByLabel("Quiet hours")).toHaveValue("22:30-07:15");
  await expect(page.getByLabel("Smart sending window (hours)")).toHaveValue("12");
  const after = await savedSettings(page);
  expect(after.quietHours).toBe("22:30-07:15");
  expect(after.smartSendingHours).toBe(12);
  expect(after.version).not.toBe(before.version);
});

test("the settings page in German, on a phone, is accessible", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/dashboard/settings");
  await page.getByLabel("Language").selectOption("de");
  await expect(page.getByRole("heading", { name: "Einstellungen", level: 1 })).toBeVisible();
  await expect(page.getByLabel("Ruhezeiten")).toBeVisible();
  await expect(page.getByRole("button", { name: "Einstellungen speichern" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Sprache").selectOption("en");
});
