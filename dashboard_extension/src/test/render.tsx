// Rendering a component as the app does: language, theme, data cache, session and router.
import { ThemeProvider } from "@saleor/macaw-ui";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { IntlProvider } from "react-intl";
import { MemoryRouter } from "react-router-dom";
import { vi } from "vitest";

import { createClient } from "../api/client";
import { type Session, SessionProvider } from "../auth/Session";

export type Responder = (operation: string, variables: Record<string, unknown>) => unknown;

/** A fetch that answers each operation (by name) with ``respond``; records the calls. */
export function fakeApi(respond: Responder) {
  const calls: { operation: string; variables: Record<string, unknown> }[] = [];
  const fetchMock = vi.fn(async (_url: unknown, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { query: string; variables: Record<string, unknown> };
    const operation = /(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? "";
    calls.push({ operation, variables: body.variables });
    return new Response(JSON.stringify(respond(operation, body.variables)), {
      status: 200,
      headers: { "Content-Type": "application/json" },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  return { calls, fetchMock };
}

export function renderApp(element: ReactElement, { path = "/", messages = {}, locale = "en" } = {}) {
  const client = createClient({
    apiUrl: "/graphql/",
    token: () => undefined,
    tokenExpired: () => false,
    awaitFreshToken: () => Promise.resolve(false),
  });
  const session: Session = {
    config: { mode: "standalone", basePath: "/dashboard/", apiUrl: "/graphql/", loginUrl: "/dashboard/login/", logoutUrl: "/dashboard/logout/" },
    client,
    viewer: { kind: "STAFF", email: "admin@example.com", permissions: ["MANAGE_MARKETING", "MANAGE_DISCOUNTS"] },
    canManageDiscounts: true,
  };
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <IntlProvider locale={locale} messages={messages} defaultLocale="en">
      <ThemeProvider>
        <QueryClientProvider client={queryClient}>
          <SessionProvider session={session}>
            <MemoryRouter initialEntries={[path]}>{element}</MemoryRouter>
          </SessionProvider>
        </QueryClientProvider>
      </ThemeProvider>
    </IntlProvider>,
  );
}
