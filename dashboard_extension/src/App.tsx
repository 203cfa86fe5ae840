// The app's root: session (AppBridge or Django), language, theme, data cache, then the pages.
import { ThemeProvider } from "@saleor/macaw-ui";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { IntlProvider } from "react-intl";

import { AuthenticationError, isRetryable } from "./api/errors";
import { SessionProvider, useSessionState } from "./auth/Session";
import { ErrorState, Loading, NoHandshake, NoPermission, OutsideDashboard } from "./components/states";
import type { RuntimeConfig } from "./config";
import { type Locale, loadMessages } from "./i18n/locales";
import { AppRouter } from "./routes";

function useMessages(locale: Locale) {
  const [loaded, setLoaded] = useState<{ locale: Locale; messages: Record<string, string> }>();
  useEffect(() => {
    let cancelled = false;
    void loadMessages(locale).then((messages) => {
      if (!cancelled) setLoaded({ locale, messages });
    });
    return () => {
      cancelled = true;
    };
  }, [locale]);
  return loaded;
}

export function App({ config }: { config: RuntimeConfig }) {
  const [attempt, setAttempt] = useState(0);
  const { state, locale, theme, changeLocale } = useSessionState(config, attempt);
  const loaded = useMessages(locale);
  const queryClient = useMemo(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            // Only failures a retry can cure are retried: a refusal stays a refusal.
            retry: (count, error) => count < 2 && isRetryable(error),
            refetchOnWindowFocus: false,
            staleTime: 30_000,
          },
        },
      }),
    [],
  );

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  // The API answers labels and errors in the admin's language: refetch them in the new one.
  const shownLocale = useRef(locale);
  useEffect(() => {
    if (shownLocale.current === locale) return;
    shownLocale.current = locale;
    void queryClient.invalidateQueries();
  }, [locale, queryClient]);
  useEffect(() => {
    document.documentElement.dataset.maTheme = theme;
  }, [theme]);

  useEffect(() => {
    if (state.status === "signedOut" && config.mode === "standalone") {
      const next = window.location.pathname + window.location.search;
      window.location.assign(`${config.loginUrl}?next=${encodeURIComponent(next)}`);
    }
  }, [state.status, config]);

  if (!loaded) return null;
  let content;
  switch (state.status) {
    case "starting":
    case "signedOut":
      content = <Loading />;
      if (state.status === "signedOut" && config.mode === "saleor") {
        content = <ErrorState error={new AuthenticationError("expired")} onRetry={() => setAttempt((n) => n + 1)} />;
      }
      break;
    case "outsideDashboard":
      content = <OutsideDashboard />;
      break;
    case "noHandshake":
      content = <NoHandshake onRetry={() => window.location.reload()} />;
      break;
    case "failed":
      content = <ErrorState error={state.error} onRetry={() => setAttempt((n) => n + 1)} />;
      break;
    case "forbidden":
      content = <NoPermission mode={config.mode} email={state.viewer.email} logoutUrl={config.logoutUrl} />;
      break;
    case "ready":
      content = (
        <QueryClientProvider client={queryClient}>
          <SessionProvider session={state.session}>
            <AppRouter locale={locale} onLocaleChange={changeLocale} />
          </SessionProvider>
        </QueryClientProvider>
      );
  }
  return (
    <IntlProvider locale={loaded.locale} messages={loaded.messages} defaultLocale="en">
      <ThemeProvider defaultTheme={theme === "dark" ? "defaultDark" : "defaultLight"}>{content}</ThemeProvider>
    </IntlProvider>
  );
}
