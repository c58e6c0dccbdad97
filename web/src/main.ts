// The console's entry point: a hash router over three pages. Each navigation bumps a generation
// number so that a page still polling (a running execution) stops when the user leaves it.

import "./style.css";
import { executionPage } from "./pages/execution";
import { machinePage } from "./pages/machine";
import { machinesPage } from "./pages/machines";

const app = document.getElementById("app") as HTMLElement;
let generation = 0;

function route(): void {
  const current = ++generation;
  const isCurrent = () => current === generation;
  const [, page, arn] = location.hash.match(/^#\/([a-z]+)\/(.+)$/) ?? [];
  if (page === "machine") void machinePage(app, decodeURIComponent(arn));
  else if (page === "execution") void executionPage(app, decodeURIComponent(arn), isCurrent);
  else void machinesPage(app);
}

window.addEventListener("hashchange", route);
route();
