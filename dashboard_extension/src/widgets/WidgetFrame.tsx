// A widget inside one of the Dashboard's pages: compact, tells the Dashboard its height, and
// opens our app page (not itself) when the admin follows a link.
import { actions } from "@saleor/app-sdk/app-bridge";
import { Box } from "@saleor/macaw-ui";
import { type ReactNode, useEffect, useRef } from "react";
import { Link } from "react-router-dom";

import { useSession } from "../auth/Session";

export function WidgetFrame({ children }: { children: ReactNode }) {
  const { bridge } = useSession();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!bridge || !ref.current || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(([entry]) => {
      void bridge
        .dispatch(actions.WidgetResize({ height: Math.ceil(entry.contentRect.height) + 2 }))
        .catch(() => {
          // Dashboards before 3.22 size widgets themselves.
        });
    });
    observer.observe(ref.current);
    return () => observer.disconnect();
  }, [bridge]);
  return (
    <Box ref={ref} padding={4} display="flex" flexDirection="column" gap={3} backgroundColor="default1" data-widget>
      {children}
    </Box>
  );
}

/** A link to one of the app's pages: inside the Dashboard it navigates the Dashboard itself. */
export function AppLink({ to, children }: { to: string; children: ReactNode }) {
  const { bridge, openInDashboard } = useSession();
  if (bridge && openInDashboard) {
    const appId = bridge.getState().id;
    return (
      <a
        href={to}
        className="text-link"
        onClick={(event) => {
          event.preventDefault();
          openInDashboard(`/apps/${encodeURIComponent(appId)}/app${to}`);
        }}
      >
        {children}
      </a>
    );
  }
  return (
    <Link to={to} className="text-link" target="_top">
      {children}
    </Link>
  );
}
