// Screenshots of every page of the dashboard app, 1440 and 390 px wide, in English and
// German, taken from the real app in Debian's Chromium. `make-screenshots.sh` starts the
// standalone host with the demo shop; this script only drives the browser:
//
//   node docs/dashboard/screenshots.mjs http://127.0.0.1:18090 docs/dashboard
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "../../dashboard_extension/package.json"));
const { chromium } = require("@playwright/test");

const [base = "http://127.0.0.1:18090", outDir = here] = process.argv.slice(2);
const WIDTHS = [1440, 390];
const LANGUAGES = { en: "en-US", de: "de-DE" };
const ADMIN = { username: "admin", password: "e2e-admin-password" };
const CLERK = { username: "clerk", password: "e2e-clerk-password" };

async function signIn(page, user) {
  await page.goto(`${base}/dashboard/login/`);
  await page.fill("#id_username", user.username);
  await page.fill("#id_password", user.password);
  await Promise.all([page.waitForURL(/\/dashboard\//), page.click("button[type=submit]")]);
}

async function api(page, query, variables = {}) {
  const response = await page.request.post(`${base}/graphql/`, { data: { query, variables } });
  return (await response.json()).data;
}

/** Waits until nothing loads any more, so the picture shows the page, not a skeleton. */
async function settled(page) {
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, { timeout: 20_000 });
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
}

/** The demo shop's mail carries no interest-tagged links: give a few contacts interests,
 *  as tracked clicks on such links would, so the audience page shows its interest groups. */
const INTERESTS = { espresso: 7, brewing: 4, decaf: 2 };
let interestsShown = false;

async function showInterests(page) {
  if (interestsShown) return;
  const most = Math.max(...Object.values(INTERESTS));
  const found = await api(page, `{ contacts(first: ${most}, filter: {search: "kunde"}, sortBy: {field: EMAIL, direction: ASC}) { edges { node { id tags } } } }`);
  for (const [index, { node }] of found.contacts.edges.entries()) {
    const interests = Object.entries(INTERESTS).filter(([, size]) => index < size).map(([name]) => `interest:${name}`);
    const tags = [...new Set([...node.tags, ...interests])];
    await api(page, "mutation ($id: ID!, $tags: [String!]) { contactUpdate(id: $id, input: {tags: $tags}) { errors { message } } }", { id: node.id, tags });
  }
  interestsShown = true;
}

async function ids(page) {
  const campaigns = await api(page, "{ campaigns(first: 50) { edges { node { id name kind } } } }");
  const byName = Object.fromEntries(campaigns.campaigns.edges.map(({ node }) => [node.name, node.id]));
  const newsletter = campaigns.campaigns.edges.find(({ node }) => ["NEWSLETTER", "BROADCAST"].includes(node.kind));
  const segments = await api(page, "{ segments(first: 1) { edges { node { id } } } }");
  const contacts = await api(page, '{ contacts(first: 1, filter: {search: "kunde"}, sortBy: {field: ORDERS_COUNT, direction: DESC}) { edges { node { id } } } }');
  let order = null;
  for (let number = 1; number <= 400 && !order; number += 1) {
    const id = Buffer.from(`Order:demo-order-${number}`).toString("base64");
    const found = await api(page, "query ($id: ID!) { orderAttribution(orderId: $id) { orderId } }", { id });
    if (found?.orderAttribution) order = id;
  }
  return {
    byName,
    contact: contacts.contacts.edges[0].node.id,
    order,
    newsletter: newsletter?.node.id,
    segment: segments?.segments?.edges[0]?.node.id,
  };
}

function pages(known) {
  const welcome = encodeURIComponent(known.byName["Welcome series"]);
  const experiment = encodeURIComponent(known.byName["Post-purchase upsell (A/B test)"]);
  return [
    ["campaigns", "/dashboard/"],
    ["new-campaign", "/dashboard/campaigns/new"],
    ["new-from-preset", "/dashboard/campaigns/new/abandoned_checkout"],
    ["new-from-scratch", "/dashboard/campaigns/new/scratch"],
    ["editor-settings", `/dashboard/campaigns/${welcome}`],
    [
      "editor-step",
      `/dashboard/campaigns/${experiment}`,
      async (page) => {
        await page.locator(".step-chip", { hasText: "Which email sells more?" }).click();
      },
    ],
    [
      "editor-dry-run",
      `/dashboard/campaigns/${welcome}`,
      async (page) => {
        await page.locator('[role="tab"]').nth(2).click();
        await page.locator('[role="tabpanel"] input[type="text"]').first().fill("kunde");
        await page.locator(".list-button").first().click();
      },
    ],
    ["report", `/dashboard/campaigns/${welcome}/report`],
    ["report-ab-test-and-holdout", `/dashboard/campaigns/${experiment}/report`],
    ["contacts", "/dashboard/contacts"],
    ["contact", `/dashboard/contacts/${encodeURIComponent(known.contact)}`],
    ["segments", "/dashboard/segments"],
    ["segment-new", "/dashboard/segments/new"],
    ["audience-topics", "/dashboard/audience/topics"],
    [
      "audience-topic-new",
      "/dashboard/audience/topics",
      async (page) => {
        // "New topic", the page's one action (in either language), opens the form.
        await page.locator(".page button").first().click();
      },
    ],
    ["audience-scoring", "/dashboard/audience/scoring"],
    ...(known.segment ? [["segment-editor", `/dashboard/segments/${encodeURIComponent(known.segment)}`]] : []),
    ...(known.newsletter
      ? [[
          "editor-composer",
          `/dashboard/campaigns/${encodeURIComponent(known.newsletter)}`,
          async (page) => {
            await page.locator(".step-chip").first().click();
          },
        ]]
      : []),
    ["messages", "/dashboard/messages"],
    ["message-editor", "/dashboard/messages/order_confirmation/de"],
    ["settings", "/dashboard/settings"],
    ["widget-automation-revenue", "/dashboard/widgets/revenue"],
    ["widget-order-attribution", `/dashboard/widgets/order?orderId=${encodeURIComponent(known.order)}`],
    ["not-found", "/dashboard/campaigns/Q2FtcGFpZ246OTk5OTk5"],
  ];
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  for (const [language, locale] of Object.entries(LANGUAGES)) {
    const directory = path.join(outDir, language);
    await mkdir(directory, { recursive: true });
    for (const width of WIDTHS) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, locale, timezoneId: "Europe/Berlin" });
      await context.addInitScript((lang) => window.localStorage.setItem("ma-locale", lang), language);
      const page = await context.newPage();
      await page.goto(`${base}/dashboard/login/`);
      await page.screenshot({ path: path.join(directory, `login-${width}.png`), fullPage: true });
      await signIn(page, ADMIN);
      await showInterests(page);
      const known = await ids(page);
      for (const [name, route, action] of pages(known)) {
        await page.goto(`${base}${route}`);
        await settled(page);
        if (action) {
          await action(page);
          await settled(page);
        }
        const file = path.join(directory, `${name}-${width}.png`);
        if (name.startsWith("widget-")) {
          // Widgets live in a narrow frame of a Dashboard page: the picture shows the widget.
          await page.setViewportSize({ width: Math.min(width, 420), height: 900 });
          await settled(page);
          await page.locator("[data-widget]").screenshot({ path: file });
          await page.setViewportSize({ width, height: 900 });
        } else {
          await page.screenshot({ path: file, fullPage: true });
        }
        console.log(`${language} ${width} ${name}`);
      }
      await context.close();

      const clerk = await browser.newContext({ viewport: { width, height: 900 }, locale });
      await clerk.addInitScript((lang) => window.localStorage.setItem("ma-locale", lang), language);
      const clerkPage = await clerk.newPage();
      await signIn(clerkPage, CLERK);
      await settled(clerkPage);
      await clerkPage.screenshot({ path: path.join(directory, `no-permission-${width}.png`), fullPage: true });
      await clerk.close();
    }
  }
} finally {
  await browser.close();
}
