// Draws a definition graph as SVG, laid out by ELK's layered algorithm: each scope (top level,
// Parallel branch, Map processor) is a compound node laid out on its own, so nested groups stay
// boxed inside their Parallel/Map. States can be coloured by status and clicked.

import ELK from "elkjs/lib/elk.bundled.js";
import type { ElkEdgeSection, ElkExtendedEdge, ElkLabel, ElkNode } from "elkjs/lib/elk-api";
import type { GraphNode, GraphScope } from "./definition_graph";

const elk = new ELK();
const svgNs = "http://www.w3.org/2000/svg";

const measure = document.createElement("canvas").getContext("2d");
function textWidth(text: string, font: string): number {
  if (!measure) return text.length * 7.5;
  measure.font = font;
  return measure.measureText(text).width;
}

const shorten = (text: string, max = 48) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

interface Drawn {
  elk: ElkNode;
  node?: GraphNode;
  scope?: GraphScope;
}

function scopeToElk(scope: GraphScope, registry: Map<string, Drawn>, padTop: number): ElkNode {
  const children = scope.nodes.map((node) => nodeToElk(node, registry));
  const edges: ElkExtendedEdge[] = scope.edges.map((edge, index) => ({
    id: `${scope.id}/edge${index}`,
    sources: [edge.from],
    targets: [edge.to],
    labels: edge.label
      ? [{ text: shorten(edge.label), width: textWidth(shorten(edge.label), "11px sans-serif") + 4, height: 14 }]
      : [],
  }));
  const elkNode: ElkNode = {
    id: `scope:${scope.id}`,
    children,
    edges,
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "DOWN",
      "elk.padding": `[top=${padTop},left=14,bottom=14,right=14]`,
      "elk.spacing.nodeNode": "30",
      "elk.layered.spacing.nodeNodeBetweenLayers": "36",
      "elk.spacing.edgeLabel": "4",
      "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
      "elk.edgeRouting": "ORTHOGONAL",
    },
  };
  registry.set(elkNode.id, { elk: elkNode, scope });
  return elkNode;
}

function nodeToElk(node: GraphNode, registry: Map<string, Drawn>): ElkNode {
  let elkNode: ElkNode;
  if (node.type === "Start" || node.type === "End") {
    elkNode = { id: node.id, width: 64, height: 28 };
  } else {
    const width = Math.max(
      96,
      textWidth(shorten(node.name), "600 13px sans-serif") + 28,
      textWidth(shorten(node.detail), "11px sans-serif") + 28,
    );
    elkNode = { id: node.id, width, height: node.detail ? 48 : 34 };
    if (node.children.length) {
      elkNode = {
        id: node.id,
        children: node.children.map((child) => scopeToElk(child, registry, 26)),
        layoutOptions: {
          "elk.algorithm": "layered",
          "elk.direction": "RIGHT",
          "elk.padding": "[top=46,left=12,bottom=12,right=12]",
          "elk.spacing.nodeNode": "18",
          "elk.nodeSize.constraints": "MINIMUM_SIZE",
          "elk.nodeSize.minimum": `(${width + 24}, 60)`,
        },
      };
    }
  }
  registry.set(node.id, { elk: elkNode, node });
  return elkNode;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

function text(x: number, y: number, content: string, cls: string, anchor = "middle"): SVGTextElement {
  const t = svg("text", { x, y, class: cls, "text-anchor": anchor });
  t.textContent = content;
  return t;
}

export interface GraphViewOptions {
  statusOf?: (stateName: string) => string | undefined; // a StateStatus, drawn as a CSS class
  onSelect?: (stateName: string) => void;
  selected?: string;
}

export async function renderGraph(scope: GraphScope, options: GraphViewOptions = {}): Promise<SVGSVGElement> {
  const registry = new Map<string, Drawn>();
  const root = scopeToElk(scope, registry, 14);
  const laidOut = await elk.layout(root);
  const width = Math.ceil(laidOut.width ?? 200);
  const height = Math.ceil(laidOut.height ?? 100);
  const out = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, class: "graph" });
  const defs = svg("defs", {});
  for (const kind of ["next", "choice", "default", "catch"]) {
    const marker = svg("marker", { id: `arrow-${kind}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
    marker.append(svg("path", { d: "M0,0 L10,5 L0,10 z", class: `arrowhead ${kind}` }));
    defs.append(marker);
  }
  out.append(defs);
  drawScope(out, laidOut, scope, 0, 0, options);
  return out;
}

function drawScope(parent: SVGElement, laid: ElkNode, scope: GraphScope, ox: number, oy: number, options: GraphViewOptions) {
  const group = svg("g", { class: "scope" });
  parent.append(group);
  (laid.edges ?? []).forEach((edge, index) => {
    const model = scope.edges[index];
    const sections: ElkEdgeSection[] = (edge as ElkExtendedEdge).sections ?? [];
    for (const section of sections) {
      const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint];
      const d = points.map((p, k) => `${k ? "L" : "M"}${(ox + p.x).toFixed(1)},${(oy + p.y).toFixed(1)}`).join(" ");
      group.append(svg("path", { d, class: `edge ${model.kind}`, "marker-end": `url(#arrow-${model.kind})`, "data-from": model.from, "data-to": model.to }));
    }
    for (const label of (edge.labels ?? []) as ElkLabel[])
      group.append(text(ox + (label.x ?? 0) + 2, oy + (label.y ?? 0) + 11, label.text ?? "", `edge-label ${model.kind}`, "start"));
  });
  for (const child of laid.children ?? []) {
    const node = scope.nodes.find((n) => n.id === child.id);
    if (node) drawNode(group, child, node, ox + (child.x ?? 0), oy + (child.y ?? 0), options);
  }
}

function drawNode(parent: SVGElement, laid: ElkNode, node: GraphNode, x: number, y: number, options: GraphViewOptions) {
  const w = laid.width ?? 0;
  const h = laid.height ?? 0;
  if (node.type === "Start" || node.type === "End") {
    parent.append(svg("rect", { x, y, width: w, height: h, rx: 14, class: "marker" }));
    parent.append(text(x + w / 2, y + h / 2 + 4, node.name, "marker-label"));
    return;
  }
  const status = options.statusOf?.(node.name);
  const classes = ["state", `type-${node.type.toLowerCase()}`];
  if (status) classes.push(`status-${status}`);
  if (options.selected === node.name) classes.push("selected");
  const g = svg("g", { class: classes.join(" "), "data-state": node.name, "data-type": node.type, ...(status ? { "data-status": status } : {}) });
  g.append(svg("rect", { x, y, width: w, height: h, rx: 6, class: "box" }));
  const second = node.children.length ? [node.type, node.detail].filter(Boolean).join(" · ") : node.detail;
  g.append(text(x + w / 2, y + (second ? 19 : 21), shorten(node.name), "name"));
  if (second) g.append(text(x + w / 2, y + 35, shorten(second), "detail"));
  const title = svg("title", {});
  title.textContent = `${node.name} (${node.type})${status ? ` — ${status.replace("-", " ")}` : ""}`;
  g.append(title);
  if (options.onSelect) g.addEventListener("click", () => options.onSelect?.(node.name));
  parent.append(g);
  (laid.children ?? []).forEach((child, index) => {
    const scope = node.children[index];
    if (!scope) return;
    const cx = x + (child.x ?? 0);
    const cy = y + (child.y ?? 0);
    parent.append(svg("rect", { x: cx, y: cy, width: child.width ?? 0, height: child.height ?? 0, rx: 6, class: "group" }));
    parent.append(text(cx + 6, cy + 15, scope.label, "group-label", "start"));
    drawScope(parent, child, scope, cx, cy, options);
  });
}
