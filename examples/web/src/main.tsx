import { render } from "preact";
import { App } from "./App";
import { gatewayUrl } from "./config";
import "./style.css";

const root = document.getElementById("app");
if (root === null) {
  throw new Error("index.html has no #app element");
}
try {
  render(<App gateway={gatewayUrl()} />, root);
} catch (error) {
  // A ?gateway= that is not an http(s) URL: say so instead of leaving a blank page.
  root.textContent = `Cannot start: ${error instanceof Error ? error.message : String(error)}`;
}
