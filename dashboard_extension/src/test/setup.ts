import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

// Without vitest's globals, Testing Library cannot register its own cleanup.
afterEach(cleanup);

// jsdom lacks what some components measure with.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= ResizeObserverStub as unknown as typeof ResizeObserver;
