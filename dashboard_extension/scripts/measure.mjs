// Time to interactive of app pages in headless Chromium, and the API's share of it.
// Used by bench/dashboard.py:
//
//   node scripts/measure.mjs <base url> <username> <password> <runs> <name>=<path> ...
//
// For each page, after one warm-up load: navigate, wait until the page shows its content
// (the element named by its selector), then click its checkbox/select to prove it answers
// input; the time from navigation start to that answer is "interactive". The API's share
// is the time any /graphql/ request of the load was in flight (overlaps counted once).
// Prints one JSON object.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(path.join(path.dirname(fileURLToPath(import.meta.url)), "../package.json"));
const { chromium } = require("@playwright/test");

const [base, username, password, runsText, ...pageArgs] = process.argv.slice(2);
const runs = Number(runsText);

/** What shows that each page has loaded, and an input to prove it responds. */
const READY = {
  // Rows with their revenue and sparklines (the page's second request) on screen.
  list: { content: "table tbody tr:nth-child(20) svg polyline", input: 'input[type="checkbox"]' },
  report: { content: 'table[aria-label="Revenue per step"] tbody td', input: "select" },
  shell: { content: "h2", input: "a" },
};

function apiTime(entries) {
  const spans = entries
    .filter((entry) => entry.name.includes("/graphql/"))
    .map((entry) => [entry.startTime, entry.responseEnd])
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [start, finish] of spans) {
    if (finish <= end) continue;
    total += finish - Math.max(start, end);
    end = finish;
  }
  return total;
}

async function measure(page, kind, route) {
  const ready = READY[kind];
  await page.goto(`${base}${route}`, { waitUntil: "commit" });
  try {
    // Checked on every animation frame, so the moment is the frame that showed it.
    await page.waitForFunction(
      (selector) => {
        const shown = document.querySelector(selector);
        if (shown && window.__shownAt === undefined) window.__shownAt = performance.now();
        return Boolean(shown);
      },
      ready.content,
      { polling: "raf", timeout: 30_000 },
    );
  } catch (error) {
    const shown = await page.locator("body").innerText();
    throw new Error(`${route} did not show its content; the page says:\n${shown.slice(0, 2000)}`, { cause: error });
  }
  // Interactive: the page takes focus and a task queued now runs, so nothing blocks input.
  await page.locator(ready.input).first().focus();
  const interactive = await page.evaluate(
    () => new Promise((resolve) => setTimeout(() => resolve(Math.max(performance.now(), window.__shownAt)), 0)),
  );
  const resources = await page.evaluate(() =>
    performance.getEntriesByType("resource").map((entry) => ({ name: entry.name, startTime: entry.startTime, responseEnd: entry.responseEnd })),
  );
  const api = apiTime(resources.filter((entry) => entry.responseEnd <= interactive));
  if (process.env.MEASURE_TRACE) {
    const shownAt = await page.evaluate(() => window.__shownAt);
    console.error(route, Math.round(shownAt), Math.round(interactive), resources.map((r) => `${r.name.split("/").slice(-2).join("/")} ${Math.round(r.startTime)}-${Math.round(r.responseEnd)}`).join("\n  "));
  }
  return { interactive, api };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "en-US" });
  const page = await context.newPage();
  await page.goto(`${base}/dashboard/login/`);
  await page.fill("#id_username", username);
  await page.fill("#id_password", password);
  await Promise.all([page.waitForURL(/\/dashboard\/$/), page.click("button[type=submit]")]);
  const results = {};
  for (const argument of pageArgs) {
    const name = argument.slice(0, argument.indexOf("="));
    const route = argument.slice(argument.indexOf("=") + 1);
    const kind = name.split(":")[0];
    await measure(page, kind, route); // warm-up: the browser caches the hashed assets
    const samples = [];
    for (let run = 0; run < runs; run += 1) samples.push(await measure(page, kind, route));
    results[name] = samples;
  }
  console.log(JSON.stringify(results));
} finally {
  await browser.close();
}
