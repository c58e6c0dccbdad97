// One state machine: its graph, versions and aliases, and its executions (status filter, search
// by name, start with input JSON, stop).

import { call, callAll, formatDate, type ExecutionListItem } from "../api";
import { buildGraph } from "../definition_graph";
import { errorBox, h } from "../dom";
import { renderGraph } from "../graph_view";

const statuses = ["", "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];

export async function machinePage(root: HTMLElement, arn: string): Promise<void> {
  root.replaceChildren(h("p", { class: "muted" }, "Loading…"));
  let machine: Record<string, unknown>;
  try {
    machine = await call("DescribeStateMachine", { stateMachineArn: arn });
  } catch (error) {
    root.replaceChildren(h("h1", {}, arn.split(":").pop() ?? arn), errorBox(error));
    return;
  }
  const graphBox = h("div", { class: "graph-box" });
  const versionsBox = h("div", { class: "side-list", id: "versions" }, "…");
  const aliasesBox = h("div", { class: "side-list", id: "aliases" }, "…");
  const executionsBox = h("div", { class: "executions" });
  const statusSelect = h("select", { id: "status-filter" }, statuses.map((s) => h("option", { value: s }, s || "All statuses")));
  const search = h("input", { id: "name-search", type: "search", placeholder: "Search by name" });
  const startForm = startExecutionForm(arn);

  root.replaceChildren(
    h("p", { class: "crumbs" }, h("a", { href: "#/" }, "State machines"), " / ", String(machine.name)),
    h("h1", {}, String(machine.name), h("span", { class: "badge" }, String(machine.type ?? ""))),
    h("p", { class: "arn" }, arn),
    h("div", { class: "columns" }, h("section", { class: "main-col" }, h("h2", {}, "Definition"), graphBox), h("aside", {}, h("h2", {}, "Versions"), versionsBox, h("h2", {}, "Aliases"), aliasesBox)),
    h("section", {}, h("h2", {}, "Executions"), h("div", { class: "toolbar" }, statusSelect, search), startForm, executionsBox),
  );

  try {
    graphBox.replaceChildren(await renderGraph(buildGraph(String(machine.definition))));
  } catch (error) {
    graphBox.replaceChildren(errorBox(error));
  }
  loadVersions(arn, versionsBox);
  loadAliases(arn, aliasesBox);

  let all: ExecutionListItem[] = [];
  const show = () => {
    const needle = search.value.trim().toLowerCase();
    const shown = all.filter((e) => !needle || e.name.toLowerCase().includes(needle));
    executionsBox.replaceChildren(executionTable(shown, () => load()));
  };
  const load = async () => {
    try {
      const filter = statusSelect.value ? { statusFilter: statusSelect.value } : {};
      all = await callAll<ExecutionListItem>("ListExecutions", { stateMachineArn: arn, ...filter }, "executions", 1000);
      show();
    } catch (error) {
      executionsBox.replaceChildren(errorBox(error));
    }
  };
  statusSelect.addEventListener("change", load);
  search.addEventListener("input", show);
  await load();
}

async function loadVersions(arn: string, box: HTMLElement) {
  try {
    const versions = await callAll<{ stateMachineVersionArn: string; creationDate: number }>("ListStateMachineVersions", { stateMachineArn: arn }, "stateMachineVersions");
    box.replaceChildren(
      versions.length
        ? h("ul", {}, versions.map((v) => h("li", {}, h("a", { href: `#/machine/${encodeURIComponent(v.stateMachineVersionArn)}` }, `Version ${v.stateMachineVersionArn.split(":").pop()}`), " ", h("span", { class: "muted" }, formatDate(v.creationDate)))))
        : h("p", { class: "muted" }, "No versions published."),
    );
  } catch (error) {
    box.replaceChildren(errorBox(error));
  }
}

async function loadAliases(arn: string, box: HTMLElement) {
  try {
    const aliases = await callAll<{ stateMachineAliasArn: string }>("ListStateMachineAliases", { stateMachineArn: arn }, "stateMachineAliases");
    const items = await Promise.all(
      aliases.map(async (a) => {
        const alias = await call<{ name: string; routingConfiguration: { stateMachineVersionArn: string; weight: number }[] }>("DescribeStateMachineAlias", { stateMachineAliasArn: a.stateMachineAliasArn });
        const routes = alias.routingConfiguration.map((r) => `v${r.stateMachineVersionArn.split(":").pop()} ${r.weight}%`).join(", ");
        return h("li", {}, h("strong", {}, alias.name), " → ", routes);
      }),
    );
    box.replaceChildren(items.length ? h("ul", {}, items) : h("p", { class: "muted" }, "No aliases."));
  } catch (error) {
    box.replaceChildren(errorBox(error));
  }
}

function executionTable(executions: ExecutionListItem[], reload: () => void): HTMLElement {
  if (!executions.length) return h("p", { class: "muted" }, "No executions.");
  return h(
    "table",
    { class: "list executions" },
    h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Status"), h("th", {}, "Started"), h("th", {}, "Stopped"), h("th", {}, ""))),
    h(
      "tbody",
      {},
      executions.map((e) =>
        h(
          "tr",
          { "data-execution": e.name },
          h("td", {}, h("a", { href: `#/execution/${encodeURIComponent(e.executionArn)}` }, e.name)),
          h("td", {}, h("span", { class: `status ${e.status}` }, e.status)),
          h("td", {}, formatDate(e.startDate)),
          h("td", {}, formatDate(e.stopDate)),
          h("td", {}, e.status === "RUNNING" ? h("button", { class: "stop", onclick: () => stopExecution(e.executionArn).then(reload) }, "Stop") : ""),
        ),
      ),
    ),
  );
}

export async function stopExecution(executionArn: string): Promise<void> {
  try {
    await call("StopExecution", { executionArn, error: "Stopped", cause: "Stopped from the Stepline console" });
  } catch (error) {
    alert(`StopExecution failed: ${(error as Error).message}`);
  }
}

function startExecutionForm(arn: string): HTMLElement {
  const name = h("input", { id: "start-name", placeholder: "Name (optional)" });
  const input = h("textarea", { id: "start-input", rows: "4", spellcheck: "false" }, "{}");
  const message = h("div", { class: "form-message" });
  const start = async (event: Event) => {
    event.preventDefault();
    try {
      JSON.parse(input.value);
    } catch (error) {
      message.replaceChildren(errorBox({ type: "Invalid JSON", message: (error as Error).message }));
      return;
    }
    try {
      const result = await call<{ executionArn: string }>("StartExecution", { stateMachineArn: arn, input: input.value, ...(name.value.trim() ? { name: name.value.trim() } : {}) });
      location.hash = `#/execution/${encodeURIComponent(result.executionArn)}`;
    } catch (error) {
      message.replaceChildren(errorBox(error));
    }
  };
  return h("details", { class: "start" }, h("summary", {}, "Start execution"), h("form", { onsubmit: start }, h("label", {}, "Name", name), h("label", {}, "Input (JSON)", input), h("button", { type: "submit", id: "start-button" }, "Start"), message));
}
