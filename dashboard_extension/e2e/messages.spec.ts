// An administrator edits a shipped template on the demo shop's data: the server renders the
// draft for a real contact as it would be sent, the save becomes a version in the history, an
// earlier version comes back as a new one, a save over someone else's newer version is
// refused keeping the text, and a test goes out through the host's email backend (SMTP, to a
// local sink).
import { expect, type Page, test } from "@playwright/test";

import { ADMIN_STATE } from "./global-setup";
import { expectAccessible } from "./helpers";
import { parseMail, SMTP_PORT, SmtpSink } from "./mail";

test.use({ storageState: ADMIN_STATE });

let sink: SmtpSink;

test.beforeAll(async () => {
  sink = new SmtpSink();
  await sink.listen(SMTP_PORT);
});

test.afterAll(async () => {
  await sink.close();
});

/** A shipped template no other spec edits. */
const KEY = "birthday";
const CONTACT = "stammkunde3@example.com";

async function api(page: Page, query: string, variables: Record<string, unknown> = {}) {
  const answer = await page.request.post("/graphql/", { data: { query, variables } });
  expect(answer.ok()).toBe(true);
  const body = await answer.json();
  expect(body.errors).toBeUndefined();
  return body.data;
}

function subjectOf(source: string, subject: string): string {
  return source.replace(/\{% block subject %\}[\s\S]*?\{% endblock %\}/, `{% block subject %}${subject}{% endblock %}`);
}

const sourceBox = (page: Page) => page.getByRole("textbox", { name: /^Template source/ });
const previewRegion = (page: Page) => page.getByRole("region", { name: "Preview" });

test("edit a template with a live server preview for a contact, save, revert, refuse a conflicting save, send a test", async ({ page }) => {
  const contact = (await api(page, "query ($q: String) { contacts(filter: {search: $q}, first: 1) { edges { node { id firstName } } } }", { q: CONTACT }))
    .contacts.edges[0].node;
  expect(contact.firstName).toBeTruthy();
  const before: number = (await api(page, "query ($key: String) { templates(filter: {key: $key, language: \"en\"}) { totalCount } }", { key: KEY }))
    .templates.totalCount;

  await page.goto("/dashboard/");
  await page.getByRole("navigation").getByRole("link", { name: "Messages" }).click();
  await expect(page.getByRole("heading", { name: "Messages", level: 1 })).toBeVisible();
  const table = page.getByRole("table", { name: "Message templates" });
  await expect(table.getByRole("link", { name: /edit order_confirmation in German$/ })).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel("Search by key").fill(KEY);
  await expect(table.getByRole("row")).toHaveCount(2);
  await table.getByRole("link", { name: new RegExp(`edit ${KEY} in English$`) }).click();
  await expect(page.getByRole("heading", { name: KEY, level: 1 })).toBeVisible();
  await expect(previewRegion(page)).toHaveAttribute("aria-busy", "false");
  await expect(page.getByTestId("preview-subject")).toHaveText(/^Happy birthday/);

  // A refused tag: said at the source, the text stays as typed.
  const original = await sourceBox(page).inputValue();
  await sourceBox(page).fill(`{% load static %}${original}`);
  await expect(page.getByText("Preview: The tag {% load %} is not allowed (line 1).")).toBeVisible();
  await page.getByRole("button", { name: "Save as new version" }).click();
  await expect(sourceBox(page)).toHaveAttribute("aria-invalid", "true");
  await expect(sourceBox(page)).toHaveValue(`{% load static %}${original}`);

  // The subject changed, previewed for a real contact exactly as the API renders it.
  const edited = subjectOf(original, "Many happy returns, {{ contact.first_name }} (e2e)");
  await sourceBox(page).fill(edited);
  await page.getByLabel("Find a contact").fill("stammkunde3");
  const picker = page.getByLabel("Preview for");
  await expect(picker.locator("option", { hasText: CONTACT })).toHaveCount(1);
  await picker.selectOption({ label: (await picker.locator("option", { hasText: CONTACT }).textContent())! });
  await expect(page.getByTestId("preview-subject")).toHaveText(`Many happy returns, ${contact.firstName} (e2e)`);
  const server = (
    await api(page, "query ($s: String, $c: ID) { templatePreview(key: \"birthday\", language: \"en\", source: $s, contactId: $c) { subject html } }", {
      s: edited,
      c: contact.id,
    })
  ).templatePreview;
  expect(server.subject).toBe(`Many happy returns, ${contact.firstName} (e2e)`);
  await expect(page.locator("iframe.preview-frame")).toHaveAttribute("sandbox", "");
  expect(await page.locator("iframe.preview-frame").getAttribute("srcdoc")).toBe(server.html);
  await page.getByRole("button", { name: "Phone" }).click();
  await expect(page.locator("iframe.preview-frame")).toHaveAttribute("data-width", "mobile");
  await expectAccessible(page);

  await page.getByRole("button", { name: "Save as new version" }).click();
  await expect(page.getByText(`Saved as version ${before + 1}; it is sent from now on.`)).toBeVisible();
  const versions = page.getByRole("list", { name: "Versions" });
  await expect(versions.getByRole("listitem").filter({ hasText: `Version ${before + 1}` })).toContainText("Sent now");

  // A second edit, then the first one back: a third version that says what it restores.
  await sourceBox(page).fill(subjectOf(original, "Second try (e2e)"));
  await page.getByRole("button", { name: "Save as new version" }).click();
  await expect(page.getByText(`Saved as version ${before + 2}; it is sent from now on.`)).toBeVisible();
  await page.getByRole("button", { name: `View version ${before + 1}` }).click();
  await expect(sourceBox(page)).toHaveCount(0);
  await expect(page.getByRole("textbox", { name: /^Source of version/ })).toHaveValue(edited);
  await expect(page.getByTestId("preview-subject")).toHaveText(`Many happy returns, ${contact.firstName} (e2e)`);
  await page.getByRole("button", { name: "Revert to this version" }).click();
  await expect(page.getByText(`Saved as version ${before + 3}, restoring version ${before + 1}; it is sent from now on.`)).toBeVisible();
  await expect(versions.getByRole("listitem").filter({ hasText: `Version ${before + 3}` })).toContainText(`restores version ${before + 1}`);
  await expect(sourceBox(page)).toHaveValue(edited);
  const inUse = (await api(page, "{ templateInUse(key: \"birthday\", language: \"en\") { version source } }")).templateInUse;
  expect(inUse).toEqual({ version: before + 3, source: edited });

  // Someone else saves in between: this save is refused, the text stays.
  const newest = (await api(page, "query ($key: String) { templates(filter: {key: $key, language: \"en\"}, first: 1) { edges { node { id } } } }", { key: KEY }))
    .templates.edges[0].node.id;
  const theirs = (
    await api(page, "mutation ($id: ID!, $s: String!, $v: Int) { templateUpdate(id: $id, source: $s, expectedVersion: $v) { errors { code } template { version } } }", {
      id: newest,
      s: subjectOf(original, "Their edit (e2e)"),
      v: before + 3,
    })
  ).templateUpdate;
  expect(theirs).toEqual({ errors: [], template: { version: before + 4 } });
  await sourceBox(page).fill(subjectOf(original, "My late edit (e2e)"));
  await page.getByRole("button", { name: "Save as new version" }).click();
  await expect(page.getByRole("alert").filter({ hasText: `Not saved: version ${before + 4} was saved on` })).toContainText(
    `after you opened version ${before + 3}. Your text is kept.`,
  );
  await expect(sourceBox(page)).toHaveValue(subjectOf(original, "My late edit (e2e)"));
  expect((await api(page, "{ templateInUse(key: \"birthday\", language: \"en\") { version } }")).templateInUse.version).toBe(before + 4);
  await expectAccessible(page);

  // A test of the draft as previewed goes out through the host's email backend.
  await page.getByLabel("Send to").fill("not an address");
  await page.getByRole("button", { name: "Send test" }).click();
  await expect(page.getByText("Enter an email address such as you@example.com.")).toBeVisible();
  await page.getByLabel("Send to").fill("e2e-test@example.com");
  await page.getByRole("button", { name: "Send test" }).click();
  await expect(page.getByText("Test sent to e2e-test@example.com.")).toBeVisible();
  const mail = parseMail((await sink.waitFor("e2e-test@example.com", /^\[Test\] /)).data);
  expect(mail.subject).toBe(`[Test] My late edit (e2e)`);
  expect(mail.headers.get("x-marketing-test")).toBe(KEY);
});

test("an SMS template shows the rendered text with its characters, encoding and segments", async ({ page }) => {
  const key = "e2e_sms_reminder";
  const created = (
    await api(page, "mutation ($input: TemplateCreateInput!) { templateCreate(input: $input) { errors { message } template { version } } }", {
      input: {
        key,
        language: "en",
        source: "{% block subject %}Reminder{% endblock %}{% block text_body %}Hi {{ contact.first_name }}, your basket is waiting. Zażółć!{% endblock %}",
      },
    })
  ).templateCreate;
  expect(created.errors).toEqual([]);
  const campaign = (
    await api(page, "mutation ($input: CampaignCreateInput!) { campaignCreate(input: $input) { errors { field message } } }", {
      input: {
        name: "SMS reminder (e2e)",
        kind: "AUTORESPONDER",
        trigger: { type: "event", event: "newsletter.confirmed" },
        steps: [{ key: "sms", type: "SEND", config: { template: key, channel: "sms" } }],
      },
    })
  ).campaignCreate;
  expect(campaign.errors).toEqual([]);

  await page.goto("/dashboard/messages");
  await page.getByLabel("Channel").selectOption("SMS");
  const table = page.getByRole("table", { name: "Message templates" });
  await expect(table.getByRole("row")).toHaveCount(2);
  await table.getByRole("link", { name: new RegExp(`edit ${key} in English$`) }).click();

  await expect(page.getByRole("heading", { name: key, level: 1 })).toBeVisible();
  await expect(page.getByTestId("preview-sms")).toContainText("your basket is waiting. Zażółć!");
  const text = (await page.getByTestId("preview-sms").textContent())!;
  const counter = page.getByLabel("SMS length");
  await expect(counter).toContainText(`${[...text].length} of 1,600`);
  await expect(counter).toContainText("UCS-2 (Unicode)");
  await expect(counter).toContainText("1 (70 characters each)");
  await expect(page.getByText("Sent as Unicode because of ż ó ł ć")).toBeVisible();
  await expectAccessible(page);
});
