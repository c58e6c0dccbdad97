// Vite builds the console into dist/, which `stepline serve` serves at `/`. During development,
// `npx vite` proxies the API (POST /) and /metrics to a local `stepline serve` on port 8083.
import { defineConfig } from "vite";

const api = process.env.STEPLINE_URL ?? "http://127.0.0.1:8083";

export default defineConfig({
  base: "./",
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: {
    proxy: {
      "^/$": { target: api, bypass: (req) => (req.method === "GET" ? req.url : undefined) },
      "/metrics": api,
    },
  },
});
