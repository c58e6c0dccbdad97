// The list of state machines.

import { callAll, formatDate, type StateMachineListItem } from "../api";
import { errorBox, h } from "../dom";

export async function machinesPage(root: HTMLElement): Promise<void> {
  root.replaceChildren(h("h1", {}, "State machines"), h("p", { class: "muted" }, "Loading…"));
  try {
    const machines = await callAll<StateMachineListItem>("ListStateMachines", {}, "stateMachines");
    const rows = machines.map((m) =>
      h(
        "tr",
        {},
        h("td", {}, h("a", { href: `#/machine/${encodeURIComponent(m.stateMachineArn)}` }, m.name)),
        h("td", {}, m.type),
        h("td", {}, formatDate(m.creationDate)),
        h("td", { class: "arn" }, m.stateMachineArn),
      ),
    );
    root.replaceChildren(
      h("h1", {}, "State machines"),
      machines.length
        ? h("table", { class: "list machines" }, h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Type"), h("th", {}, "Created"), h("th", {}, "ARN"))), h("tbody", {}, rows))
        : h("p", { class: "muted" }, "No state machines yet. Create one with the AWS CLI: ", h("code", {}, "aws stepfunctions create-state-machine --endpoint-url … ")),
    );
  } catch (error) {
    root.replaceChildren(h("h1", {}, "State machines"), errorBox(error));
  }
}
