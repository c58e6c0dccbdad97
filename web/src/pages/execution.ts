// One execution: the graph coloured by what happened to each state, the selected state's input,
// output, error, retries, timings and Map iterations, and the event history with expandable
// details. While the execution runs, the page polls and redraws.

import { call, callAll, formatDate, type ExecutionDescription, type HistoryEvent } from "../api";
import { buildGraph, enclosingStates, type GraphScope } from "../definition_graph";
import { errorBox, h, prettyJson } from "../dom";
import { analyseHistory, eventDetails, type StateRun } from "../execution_status";
import { renderGraph } from "../graph_view";
import { stopExecution } from "./machine";

const pollMilliseconds = 1000;
const legend: [string, string][] = [
  ["succeeded", "Succeeded"],
  ["failed", "Failed"],
  ["caught", "Caught error"],
  ["retried", "Retried"],
  ["in-progress", "In progress"],
  ["not-reached", "Not reached"],
];

export async function executionPage(root: HTMLElement, arn: string, isCurrent: () => boolean): Promise<void> {
  root.replaceChildren(h("p", { class: "muted" }, "Loading…"));
  let graph: GraphScope | undefined;
  let selected: string | undefined;
  let runs = new Map<string, StateRun>();
  const header = h("div", {});
  const graphBox = h("div", { class: "graph-box" });
  const statePanel = h("aside", { class: "state-panel" }, h("p", { class: "muted" }, "Click a state to see its input, output, error, retries and timings."));
  const historyBox = h("div", {});
  const openRows = new Set<number>();
  root.replaceChildren(
    header,
    h("div", { class: "legend" }, legend.map(([status, label]) => h("span", { class: `legend-item status-${status}` }, h("i", {}), label))),
    h("div", { class: "columns" }, h("section", { class: "main-col" }, graphBox), statePanel),
    h("h2", {}, "Event history"),
    historyBox,
  );

  const drawGraph = async () => {
    if (!graph) return;
    const svgElement = await renderGraph(graph, {
      statusOf: (name) => runs.get(name)?.status ?? "not-reached",
      selected,
      onSelect: (name) => {
        selected = name;
        drawGraph();
        drawPanel();
      },
    });
    graphBox.replaceChildren(svgElement);
  };
  const drawPanel = () => {
    if (!selected) return;
    statePanel.replaceChildren(statePanelContent(selected, runs.get(selected)));
  };

  const refresh = async (): Promise<string> => {
    const [execution, events] = await Promise.all([
      call<ExecutionDescription>("DescribeExecution", { executionArn: arn }),
      callAll<HistoryEvent>("GetExecutionHistory", { executionArn: arn, maxResults: 1000 }, "events", 25000),
    ]);
    if (!graph) {
      const machine = await call<{ definition: string }>("DescribeStateMachineForExecution", { executionArn: arn });
      graph = buildGraph(machine.definition);
    }
    const eventStates = new Map<number, string>();
    runs = analyseHistory(events, execution.status, enclosingStates(graph), eventStates);
    header.replaceChildren(executionHeader(execution));
    historyBox.replaceChildren(historyTable(events, eventStates, openRows));
    await drawGraph();
    drawPanel();
    return execution.status;
  };

  try {
    let status = await refresh();
    while (status === "RUNNING" && isCurrent()) {
      await new Promise((resolve) => setTimeout(resolve, pollMilliseconds));
      if (!isCurrent()) break;
      status = await refresh();
    }
  } catch (error) {
    root.prepend(errorBox(error));
  }
}

function executionHeader(e: ExecutionDescription): HTMLElement {
  const machineName = e.stateMachineArn.split(":").pop() ?? e.stateMachineArn;
  const seconds = e.stopDate ? `${(e.stopDate - e.startDate).toFixed(3)} s` : "";
  return h(
    "div",
    {},
    h("p", { class: "crumbs" }, h("a", { href: "#/" }, "State machines"), " / ", h("a", { href: `#/machine/${encodeURIComponent(e.stateMachineArn)}` }, machineName), " / ", e.name),
    h("h1", {}, e.name, h("span", { class: `status ${e.status}`, id: "execution-status" }, e.status), e.status === "RUNNING" ? h("button", { class: "stop", onclick: () => stopExecution(e.executionArn) }, "Stop") : ""),
    h("p", { class: "arn" }, e.executionArn),
    h("dl", { class: "facts" }, h("dt", {}, "Started"), h("dd", {}, formatDate(e.startDate)), h("dt", {}, "Stopped"), h("dd", {}, formatDate(e.stopDate)), h("dt", {}, "Duration"), h("dd", {}, seconds)),
    e.error || e.cause ? h("div", { class: "error" }, h("strong", {}, e.error ?? ""), " ", e.cause ?? "") : "",
    h("div", { class: "io" }, h("div", {}, h("h3", {}, "Input"), h("pre", {}, prettyJson(e.input))), h("div", {}, h("h3", {}, "Output"), h("pre", { id: "execution-output" }, prettyJson(e.output)))),
  );
}

function statePanelContent(name: string, run: StateRun | undefined): HTMLElement {
  if (!run) return h("div", { id: "state-details" }, h("h2", {}, name), h("p", { class: "status-line" }, "Not reached"));
  const duration = run.enteredAt !== undefined && run.exitedAt !== undefined ? `${(run.exitedAt - run.enteredAt).toFixed(3)} s` : "";
  return h(
    "div",
    { id: "state-details" },
    h("h2", {}, name),
    h("p", { class: `status-line status-${run.status}` }, h("i", {}), run.status.replace("-", " ")),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Entered"),
      h("dd", {}, formatDate(run.enteredAt), run.entered > 1 ? ` (${run.entered} times)` : ""),
      h("dt", {}, "Exited"),
      h("dd", {}, formatDate(run.exitedAt)),
      h("dt", {}, "Duration"),
      h("dd", {}, duration),
      h("dt", {}, "Retries"),
      h("dd", { id: "state-retries" }, String(run.retries)),
    ),
    run.error || run.cause ? h("div", { class: "error" }, h("strong", {}, run.error ?? ""), " ", run.cause ?? "") : "",
    h("h3", {}, "Input"),
    h("pre", {}, prettyJson(run.input)),
    h("h3", {}, "Output"),
    h("pre", {}, prettyJson(run.output)),
    run.iterations.length
      ? h(
          "div",
          { class: "iterations" },
          h("h3", {}, `Map iterations (${run.iterations.length})`),
          h("table", { class: "list" }, h("thead", {}, h("tr", {}, h("th", {}, "Index"), h("th", {}, "Status"))), h("tbody", {}, run.iterations.map((it) => h("tr", { class: `iteration ${it.status}` }, h("td", {}, String(it.index)), h("td", {}, h("span", { class: `status ${it.status.toUpperCase()}` }, it.status)))))),
        )
      : "",
  );
}

function historyTable(events: HistoryEvent[], eventStates: Map<number, string>, openRows: Set<number>): HTMLElement {
  const start = events[0]?.timestamp ?? 0;
  const rows: HTMLElement[] = [];
  for (const event of events) {
    const details = eventDetails(event);
    const iteration = typeof details.index === "number" ? `iteration ${details.index}` : undefined;
    const summary = [eventStates.get(event.id), iteration, details.error, details.resource].filter((x) => typeof x === "string").join(" · ");
    const row = h(
      "tr",
      { class: `event ${/Failed|TimedOut|Aborted/.test(event.type) ? "bad" : ""}`, "data-event-type": event.type },
      h("td", {}, String(event.id)),
      h("td", {}, event.type),
      h("td", {}, summary),
      h("td", {}, `${((event.timestamp - start) * 1000).toFixed(0)} ms`),
      h("td", {}, formatDate(event.timestamp)),
    );
    const detailRow = h("tr", { class: "event-details" }, h("td", { colspan: "5" }, h("pre", {}, prettyJson(JSON.stringify(expandJson(details))))));
    detailRow.hidden = !openRows.has(event.id);
    row.addEventListener("click", () => {
      detailRow.hidden = !detailRow.hidden;
      if (detailRow.hidden) openRows.delete(event.id);
      else openRows.add(event.id);
    });
    rows.push(row, detailRow);
  }
  return h("table", { class: "list history" }, h("thead", {}, h("tr", {}, h("th", {}, "ID"), h("th", {}, "Type"), h("th", {}, "Step"), h("th", {}, "Elapsed"), h("th", {}, "Timestamp"))), h("tbody", {}, rows));
}

// Input/output fields are JSON texts; shown as JSON inside the details.
function expandJson(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (typeof value === "string" && ["input", "output", "parameters"].includes(key)) {
      try {
        out[key] = JSON.parse(value);
        continue;
      } catch {
        // not JSON: keep the text
      }
    }
    out[key] = value;
  }
  return out;
}
