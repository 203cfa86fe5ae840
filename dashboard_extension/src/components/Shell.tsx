// Around every page. Inside the Dashboard the app has no chrome of its own (the Dashboard
// shows the menu) and keeps the Dashboard's address bar in step with its own routes. In the
// standalone host it shows a slim bar with the language and the signed-in user.
import { actions } from "@saleor/app-sdk/app-bridge";
import { Box, Button, Text } from "@saleor/macaw-ui";
import { type ReactNode, useEffect, useRef } from "react";
import { defineMessages, FormattedMessage, type MessageDescriptor, useIntl } from "react-intl";
import { Link, useLocation, useNavigate } from "react-router-dom";

import { useSession } from "../auth/Session";
import { LOCALES, type Locale } from "../i18n/locales";
import { csrfToken } from "./states";

const LANGUAGE_NAMES: Record<Locale, string> = { en: "English", de: "Deutsch", pl: "Polski" };

/** The app's sections, in both modes: the Dashboard's menu has one entry for the whole app. */
const sectionLabels = defineMessages({
  campaigns: { id: "list.title", defaultMessage: "Campaigns" },
  contacts: { id: "contacts.title", defaultMessage: "Contacts" },
  audience: { id: "audience.title", defaultMessage: "Audience" },
  messages: { id: "messages.title", defaultMessage: "Messages" },
  settings: { id: "shopSettings.title", defaultMessage: "Settings" },
});
const SECTIONS: { to: string; label: MessageDescriptor; matches: (path: string) => boolean }[] = [
  { to: "/", label: sectionLabels.campaigns, matches: (path) => path === "/" || path.startsWith("/campaigns") },
  { to: "/contacts", label: sectionLabels.contacts, matches: (path) => path.startsWith("/contacts") },
  { to: "/segments", label: sectionLabels.audience, matches: (path) => path.startsWith("/segments") || path.startsWith("/audience") },
  { to: "/messages", label: sectionLabels.messages, matches: (path) => path.startsWith("/messages") },
  { to: "/settings", label: sectionLabels.settings, matches: (path) => path.startsWith("/settings") },
];

function SectionNav() {
  const intl = useIntl();
  const { pathname } = useLocation();
  const nav = useRef<HTMLElement>(null);
  // On a phone the sections scroll sideways: keep the current one in view.
  useEffect(() => {
    const box = nav.current;
    const current = box?.querySelector<HTMLElement>('[aria-current="page"]');
    if (!box || !current) return;
    const outer = box.getBoundingClientRect();
    const inner = current.getBoundingClientRect();
    if (inner.right > outer.right) box.scrollLeft += inner.right - outer.right + 16;
    else if (inner.left < outer.left) box.scrollLeft -= outer.left - inner.left + 16;
  }, [pathname]);
  return (
    <nav ref={nav} className="tabs section-nav" aria-label={intl.formatMessage({ id: "app.name", defaultMessage: "Marketing automation" })}>
      {SECTIONS.map((section) => (
        <Link
          key={section.to}
          to={section.to}
          className="tab"
          aria-current={section.matches(pathname) ? "page" : undefined}
        >
          {intl.formatMessage(section.label)}
        </Link>
      ))}
    </nav>
  );
}

function useDashboardRouting() {
  const { bridge } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  useEffect(() => {
    if (!bridge) return;
    void bridge
      .dispatch(actions.UpdateRouting({ newRoute: location.pathname + location.search }))
      .catch(() => {
        // A Dashboard that does not answer leaves its address bar as it was; nothing breaks.
      });
  }, [bridge, location.pathname, location.search]);
  useEffect(() => {
    if (!bridge) return;
    return bridge.subscribe("redirect", ({ path }) => navigate(path));
  }, [bridge, navigate]);
}

export function Shell({
  children,
  locale,
  onLocaleChange,
}: {
  children: ReactNode;
  locale: Locale;
  onLocaleChange?: (locale: Locale) => void;
}) {
  const { config, viewer } = useSession();
  const intl = useIntl();
  useDashboardRouting();
  if (config.mode === "saleor") {
    return (
      <>
        <SectionNav />
        {children}
      </>
    );
  }
  return (
    <Box display="flex" flexDirection="column" __minHeight="100vh" backgroundColor="default2">
      <Box
        as="header"
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        gap={4}
        className="top-bar"
        backgroundColor="default1"
        borderBottomWidth={1}
        borderBottomStyle="solid"
        borderColor="default1"
      >
        <Link to="/" className="brand-link">
          <Text size={5} fontWeight="bold">
            <FormattedMessage id="app.name" defaultMessage="Marketing automation" />
          </Text>
        </Link>
        <Box display="flex" alignItems="center" gap={3}>
          {onLocaleChange && (
            <select
              className="native-select"
              aria-label={intl.formatMessage({ id: "shell.language", defaultMessage: "Language" })}
              value={locale}
              onChange={(event) => onLocaleChange(event.target.value as Locale)}
            >
              {LOCALES.map((code) => (
                <option key={code} value={code}>
                  {LANGUAGE_NAMES[code]}
                </option>
              ))}
            </select>
          )}
          <Text size={2} color="default2" display={{ mobile: "none", desktop: "block" }}>
            {viewer.email}
          </Text>
          <form method="post" action={config.logoutUrl}>
            <input type="hidden" name="csrfmiddlewaretoken" value={csrfToken()} />
            <Button type="submit" variant="tertiary" size="small">
              <FormattedMessage id="shell.signOut" defaultMessage="Sign out" />
            </Button>
          </form>
        </Box>
      </Box>
      <SectionNav />
      <Box __flex="1">{children}</Box>
    </Box>
  );
}
