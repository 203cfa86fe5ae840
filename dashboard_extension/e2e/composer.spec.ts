// The newsletter composer: blocks added and configured, saved, previewed for a contact and
// mailed as a test to a local SMTP sink, whose MIME message is read back.
import { expect, test } from "@playwright/test";

import { ADMIN_STATE } from "./global-setup";
import { expectAccessible } from "./helpers";
import { parseMail, serveFeed, SMTP_PORT, SmtpSink } from "./mail";

test.use({ storageState: ADMIN_STATE });

const stamp = Date.now().toString(36);
const READER = `composer-${stamp}@example.com`;
const ENTRY = `Cold brew season ${stamp}`;
const HEADING = `Coffee news ${stamp}`;
const PRODUCT = "House Blend Espresso";

let sink: SmtpSink;
let feed: Awaited<ReturnType<typeof serveFeed>>;

test.beforeAll(async () => {
  sink = new SmtpSink();
  await sink.listen(SMTP_PORT);
  feed = await serveFeed([{ title: ENTRY, link: "https://blog.example.com/cold-brew", description: "Summer drinks, step by step." }]);
});

test.afterAll(async () => {
  await sink.close();
  await new Promise((resolve) => feed.server.close(resolve));
});

test("compose a newsletter with products and a feed, preview it, and mail a test", async ({ page }) => {
  // An English-speaking reader to preview for: signed up through the storefront API.
  const signUp = await page.request.post("/graphql/", {
    data: {
      query: "mutation($email: String!) { newsletterSubscribe(input: {email: $email, language: \"en\"}) { errors { field message } } }",
      variables: { email: READER },
    },
  });
  expect((await signUp.json()).data.newsletterSubscribe.errors).toEqual([]);

  await page.goto("/dashboard/campaigns/new");
  await page.getByRole("link", { name: "Newsletter", exact: true }).click();
  await page.getByLabel("Name").fill(`Issue ${stamp}`);
  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page.getByRole("heading", { name: `Issue ${stamp}` })).toBeVisible();

  await page.getByRole("button", { name: "send", exact: true }).click();
  const composer = page.getByRole("region", { name: "Content blocks" });
  await expect(composer.getByRole("listitem", { name: "Block 1: Heading" })).toBeVisible();

  // The preset's heading, one text for every language.
  const heading = composer.getByRole("listitem", { name: "Block 1: Heading" });
  await heading.getByRole("button", { name: "Use one text for every language" }).click();
  await heading.getByLabel("Heading", { exact: true }).fill(HEADING);

  // Product picks: a product found in the catalogue by name, stored by its SKU.
  await composer.getByLabel("Block to add", { exact: true }).selectOption({ label: "Product picks" });
  await composer.getByRole("button", { name: "Add block" }).click();
  const picks = composer.getByRole("listitem", { name: "Block 3: Product picks" });
  await picks.getByLabel("Search the catalogue").fill("espresso");
  await picks.getByRole("button", { name: /House Blend Espresso.*\(ESPRESSO\)/ }).click();
  await expect(picks.getByRole("button", { name: /Remove House Blend Espresso/ })).toBeVisible();
  await picks.getByLabel("How many").fill("1");

  // A content feed: first a bad address (checked as typed), then the local RSS feed.
  await composer.getByLabel("Block to add", { exact: true }).selectOption({ label: "Content feed" });
  await composer.getByRole("button", { name: "Add block" }).click();
  const news = composer.getByRole("listitem", { name: "Block 4: Content feed" });
  await news.getByLabel("Feed address").fill("blog.example.com/feed");
  await news.getByLabel("How many").focus();
  await expect(news.getByText("Enter the feed's full address, such as https://blog.example.com/feed.")).toBeVisible();
  await news.getByLabel("Feed address").fill(feed.url);

  // The product picks go right under the heading (which stays first: it is the subject),
  // moved with the keyboard; focus stays on the moved block's button.
  await picks.getByRole("button", { name: "Move Block 3: Product picks up" }).focus();
  await page.keyboard.press("Enter");
  await expect(composer.getByRole("listitem", { name: "Block 2: Product picks" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Move Block 2: Product picks up" })).toBeFocused();
  await expectAccessible(page);

  await page.getByRole("button", { name: "Save step" }).click();
  await expect(page.getByText("Saved.", { exact: true })).toBeVisible();
  await expect(page.getByText(/unsaved changes/)).toHaveCount(0);

  // Preview for the reader: the server renders the saved step, products and feed resolved.
  await page.getByLabel("Preview for contact (email or name)").fill(READER);
  await page.getByRole("button", { name: READER }).click();
  await page.getByRole("button", { name: "Show preview" }).click();
  const dialog = page.getByRole("dialog", { name: "Preview" });
  await expect(dialog.getByTestId("preview-subject")).toHaveText(HEADING);
  const frame = page.frameLocator("iframe.preview-frame");
  await expect(frame.getByText(ENTRY)).toBeVisible();
  await expect(frame.getByText(PRODUCT).first()).toBeVisible();
  await dialog.getByRole("button", { name: "Phone" }).click();
  await expect(page.locator("iframe.preview-frame")).toHaveAttribute("style", /width: 375px/);
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "Close the preview" }).click();

  // A test: a bad address is refused at the field, then the test goes to the sink.
  const address = page.getByLabel("Send a test to");
  await address.fill("not-an-address");
  await page.getByRole("button", { name: "Send test" }).click();
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  await expect(address).toHaveValue("not-an-address");
  await address.fill("tester@example.com");
  await page.getByRole("button", { name: "Send test" }).click();
  await expect(page.getByText("Test sent to tester@example.com. It counts in no report.")).toBeVisible();

  const received = await sink.waitFor("tester@example.com", /^\[Test\] /);
  expect(sink.messages.filter((message) => message.to.includes("tester@example.com"))).toHaveLength(1);
  const mail = parseMail(received.data);
  expect(mail.subject).toBe(`[Test] ${HEADING}`);
  expect(mail.headers.get("x-marketing-test")).toBe("1");
  expect(mail.headers.has("list-unsubscribe")).toBe(false);
  const html = mail.parts.get("text/html") ?? "";
  expect(html).toContain(PRODUCT);
  expect(html).toContain(ENTRY);
  expect(html.indexOf(PRODUCT)).toBeLessThan(html.indexOf(ENTRY)); // the picks come first
  expect(mail.parts.get("text/plain")).toContain(ENTRY);
});
