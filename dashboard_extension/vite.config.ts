/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  // Relative asset URLs: the server adds a <base href> for the path it serves the app under
  // (/dashboard/ standalone, /plugins/global/saleor_ma_plugin/dashboard/ in Saleor).
  base: "./",
  plugins: [react()],
  build: {
    outDir: "dist",
    sourcemap: false,
    target: "es2022",
    chunkSizeWarningLimit: 600,
    // The app, and GraphiQL for development hosts (its own page and chunks, never loaded by
    // the app).
    rollupOptions: { input: { main: "index.html", graphiql: "graphiql.html" } },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
  },
});
