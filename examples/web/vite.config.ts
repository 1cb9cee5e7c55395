import { defineConfig } from "vite";

export default defineConfig({
  // Relative asset URLs: dist/ works from any path a static server puts it under.
  base: "./",
  // The dev server's origin is what the gateway's GATEWAY_CORS_ORIGINS must name.
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
  preview: { host: "127.0.0.1", port: 4173, strictPort: true },
  build: { target: "es2022" },
});
