// Pages the journeys above do not open, checked with axe-core: no serious or critical violation.
import { expect, test } from "@playwright/test";

import { ADMIN_STATE } from "./global-setup";
import { expectAccessible } from "./helpers";

test("the login page is accessible", async ({ page }) => {
  await page.goto("/dashboard/login/");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await expectAccessible(page);
});

test.describe("as the administrator", () => {
  test.use({ storageState: ADMIN_STATE });

  test("a new campaign from scratch is accessible", async ({ page }) => {
    await page.goto("/dashboard/campaigns/new/scratch");
    await expect(page.getByRole("button", { name: "Create draft" })).toBeVisible();
    await expectAccessible(page);
  });

  test("the editor's settings and new-step tabs are accessible", async ({ page }) => {
    await page.goto("/dashboard/");
    await page.getByRole("link", { name: "Welcome series", exact: true }).click();
    await page.getByRole("tab", { name: "Settings" }).click();
    await expect(page.getByRole("button", { name: "Save settings" })).toBeVisible();
    await expectAccessible(page);
    await page.getByRole("tab", { name: "Add step" }).click();
    await expectAccessible(page);
  });

  test("a contact's marketing profile is accessible", async ({ page }) => {
    const answer = await page.request.post("/graphql/", {
      data: { query: '{ contacts(first: 1, filter: {search: "kunde"}) { edges { node { id email } } } }' },
    });
    const [edge] = (await answer.json()).data.contacts.edges;
    await page.goto(`/dashboard/contacts/${encodeURIComponent(edge.node.id)}`);
    await expect(page.getByRole("heading", { name: "Timeline" })).toBeVisible();
    await expect(page.getByText(edge.node.email).first()).toBeVisible();
    await expectAccessible(page);
  });

  test("the segment editor is accessible with a rule of every kind, in German too", async ({ page }) => {
    await page.goto("/dashboard/segments/new");
    const kinds = ["Custom attribute", "Tag", "Consent", "Event", "Recency, frequency, monetary", "Lead score", "Member of segment", "Rule as JSON"];
    for (const [index, kind] of kinds.entries()) {
      await page.getByRole("button", { name: "Add rule", exact: true }).click();
      await page.getByRole("group", { name: `Rule ${index + 1}` }).getByLabel("Criterion").selectOption({ label: kind });
    }
    await page.getByText("Products, categories and payload").click();
    await page.getByRole("button", { name: "Add group", exact: true }).click();
    await page.getByRole("button", { name: `Add rule to group ${kinds.length + 1}` }).click();
    await expectAccessible(page);

    await page.getByLabel("Language").selectOption("de");
    await expect(page.getByRole("heading", { name: "Neues Segment" })).toBeVisible();
    await expectAccessible(page);
    await page.goto("/dashboard/segments");
    await expect(page.getByRole("heading", { name: "Zielgruppe", level: 1 })).toBeVisible();
    await expectAccessible(page);
  });
});
