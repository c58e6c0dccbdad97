// Browser test of the web console: a real `stepline serve` on a free port with a fresh data
// directory, state machines that succeed, fail, catch an error after a retry, and wait; headless
// Debian chromium (driven by playwright-core from web/node_modules, never a downloaded browser)
// opens the pages and checks what a person sees. Screenshots go to --artifacts. /metrics is
// scraped before and after to check that the counters move with executions.
//
// node console_browser_test.mjs --stepline BIN --web WEB_DIR --chromium PATH --artifacts DIR
// Exit: 0 all checks pass, 1 a check failed, 77 chromium is absent (skipped).

import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const chromiumPath = args.chromium ?? "/usr/bin/chromium";
const webDir = path.resolve(args.web ?? "web");
const artifacts = path.resolve(args.artifacts ?? "web-artifacts");
const docsPng = args.docs; // optional: where to copy the README screenshot

if (!fs.existsSync(chromiumPath)) {
  console.log(`SKIP: chromium not found at ${chromiumPath}`);
  process.exit(77);
}
if (!fs.existsSync(path.join(webDir, "dist", "index.html"))) {
  console.error(`FAIL: the console is not built (${webDir}/dist); run: npm --prefix web ci && npm --prefix web run build`);
  process.exit(1);
}
if (!args.stepline || !fs.existsSync(args.stepline)) {
  console.error(`FAIL: no stepline binary at ${args.stepline}`);
  process.exit(1);
}
const { chromium } = createRequire(path.join(webDir, "package.json"))("playwright-core");
fs.mkdirSync(artifacts, { recursive: true });

const failures = [];
let checks = 0;
function check(condition, what) {
  checks++;
  if (condition) console.log(`ok   ${what}`);
  else {
    console.log(`FAIL ${what}`);
    failures.push(what);
  }
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- the server ---------------------------------------------------------------------------
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "stepline-web-"));
const server = spawn(args.stepline, ["serve", "--port", "0", "--data-dir", path.join(tmp, "data")], {
  env: { ...process.env, STEPLINE_CONSOLE_DIR: path.join(webDir, "dist") },
  stdio: ["ignore", "pipe", "pipe"],
});
let serverLog = "";
const base = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`server did not start:\n${serverLog}`)), 60000);
  const onData = (chunk) => {
    serverLog += chunk;
    const match = serverLog.match(/listening on (http:\/\/[^\s]+)/);
    if (match) {
      clearTimeout(timer);
      resolve(match[1]);
    }
  };
  server.stdout.on("data", onData);
  server.stderr.on("data", (chunk) => (serverLog += chunk));
  server.on("exit", (code) => reject(new Error(`server exited (${code}):\n${serverLog}`)));
}).catch((error) => {
  console.error(`FAIL ${error.message}`);
  process.exit(1);
});

let browser;
async function finish() {
  await browser?.close().catch(() => {});
  server.kill("SIGTERM");
  await Promise.race([new Promise((resolve) => server.once("exit", resolve)), sleep(10000)]);
  if (server.exitCode === null) server.kill("SIGKILL");
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`\n${checks - failures.length}/${checks} checks passed; screenshots in ${artifacts}`);
  process.exit(failures.length ? 1 : 0);
}
const deadline = setTimeout(() => {
  failures.push("the whole test took longer than 240 s");
  finish();
}, 240000);

async function api(operation, input) {
  const response = await fetch(`${base}/`, {
    method: "POST",
    headers: { "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": `AWSStepFunctions.${operation}` },
    body: JSON.stringify(input),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(`${operation}: ${response.status} ${body.__type ?? ""} ${body.message ?? ""}`);
  return body;
}

// Sum of every series of `name` whose labels contain all of `labels`.
function metric(text, name, labels = {}) {
  let sum = 0;
  for (const line of text.split("\n")) {
    const match = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...(match[3] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(match[4]);
  }
  return sum;
}
const scrape = async () => (await fetch(`${base}/metrics`)).text();

const role = "arn:aws:iam::123456789012:role/stepline-console-test";
const machines = {
  "console-happy": {
    Comment: "Prepare, check, fan out over items, done",
    StartAt: "Prepare",
    States: {
      Prepare: { Type: "Pass", Result: { items: [1, 2, 3] }, Next: "Has items?" },
      "Has items?": { Type: "Choice", Choices: [{ Variable: "$.items[0]", IsPresent: true, Next: "Each item" }], Default: "Nothing to do" },
      "Nothing to do": { Type: "Pass", End: true },
      "Each item": { Type: "Map", ItemsPath: "$.items", ItemProcessor: { StartAt: "Double", States: { Double: { Type: "Pass", End: true } } }, Next: "Done" },
      Done: { Type: "Succeed" },
    },
  },
  "console-failing": {
    StartAt: "Validate",
    States: { Validate: { Type: "Pass", Next: "Reject" }, Reject: { Type: "Fail", Error: "Rejected", Cause: "the order is not valid" } },
  },
  "console-caught": {
    StartAt: "Try",
    States: {
      Try: {
        Type: "Parallel",
        Branches: [{ StartAt: "Boom", States: { Boom: { Type: "Fail", Error: "Boom", Cause: "always" } } }],
        Retry: [{ ErrorEquals: ["Boom"], MaxAttempts: 1, IntervalSeconds: 1 }],
        Catch: [{ ErrorEquals: ["States.ALL"], Next: "Recover" }],
        Next: "Unreached",
      },
      Unreached: { Type: "Pass", End: true },
      Recover: { Type: "Pass", End: true },
    },
  },
  "console-waiting": {
    StartAt: "Pause",
    States: { Pause: { Type: "Wait", Seconds: 6, Next: "After" }, After: { Type: "Pass", End: true } },
  },
};

try {
  // ---- pages served ------------------------------------------------------------------------
  const index = await fetch(`${base}/`);
  check(index.status === 200 && (await index.text()).includes("Stepline console"), "GET / serves the console");
  const before = await scrape();
  check(before.includes("# TYPE stepline_http_requests_total counter"), "GET /metrics answers Prometheus text");

  const arns = {};
  for (const [name, definition] of Object.entries(machines)) {
    const created = await api("CreateStateMachine", { name, definition: JSON.stringify(definition), roleArn: role });
    arns[name] = created.stateMachineArn;
  }
  const start = async (machine, name, input = {}) =>
    (await api("StartExecution", { stateMachineArn: arns[machine], name, input: JSON.stringify(input) })).executionArn;
  const version = await api("PublishStateMachineVersion", { stateMachineArn: arns["console-happy"], description: "first" });
  await api("CreateStateMachineAlias", { name: "live", routingConfiguration: [{ stateMachineVersionArn: version.stateMachineVersionArn, weight: 100 }] });
  const happy = await start("console-happy", "happy-1");
  const failing = await start("console-failing", "failing-1");
  const caught = await start("console-caught", "caught-1");

  async function waitStatus(arn, wanted, seconds = 30) {
    for (let i = 0; i < seconds * 4; i++) {
      const { status } = await api("DescribeExecution", { executionArn: arn });
      if (status !== "RUNNING" || wanted === "RUNNING") return status;
      await sleep(250);
    }
    return "RUNNING";
  }

  // A persistent context is how playwright takes a fresh --user-data-dir of our choosing.
  browser = await chromium.launchPersistentContext(path.join(tmp, "profile"), {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage();
  const consoleErrors = [];
  page.on("pageerror", (error) => consoleErrors.push(String(error)));
  const statusOf = (name) => page.getAttribute(`g.state[data-state="${name}"]`, "data-status");
  const shot = (file) => page.screenshot({ path: path.join(artifacts, file), fullPage: true });

  // ---- a running execution updates live ----------------------------------------------------
  // Started only now, with the browser up, so that its Wait is still running when the page opens.
  const waiting = await start("console-waiting", "waiting-1");
  await page.goto(`${base}/#/execution/${encodeURIComponent(waiting)}`);
  await page.waitForSelector('g.state[data-state="Pause"]');
  check((await page.textContent("#execution-status")) === "RUNNING", "running execution shows RUNNING");
  check((await statusOf("Pause")) === "in-progress", "the Wait state being waited on is in progress");
  check((await statusOf("After")) === "not-reached", "the state after it is not reached yet");
  await shot("execution-running.png");
  await page.waitForFunction(() => document.querySelector("#execution-status")?.textContent === "SUCCEEDED", null, { timeout: 30000 }).catch(() => {});
  check((await page.textContent("#execution-status")) === "SUCCEEDED", "the page updates by itself to SUCCEEDED");
  check((await statusOf("After")) === "succeeded", "after the wait, the next state turns succeeded");

  // ---- a successful execution: Choice, Map iterations, history -----------------------------
  check((await waitStatus(happy)) === "SUCCEEDED", "happy execution succeeds");
  await page.goto(`${base}/#/execution/${encodeURIComponent(happy)}`);
  await page.waitForSelector('g.state[data-state="Done"][data-status]');
  for (const name of ["Prepare", "Has items?", "Each item", "Double", "Done"])
    check((await statusOf(name)) === "succeeded", `happy: ${name} is coloured succeeded`);
  check((await statusOf("Nothing to do")) === "not-reached", "happy: the Choice's other branch is not reached");
  const fill = await page.$eval('g.state[data-state="Done"] rect', (rect) => getComputedStyle(rect).fill);
  check(fill === "rgb(220, 243, 227)", `happy: succeeded states are drawn green (${fill})`);
  await page.click('g.state[data-state="Each item"] text.name');
  await page.waitForSelector("#state-details .iterations");
  check((await page.$$("#state-details tr.iteration.succeeded")).length === 3, "happy: the Map shows 3 succeeded iterations");
  const historyTypes = await page.$$eval("table.history tr.event", (rows) => rows.map((row) => row.getAttribute("data-event-type")));
  check(historyTypes[0] === "ExecutionStarted" && historyTypes.at(-1) === "ExecutionSucceeded", "happy: history runs from ExecutionStarted to ExecutionSucceeded");
  check(historyTypes.filter((type) => type === "MapIterationSucceeded").length === 3, "happy: history has 3 MapIterationSucceeded rows");
  await page.click('table.history tr.event[data-event-type="ExecutionSucceeded"]');
  const detailsShown = await page.$eval('table.history tr.event[data-event-type="ExecutionSucceeded"] + tr.event-details', (row) => !row.hidden && row.textContent.includes("output"));
  check(detailsShown, "happy: clicking a history row expands its details");
  await shot("execution-succeeded.png");

  // ---- a failed execution --------------------------------------------------------------------
  check((await waitStatus(failing)) === "FAILED", "failing execution fails");
  await page.goto(`${base}/#/execution/${encodeURIComponent(failing)}`);
  await page.waitForSelector('g.state[data-state="Reject"][data-status]');
  check((await statusOf("Validate")) === "succeeded", "failing: Validate succeeded");
  check((await statusOf("Reject")) === "failed", "failing: the Fail state is coloured failed");
  await page.click('g.state[data-state="Reject"]');
  check((await page.textContent("#state-details")).includes("Rejected"), "failing: the state panel shows the error");
  check((await page.$$('table.history tr.event[data-event-type="ExecutionFailed"]')).length === 1, "failing: history shows ExecutionFailed");
  await shot("execution-failed.png");

  // ---- a caught error after a retry --------------------------------------------------------
  check((await waitStatus(caught)) === "SUCCEEDED", "caught execution succeeds");
  await page.goto(`${base}/#/execution/${encodeURIComponent(caught)}`);
  await page.waitForSelector('g.state[data-state="Try"][data-status]');
  check((await statusOf("Try")) === "caught", "caught: the Parallel is coloured caught");
  check((await statusOf("Recover")) === "succeeded", "caught: the catcher's Next succeeded");
  check((await statusOf("Unreached")) === "not-reached", "caught: the normal Next is not reached");
  await page.click('g.state[data-state="Try"] text.name');
  check((await page.textContent("#state-retries")) === "1", "caught: the state panel counts 1 retry");
  await shot("execution-caught.png");
  if (docsPng) fs.copyFileSync(path.join(artifacts, "execution-caught.png"), docsPng);

  // ---- the machine page: graph, executions, filter, search, start, stop --------------------
  await page.goto(`${base}/#/`);
  await page.waitForSelector("table.machines");
  for (const name of Object.keys(machines)) check((await page.$(`table.machines >> text=${name}`)) !== null, `machines list shows ${name}`);
  await shot("machines.png");
  await page.goto(`${base}/#/machine/${encodeURIComponent(arns["console-happy"])}`);
  await page.waitForSelector('g.state[data-state="Double"]');
  for (const name of ["Prepare", "Has items?", "Nothing to do", "Each item", "Double", "Done"])
    check((await page.$(`g.state[data-state="${name}"]`)) !== null, `machine graph draws ${name}`);
  check((await page.textContent("svg.graph")).includes("$.items[0] is present"), "machine graph labels the Choice rule with its condition");
  check((await page.textContent("svg.graph")).includes("Item processor"), "machine graph draws the Map's item processor as a group");
  await page.waitForSelector('tr[data-execution="happy-1"]');
  await page.waitForSelector("#versions li, #aliases li", { timeout: 10000 }).catch(() => {});
  check((await page.textContent("#versions")).includes("Version 1"), "machine page lists version 1");
  check((await page.textContent("#aliases")).includes("live") && (await page.textContent("#aliases")).includes("v1 100%"), "machine page lists the alias and its routing");
  await shot("machine.png");
  await page.click("details.start summary");
  await page.fill("#start-name", "from-the-console");
  await page.fill("#start-input", '{"from": "console"}');
  await page.click("#start-button");
  await page.waitForURL(/#\/execution\//, { timeout: 10000 }).catch(() => {});
  check(page.url().includes(encodeURIComponent(":from-the-console")), "starting an execution from the form opens it");
  await page.waitForSelector('g.state[data-state="Done"][data-status="succeeded"]', { timeout: 15000 }).catch(() => {});
  await shot("execution-started-from-console.png");

  await page.goto(`${base}/#/machine/${encodeURIComponent(arns["console-waiting"])}`);
  await page.waitForSelector('tr[data-execution="waiting-1"]');
  await start("console-waiting", "to-stop");
  await page.selectOption("#status-filter", "RUNNING");
  await page.waitForSelector('tr[data-execution="to-stop"] button.stop', { timeout: 10000 }).catch(() => {});
  check((await page.$('tr[data-execution="waiting-1"]')) === null, "status filter RUNNING hides finished executions");
  await page.selectOption("#status-filter", "");
  await page.waitForSelector('tr[data-execution="waiting-1"]');
  await page.fill("#name-search", "stop");
  check((await page.$$("table.executions tbody tr")).length === 1, "search by name keeps only matching executions");
  page.once("dialog", (dialog) => dialog.dismiss());
  await page.click('tr[data-execution="to-stop"] button.stop');
  await page.waitForSelector('tr[data-execution="to-stop"] .status.ABORTED', { timeout: 10000 }).catch(() => {});
  check((await page.$('tr[data-execution="to-stop"] .status.ABORTED')) !== null, "Stop aborts a running execution");

  check(consoleErrors.length === 0, `no script errors in the page (${consoleErrors.join("; ")})`);

  // ---- metrics move with executions ----------------------------------------------------------
  const after = await scrape();
  const started = (text) => metric(text, "stepline_executions_started_total");
  check(started(after) - started(before) >= 6, `executions started counter rose by ≥ 6 (${started(before)} -> ${started(after)})`);
  check(metric(after, "stepline_executions_closed_total", { status: "SUCCEEDED" }) >= 3, "executions closed SUCCEEDED counted");
  check(metric(after, "stepline_executions_closed_total", { status: "FAILED" }) >= 1, "executions closed FAILED counted");
  check(metric(after, "stepline_executions_closed_total", { status: "ABORTED" }) >= 1, "executions closed ABORTED counted");
  check(metric(after, "stepline_state_transitions_total") > 0, "state transitions counted");
  check(metric(after, "stepline_http_requests_total", { operation: "StartExecution", code: "200" }) >= 6, "HTTP requests counted per operation");
  check(metric(after, "stepline_http_request_duration_seconds_count", { operation: "GetExecutionHistory" }) > 0, "HTTP latency recorded per operation");
} catch (error) {
  check(false, `unexpected error: ${error.stack ?? error}`);
  console.log(serverLog.slice(-4000));
} finally {
  clearTimeout(deadline);
  await finish();
}
