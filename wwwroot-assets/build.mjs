// Copies the browser libraries and the portal's own scripts into the web app's wwwroot/lib (run by the web
// project's build after `npm ci`; the output is ignored by git).
import { cpSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] ?? join(here, "..", "src", "PneumoniaPortal.Web", "wwwroot", "lib");
mkdirSync(out, { recursive: true });

const copies = [
  ["node_modules/apexcharts/dist/apexcharts.min.js", "apexcharts.min.js"],
  ["node_modules/apexcharts/dist/apexcharts.css", "apexcharts.css"],
  ["node_modules/@microsoft/signalr/dist/browser/signalr.min.js", "signalr.min.js"],
];
for (const file of readdirSync(join(here, "src"))) copies.push([join("src", file), file]);
for (const [from, to] of copies) cpSync(join(here, from), join(out, to));
console.log(`portal assets: ${copies.length} files -> ${out}`);
