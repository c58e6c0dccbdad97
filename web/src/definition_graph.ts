// A definition as a graph, the same model as `stepline graph` (src/graph): one scope per States
// block with Start/End markers; edges for Next, Choice rules (with their conditions), Default and
// Catch; Parallel branches and Map item processors as nested scopes.

export type EdgeKind = "next" | "choice" | "default" | "catch";

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  label: string;
}

export interface GraphNode {
  id: string;
  name: string;
  type: string; // Task, Pass, ..., or Start / End
  detail: string;
  children: GraphScope[];
}

export interface GraphScope {
  id: string;
  label: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

type Json = Record<string, unknown>;

const comparisons: [string, string][] = [
  ["GreaterThanEquals", ">="],
  ["LessThanEquals", "<="],
  ["GreaterThan", ">"],
  ["LessThan", "<"],
  ["Equals", "=="],
  ["Matches", "matches"],
];

export function describeRule(rule: unknown, depth = 0): string {
  if (depth > 8 || typeof rule !== "object" || rule === null) return "…";
  const r = rule as Json;
  if (typeof r.Condition === "string") return r.Condition.replace(/^\{%|%\}$/g, "").trim();
  const list = (rules: unknown, joiner: string) =>
    Array.isArray(rules)
      ? rules
          .map((x) => {
            const nested = typeof x === "object" && x !== null && ("And" in x || "Or" in x);
            const text = describeRule(x, depth + 1);
            return nested ? `(${text})` : text;
          })
          .join(` ${joiner} `)
      : "?";
  if ("And" in r) return list(r.And, "and");
  if ("Or" in r) return list(r.Or, "or");
  if ("Not" in r) return `not (${describeRule(r.Not, depth + 1)})`;
  const variable = typeof r.Variable === "string" ? r.Variable : "";
  for (const [key, operand] of Object.entries(r)) {
    if (["Variable", "Next", "Comment", "Assign", "Output"].includes(key)) continue;
    const path = key.endsWith("Path");
    const base = path ? key.slice(0, -4) : key;
    const prefix = ["String", "Numeric", "Boolean", "Timestamp"].find((p) => base.startsWith(p));
    if (prefix) {
      const op = comparisons.find(([suffix]) => base.slice(prefix.length) === suffix);
      if (op) return `${variable} ${op[1]} ${path && typeof operand === "string" ? operand : JSON.stringify(operand)}`;
    }
    if (key.startsWith("Is")) return `${variable} is ${operand === false ? "not " : ""}${key.slice(2).toLowerCase()}`;
  }
  return variable || "…";
}

function shortResource(resource: string): string {
  const integration = "arn:aws:states:::";
  if (resource.startsWith(integration)) return resource.slice(integration.length);
  for (const kind of [":function:", ":activity:", ":stateMachine:"]) {
    const at = resource.indexOf(kind);
    if (at >= 0) return resource.slice(at + 1);
  }
  return resource;
}

function detailOf(type: string, state: Json): string {
  let detail = "";
  if (type === "Task") detail = shortResource(String(state.Resource ?? ""));
  else if (type === "Wait") {
    for (const key of ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"])
      if (key in state) detail = `${key} ${typeof state[key] === "string" ? state[key] : JSON.stringify(state[key])}`;
  } else if (type === "Fail") detail = typeof state.Error === "string" ? state.Error : "";
  else if (type === "Map" && "MaxConcurrency" in state) detail = `max concurrency ${state.MaxConcurrency}`;
  if (Array.isArray(state.Retry) && state.Retry.length) detail += detail ? " · retries" : "retries";
  return detail;
}

function buildScope(block: unknown, id: string, label: string, depth: number): GraphScope {
  if (depth > 64) throw new Error("states are nested too deeply to draw");
  const object = (block ?? {}) as Json;
  const states = (typeof object.States === "object" && object.States !== null ? object.States : {}) as Record<string, Json>;
  const scope: GraphScope = { id, label, nodes: [], edges: [] };
  const startId = `${id}/#start`;
  const endId = `${id}/#end`;
  scope.nodes.push({ id: startId, name: "Start", type: "Start", detail: "", children: [] });
  const nodeId = (name: string) => `${id}/${name}`;
  const link = (from: string, target: unknown, kind: EdgeKind, text = "") => {
    if (typeof target === "string" && target in states) scope.edges.push({ from, to: nodeId(target), kind, label: text });
  };
  link(startId, object.StartAt, "next");
  let hasEnd = false;
  for (const [name, state] of Object.entries(states)) {
    const type = typeof state?.Type === "string" ? state.Type : "Unknown";
    const node: GraphNode = { id: nodeId(name), name, type, detail: detailOf(type, state ?? {}), children: [] };
    if (type === "Parallel" && Array.isArray(state.Branches))
      state.Branches.forEach((branch, index) =>
        node.children.push(buildScope(branch, `${node.id}#${index}`, `Branch ${index + 1}`, depth + 1)),
      );
    if (type === "Map") {
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor) node.children.push(buildScope(processor, `${node.id}#items`, "Item processor", depth + 1));
    }
    scope.nodes.push(node);
    link(node.id, state?.Next, "next");
    if (state?.End === true || type === "Succeed" || type === "Fail") {
      scope.edges.push({ from: node.id, to: endId, kind: "next", label: "" });
      hasEnd = true;
    }
    if (Array.isArray(state?.Choices))
      for (const rule of state.Choices as Json[]) link(node.id, rule?.Next, "choice", describeRule(rule));
    link(node.id, state?.Default, "default", "Default");
    if (Array.isArray(state?.Catch))
      for (const catcher of state.Catch as Json[])
        link(node.id, catcher?.Next, "catch", Array.isArray(catcher?.ErrorEquals) ? catcher.ErrorEquals.join(", ") : "");
  }
  if (hasEnd) scope.nodes.push({ id: endId, name: "End", type: "End", detail: "", children: [] });
  return scope;
}

export function buildGraph(definition: string | object): GraphScope {
  const parsed = typeof definition === "string" ? JSON.parse(definition) : definition;
  return buildScope(parsed, "", "", 0);
}

// For every state inside a Parallel branch or Map processor, the name of that Parallel or Map.
export function enclosingStates(scope: GraphScope, owner?: string, out = new Map<string, string>()): Map<string, string> {
  for (const node of scope.nodes) {
    if (node.type === "Start" || node.type === "End") continue;
    if (owner !== undefined) out.set(node.name, owner);
    for (const child of node.children) enclosingStates(child, node.name, out);
  }
  return out;
}
