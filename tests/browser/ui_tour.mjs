// The newcomer's tour of the web UI in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core): sign in, create a tenant, a domain, a pool, a header, a cluster and the
// assignment, preview, deploy, change the header, deploy, read the diff, roll back, sign out.
// Labels are the ones docs/ui.md and issue 11 name. A screenshot of each page (1280x800) goes
// to the folder given as the second argument. Usage: node ui_tour.mjs <vantus-controller> <dir>
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const [controllerBinary, screenshotDir] = process.argv.slice(2);
if (!controllerBinary || !screenshotDir) {
  console.error("usage: node ui_tour.mjs <vantus-controller> <screenshot dir>");
  process.exit(2);
}
mkdirSync(screenshotDir, { recursive: true });

function check(condition, what) {
  if (!condition) {
    throw new Error(`check failed: ${what}`);
  }
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(base, child) {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) {
      throw new Error(`the controller exited with ${child.exitCode}`);
    }
    try {
      const answer = await fetch(`${base}/healthz`);
      if (answer.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the controller did not answer /healthz within 30 s");
}

const root = mkdtempSync(join(tmpdir(), "vantus-browser-"));
const state = join(root, "state");
const init = execFileSync(controllerBinary, ["init", "--state-dir", state], { encoding: "utf8" });
const email = /admin login:\s+(\S+)/.exec(init)[1];
const password = /admin password:\s+(\S+)/.exec(init)[1];
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const controller = spawn(
  controllerBinary,
  ["serve", "--state-dir", state, "--listen", `127.0.0.1:${port}`],
  { stdio: ["ignore", "ignore", "inherit"] },
);
let browser;
let shots = 0;
try {
  await waitForHealth(base, controller);
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox"],
    timeout: 60000,
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(30000);
  const problems = [];
  // Refused forms answer 400 on purpose; anything missing or failing on the server is a bug,
  // and so is every other console error (a CSP violation is one).
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      problems.push(message.text());
    }
  });
  page.on("response", (response) => {
    if (response.status() === 404 || response.status() >= 500) {
      problems.push(`${response.status()} ${response.url()}`);
    }
  });
  page.on("pageerror", (error) => problems.push(error.message));
  // Every page of the tour: a screenshot, and axe-core finds no serious or critical violation.
  // axe is evaluated through the DevTools protocol, which the page's CSP does not govern.
  const accessibility = [];
  const shot = async (name) => {
    shots += 1;
    const file = join(screenshotDir, `${String(shots).padStart(2, "0")}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const results = await window.axe.run(document, { resultTypes: ["violations"] });
      return results.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    });
    for (const violation of violations) {
      accessibility.push(`${name}: ${violation}`);
    }
  };

  await page.goto(`${base}/`);
  check(page.url().startsWith(`${base}/login`), "signed out, / leads to /login");
  await shot("login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${base}/`);
  await shot("dashboard");

  await page.goto(`${base}/tenants/new`);
  await page.getByLabel("Slug").fill("acme");
  await page.getByLabel("Name").fill("Acme <Corp>");
  await page.getByRole("button", { name: "Create tenant" }).click();
  await page.waitForURL(/\/tenants\/\d+$/);
  const tenant = page.url();
  check((await page.locator("h1").first().textContent()).includes("Acme <Corp>"), "name as text");

  await page.goto(`${tenant}/domains`);
  await page.getByLabel("Domain name").fill("a.com;include /etc/passwd");
  await page.getByRole("button", { name: "Add domain" }).click();
  check((await page.getByLabel("Domain name").inputValue()) === "a.com;include /etc/passwd",
        "the refused value is kept");
  check(await page.locator(".form-error").isVisible(), "the reason is shown by the field");
  await shot("domain-refused");
  await page.getByLabel("Domain name").fill("www.acme.example");
  await page.getByRole("button", { name: "Add domain" }).click();
  await page.waitForURL(`${tenant}/domains`);
  check(await page.getByRole("cell", { name: "www.acme.example" }).isVisible(), "domain listed");
  // The script runs under the CSP: a removal asks first. Dismissed, nothing changes.
  await page.getByLabel("Domain name").fill("old.acme.example");
  await page.getByRole("button", { name: "Add domain" }).click();
  await page.waitForURL(`${tenant}/domains`);
  const removeOld = page.getByRole("row", { name: /old\.acme\.example/ }).getByRole("button");
  let asked = 0;
  page.once("dialog", (dialog) => {
    asked += 1;
    dialog.dismiss();
  });
  await removeOld.click();
  await page.waitForTimeout(200);
  check(asked === 1, "the script asked before removing");
  check(await page.getByRole("cell", { name: "old.acme.example" }).count() === 1, "kept");
  page.once("dialog", (dialog) => dialog.accept());
  await removeOld.click();
  await page.waitForURL(`${tenant}/domains`);
  await page.getByRole("cell", { name: "old.acme.example" }).waitFor({ state: "detached" });
  await shot("domains");

  await page.goto(`${tenant}/upstreams`);
  await page.getByLabel("Pool name").fill("web");
  await page.getByLabel("Target host").fill("127.0.0.1");
  await page.getByLabel("Target port").fill("18081");
  await page.getByRole("button", { name: "Save pool" }).click();
  await page.waitForURL(`${tenant}/upstreams`);
  await shot("upstreams");

  await page.goto(`${tenant}/policy`);
  await page.getByLabel("Header name").first().fill("X-Tour");
  await page.getByLabel("Header value").first().fill("first");
  await page.getByLabel("Requests per second").fill("50");
  await page.getByLabel("Burst").fill("100");
  await page.getByLabel("IP allowlist").fill("10.0.0.0/8");
  await page.getByLabel("CORS origins").fill("https://app.acme.example");
  await page.getByLabel("Cache lifetime in seconds").fill("oops");
  await page.getByRole("button", { name: "Save policy" }).click();
  check(await page.locator(".form-error", { hasText: "cache_ttl" }).isVisible(),
        "the refused cache lifetime is named beside its field");
  check((await page.getByLabel("CORS origins").inputValue()) === "https://app.acme.example",
        "what was typed is kept after a refusal");
  await shot("policy-refused");
  await page.getByLabel("Cache lifetime in seconds").fill("60");
  await page.getByRole("button", { name: "Save policy" }).click();
  await page.waitForURL(`${tenant}/policy`);
  await shot("policy");

  await page.goto(`${base}/tenants?q=ACME.exa`);
  check(await page.getByRole("link", { name: "Acme <Corp>" }).isVisible(),
        "search finds the tenant by a piece of its domain, in any case");
  await page.getByLabel("Search tenants").fill("no-such-tenant");
  await page.getByRole("button", { name: "Search" }).click();
  check((await page.textContent("main")).includes("No tenant matches"), "an empty search says so");
  await shot("tenants-search");

  await page.goto(`${base}/edges`);
  await page.getByLabel("Cluster name").fill("edge-a");
  await page.getByRole("button", { name: "Create cluster" }).click();
  await page.waitForURL(`${base}/edges`);
  await shot("edges");
  await page.goto(`${tenant}/clusters`);
  await page.getByLabel("edge-a").check();
  await page.getByRole("button", { name: "Save assignments" }).click();
  await page.waitForURL(`${tenant}/clusters`);

  // A target nginx cannot resolve: the preview's pre-check shows nginx's words, marks the
  // line and disables Deploy; deleting the pool clears it.
  await page.goto(`${tenant}/upstreams`);
  await page.getByLabel("Pool name").fill("broken");
  await page.getByLabel("Target host").fill("nonexistent.invalid");
  await page.getByLabel("Target port").fill("80");
  await page.getByRole("button", { name: "Save pool" }).click();
  await page.waitForURL(`${tenant}/upstreams`);
  await page.goto(`${tenant}/preview`);
  check(await page.locator(".precheck.refused", { hasText: "host not found" }).isVisible(),
        "the preview shows nginx's refusal");
  check(await page.locator("table.diff tr.offending", { hasText: "nonexistent.invalid" }).count() === 1,
        "the offending line is marked in the diff");
  check(await page.getByRole("button", { name: "Deploy" }).isDisabled(), "Deploy is disabled");
  check(await page.locator("#deploy-blocked").isVisible(), "the reason is next to the button");
  await shot("preview-refused");
  await page.goto(`${tenant}/upstreams`);
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("region", { name: "Pool broken" }).getByRole("button", { name: "Delete pool" }).click();
  await page.waitForURL(`${tenant}/upstreams`);

  await page.goto(`${tenant}/preview`);
  check(await page.locator(".precheck.passed").isVisible(), "the pre-check passes again");
  check(await page.locator("table.diff tr.add", { hasText: '"X-Tour" "first"' }).count() === 1,
        "preview shows the header");
  check(await page.locator("table.diff tr.add", { hasText: "app.acme.example" }).count() >= 1,
        "preview shows the CORS origin");
  check(await page.locator("table.diff tr.add", { hasText: "10.0.0.0/8" }).count() >= 1,
        "preview shows the allowlist");
  await shot("preview");
  await page.getByLabel("Message").fill("first");
  await page.getByRole("button", { name: "Deploy" }).click();
  await page.waitForURL(/\/deployments\/1$/);
  check((await page.textContent("main")).includes("edge-a: version 1"), "release listed");
  await shot("deployment-1");

  await page.goto(`${tenant}/policy`);
  await page.getByLabel("Header value").first().fill("second");
  await page.getByRole("button", { name: "Save policy" }).click();
  await page.waitForURL(`${tenant}/policy`);
  // The second deploy with the keyboard alone: type the message, Tab to Deploy, Enter.
  await page.goto(`${tenant}/preview`);
  await page.getByLabel("Message").focus();
  await page.keyboard.type("second");
  await page.keyboard.press("Tab");
  check(await page.evaluate(() => document.activeElement.textContent) === "Deploy",
        "Tab from the message reaches the Deploy button");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/deployments\/2$/);
  check(await page.locator("table.diff tr.del", { hasText: '"X-Tour" "first"' }).count() === 1,
        "the diff removes the old header");
  check(await page.locator("table.diff tr.add", { hasText: '"X-Tour" "second"' }).count() === 1,
        "the diff adds the new header");
  await shot("deployment-2-diff");

  await page.goto(`${tenant}/deployments/1`);
  await page.getByRole("link", { name: "Roll back to this deployment" }).click();
  await page.waitForURL(/\/deployments\/1\/rollback$/);
  await shot("rollback-confirm");
  await page.getByRole("button", { name: "Confirm rollback" }).click();
  await page.waitForURL(/\/deployments\/3$/);
  check((await page.textContent("main")).includes("rollback of deployment 1"), "rollback page");
  await shot("deployment-3-rollback");
  await page.goto(`${tenant}/deployments`);
  await shot("deployments");

  // The remaining pages a person meets, each looked at and checked by axe.
  await page.goto(`${tenant}`);
  await shot("tenant-overview");
  await page.goto(`${tenant}/members`);
  await shot("members");
  await page.goto(`${tenant}/settings`);
  await shot("settings");
  await page.goto(`${base}/users`);
  await page.getByLabel("Email").fill("viewer@acme.example");
  await page.getByRole("button", { name: "Create user" }).click();
  check((await page.textContent("main")).includes("/reset/"), "a new user's one-time link is shown");
  await shot("users");
  await page.goto(`${base}/settings/api-tokens`);
  await page.getByLabel("Token name").fill("terraform");
  await page.getByLabel("config:read").check();
  await page.getByRole("button", { name: "Create token" }).click();
  check((await page.textContent("main")).includes("vt_"), "the secret is shown once");
  await shot("api-tokens");
  await page.goto(`${base}/settings/security`);
  await shot("security");
  await page.goto(`${base}/audit`);
  check((await page.textContent("main")).includes("deployment.create"), "the audit log lists the deploys");
  await shot("audit");

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(`${base}/login`);
  await page.goto(`${tenant}/deployments`);
  check(page.url().startsWith(`${base}/login`), "signed out for the server too");
  check(problems.length === 0, `no console errors (CSP violations included): ${problems.join("; ")}`);
  check(accessibility.length === 0, `accessibility:\n  ${accessibility.join("\n  ")}`);
  console.log(`browser tour passed; ${shots} screenshots in ${screenshotDir}`);
} finally {
  if (browser) {
    await browser.close();
  }
  // The controller writes its last audit checkpoint as it stops: remove its state dir after.
  const exited = new Promise((resolve) => controller.once("exit", resolve));
  controller.kill("SIGTERM");
  if (controller.exitCode === null && controller.signalCode === null) {
    await exited;
  }
  rmSync(root, { recursive: true, force: true });
}
