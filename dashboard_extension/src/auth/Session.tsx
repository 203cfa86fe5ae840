// Who uses the app and how requests are authenticated: AppBridge inside the Saleor Dashboard,
// Django's session in the standalone host. Children render only once the viewer is known
// and may use the app.
import { actions, AppBridge, type ThemeType } from "@saleor/app-sdk/app-bridge";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";

import { type Client, createClient, type Transport } from "../api/client";
import { MarketingViewerQuery } from "../api/operations";
import type { RuntimeConfig } from "../config";
import type { MarketingViewerQuery as Viewer } from "../gql/graphql";
import { initialStandaloneLocale, type Locale, supportedLocale } from "../i18n/locales";
import { isExpired } from "./token";

export type ViewerInfo = Viewer["marketingViewer"];

export interface Session {
  config: RuntimeConfig;
  client: Client;
  viewer: ViewerInfo;
  canManageDiscounts: boolean;
  bridge?: AppBridge;
  /** Inside the Dashboard: ask it to show another of its pages (or our own app page). */
  openInDashboard?: (path: string) => void;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside <SessionProvider>");
  return session;
}

/** The Dashboard hands over a token within a moment of notifyReady; waiting longer is a failure. */
const HANDSHAKE_TIMEOUT_MS = 10_000;
const REFRESH_WAIT_MS = 15_000;

export type SessionState =
  | { status: "starting" }
  | { status: "outsideDashboard" }
  | { status: "noHandshake" }
  | { status: "signedOut" }
  | { status: "failed"; error: unknown }
  | { status: "forbidden"; viewer: ViewerInfo }
  | { status: "ready"; session: Session };

interface BridgeState {
  bridge?: AppBridge;
  token?: string;
  locale?: Locale;
  theme?: ThemeType;
  handshakeFailed: boolean;
}

/** The AppBridge of the Saleor mode, created once, ready after the Dashboard's handshake. */
function useDashboardBridge(enabled: boolean): BridgeState {
  const [state, setState] = useState<BridgeState>({ handshakeFailed: false });
  useEffect(() => {
    if (!enabled || window.parent === window) return;
    // notifyReady is sent from this effect, after the listeners exist: sent from the
    // constructor, the Dashboard's answer can arrive before anyone listens.
    const bridge = new AppBridge({ autoNotifyReady: false });
    const initial = bridge.getState();
    setState({
      bridge,
      locale: supportedLocale(initial.locale),
      theme: initial.theme,
      handshakeFailed: false,
    });
    const update = () => {
      const current = bridge.getState();
      setState((previous) => ({
        ...previous,
        token: current.token,
        locale: supportedLocale(current.locale),
        theme: current.theme,
      }));
    };
    const unsubscribes = [
      bridge.subscribe("handshake", update),
      bridge.subscribe("tokenRefresh", update),
      bridge.subscribe("localeChanged", update),
      bridge.subscribe("theme", update),
    ];
    const timer = window.setTimeout(() => {
      if (!bridge.getState().token) setState((previous) => ({ ...previous, handshakeFailed: true }));
    }, HANDSHAKE_TIMEOUT_MS);
    bridge.sendNotifyReadyAction();
    return () => {
      window.clearTimeout(timer);
      unsubscribes.forEach((unsubscribe) => unsubscribe());
    };
  }, [enabled]);
  return state;
}

function waitForFreshToken(bridge: AppBridge): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (fresh: boolean) => {
      window.clearTimeout(timer);
      unsubscribeRefresh();
      unsubscribeHandshake();
      resolve(fresh);
    };
    const check = () => done(!isExpired(bridge.getState().token));
    const unsubscribeRefresh = bridge.subscribe("tokenRefresh", check);
    const unsubscribeHandshake = bridge.subscribe("handshake", check);
    const timer = window.setTimeout(() => done(false), REFRESH_WAIT_MS);
  });
}

export function useSessionState(config: RuntimeConfig, attempt: number) {
  const inSaleor = config.mode === "saleor";
  const bridgeState = useDashboardBridge(inSaleor);
  const bridgeRef = useRef(bridgeState.bridge);
  bridgeRef.current = bridgeState.bridge;
  const [state, setState] = useState<SessionState>({ status: "starting" });
  const [standaloneLocale, setStandaloneLocale] = useState<Locale>(() =>
    inSaleor ? "en" : initialStandaloneLocale(),
  );

  const locale: Locale = inSaleor ? supportedLocale(bridgeState.locale) : standaloneLocale;
  const localeRef = useRef(locale);
  localeRef.current = locale;

  const client = useMemo(() => {
    const transport: Transport = inSaleor
      ? {
          apiUrl: config.apiUrl,
          token: () => bridgeRef.current?.getState().token,
          tokenExpired: () => isExpired(bridgeRef.current?.getState().token),
          awaitFreshToken: () =>
            bridgeRef.current ? waitForFreshToken(bridgeRef.current) : Promise.resolve(false),
          language: () => localeRef.current,
        }
      : {
          apiUrl: config.apiUrl,
          token: () => undefined,
          tokenExpired: () => false,
          awaitFreshToken: () => Promise.resolve(false),
          language: () => localeRef.current,
        };
    return createClient(transport);
  }, [config.apiUrl, inSaleor]);

  const hasToken = Boolean(bridgeState.token);
  useEffect(() => {
    if (inSaleor && window.parent === window) {
      setState({ status: "outsideDashboard" });
      return;
    }
    if (inSaleor && !hasToken) {
      setState(bridgeState.handshakeFailed ? { status: "noHandshake" } : { status: "starting" });
      return;
    }
    let cancelled = false;
    setState({ status: "starting" });
    client
      .request(MarketingViewerQuery)
      .then(({ marketingViewer: viewer }) => {
        if (cancelled) return;
        if (viewer.kind === "ANONYMOUS") {
          setState({ status: "signedOut" });
        } else if (!viewer.permissions.includes("MANAGE_MARKETING")) {
          setState({ status: "forbidden", viewer });
        } else {
          const bridge = bridgeRef.current;
          setState({
            status: "ready",
            session: {
              config,
              client,
              viewer,
              canManageDiscounts: viewer.permissions.includes("MANAGE_DISCOUNTS"),
              bridge,
              openInDashboard: bridge
                ? (path: string) => void bridge.dispatch(actions.Redirect({ to: path })).catch(() => {})
                : undefined,
            },
          });
        }
      })
      .catch((error: unknown) => {
        if (!cancelled) setState({ status: "failed", error });
      });
    return () => {
      cancelled = true;
    };
    // A refreshed token does not restart the session: requests read the current token.
  }, [client, config, inSaleor, hasToken, bridgeState.handshakeFailed, attempt]);

  const changeLocale = useCallback((locale: Locale) => {
    window.localStorage.setItem("ma-locale", locale);
    setStandaloneLocale(locale);
  }, []);

  return {
    state,
    locale,
    theme: bridgeState.theme ?? "light",
    changeLocale: inSaleor ? undefined : changeLocale,
  };
}

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
