// Live reload in a real browser: open a page served by `kiosk serve`, edit its markdown and
// wait for the visible text to change with no action in the browser; break the front matter and
// wait for the overlay naming file and line; fix it and wait for the overlay to go.
// Usage: node live.mjs <path-to-kiosk-binary>
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const kiosk = process.argv[2];
const root = mkdtempSync(join(tmpdir(), "kiosk-live-"));
const write = (rel, text) => { mkdirSync(join(root, rel, ".."), { recursive: true }); writeFileSync(join(root, rel), text); };
write("kiosk.yaml", 'title: "Live"\nbase_url: "https://example.org/"\n');
write("content/blog/_index.md", "---\ntitle: Blog\n---\n");
const post = (title, text) => `---\ntitle: "${title}"\ndate: 2026-01-01\n---\n${text}\n`;
write("content/blog/hallo.md", post("Hallo", "Erster Stand."));
write("static/robots-extra.txt", "");

const server = spawn(kiosk, ["serve", "--port", "0", "--root", root], { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise((resolve, reject) => {
  createInterface({ input: server.stdout }).once("line", (l) => resolve(l.trim()));
  server.once("exit", (c) => reject(new Error(`kiosk serve exited with ${c}`)));
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"],
});
let failed = false;
const step = async (name, fn) => {
  const t = Date.now();
  try { await fn(); console.log(`ok   ${name} (${Date.now() - t} ms)`); }
  catch (e) { failed = true; console.log(`FAIL ${name}: ${e.message}`); }
};
try {
  const page = await browser.newPage();
  await page.goto(url + "blog/hallo/");
  await step("page shows the first text", () => page.getByText("Erster Stand.").waitFor({ timeout: 5000 }));
  write("content/blog/hallo.md", post("Hallo", "Zweiter Stand."));
  await step("the edit appears without any action in the browser", () => page.getByText("Zweiter Stand.").waitFor({ timeout: 10000 }));
  write("content/blog/hallo.md", '---\ntitle: "Hallo\ndate: 2026-01-01\n---\nKaputt.\n');
  await step("broken front matter shows the overlay with file and line", async () => {
    const overlay = page.locator("#kiosk-overlay");
    await overlay.waitFor({ timeout: 10000 });
    const text = await overlay.innerText();
    if (!/content\/blog\/hallo\.md:\d+:\d+/.test(text)) throw new Error(`overlay text: ${text}`);
    if (!(await page.getByText("Zweiter Stand.").isVisible())) throw new Error("the last good page is not shown");
  });
  write("content/blog/hallo.md", post("Hallo", "Dritter Stand."));
  await step("the fix removes the overlay", async () => {
    await page.getByText("Dritter Stand.").waitFor({ timeout: 10000 });
    await page.locator("#kiosk-overlay").waitFor({ state: "detached", timeout: 10000 });
  });
  await step("a stylesheet change is swapped in without reloading the page", async () => {
    await page.evaluate(() => { window.__kioskMarker = 42; });
    write("static/style.css", "body { background-color: rgb(1, 2, 3); }\n");
    await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor === "rgb(1, 2, 3)", null, { timeout: 10000 });
    if ((await page.evaluate(() => window.__kioskMarker)) !== 42) throw new Error("the page was reloaded");
  });
} finally {
  await browser.close();
  server.kill();
}
process.exit(failed ? 1 : 0);
