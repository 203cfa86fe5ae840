// What a page shows instead of its content: loading, a failure with a retry, not found, no access.
import { Box, Button, Skeleton, Text } from "@saleor/macaw-ui";
import { CircleAlert, Lock, SearchX, WifiOff } from "lucide-react";
import type { ReactNode } from "react";
import { FormattedMessage } from "react-intl";
import { Link } from "react-router-dom";

import { AuthenticationError, NetworkError, PermissionError } from "../api/errors";

function Notice({
  icon,
  title,
  children,
  actions,
  role = "status",
}: {
  icon: ReactNode;
  title: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
  role?: "status" | "alert";
}) {
  return (
    <Box
      role={role}
      display="flex"
      flexDirection="column"
      alignItems="center"
      textAlign="center"
      gap={3}
      paddingX={6}
      paddingY={12}
      __maxWidth="520px"
      marginX="auto"
    >
      <Box color="default2" aria-hidden>
        {icon}
      </Box>
      <Text as="h2" size={7} fontWeight="bold">
        {title}
      </Text>
      {children && (
        <Text size={4} color="default2">
          {children}
        </Text>
      )}
      {actions && (
        <Box display="flex" gap={2} marginTop={2}>
          {actions}
        </Box>
      )}
    </Box>
  );
}

export function Loading({ label }: { label?: ReactNode }) {
  return (
    <Box display="flex" flexDirection="column" gap={3} padding={8} aria-busy="true" role="status">
      <Text size={3} color="default2">
        {label ?? <FormattedMessage id="state.loading" defaultMessage="Loading…" />}
      </Text>
      <Skeleton __height="20px" __width="40%" />
      <Skeleton __height="20px" />
      <Skeleton __height="20px" />
      <Skeleton __height="20px" __width="70%" />
    </Box>
  );
}

/** A request failed: say what happened and offer to try again. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const retry = onRetry && (
    <Button variant="primary" onClick={onRetry}>
      <FormattedMessage id="state.retry" defaultMessage="Try again" />
    </Button>
  );
  if (error instanceof NetworkError) {
    return (
      <Notice
        role="alert"
        icon={<WifiOff size={40} />}
        title={<FormattedMessage id="state.network.title" defaultMessage="Cannot reach the server" />}
        actions={retry}
      >
        <FormattedMessage
          id="state.network.body"
          defaultMessage="Check your connection; nothing was changed. Try again in a moment."
        />
      </Notice>
    );
  }
  if (error instanceof AuthenticationError) {
    return (
      <Notice
        role="alert"
        icon={<Lock size={40} />}
        title={<FormattedMessage id="state.expired.title" defaultMessage="Your session has expired" />}
        actions={retry}
      >
        <FormattedMessage
          id="state.expired.body"
          defaultMessage="Try again; if this keeps happening, reload the page to sign in again."
        />
      </Notice>
    );
  }
  if (error instanceof PermissionError) {
    return (
      <Notice
        role="alert"
        icon={<Lock size={40} />}
        title={<FormattedMessage id="state.denied.title" defaultMessage="You cannot do this" />}
      >
        {error.message}
      </Notice>
    );
  }
  return (
    <Notice
      role="alert"
      icon={<CircleAlert size={40} />}
      title={<FormattedMessage id="state.failed.title" defaultMessage="Something went wrong" />}
      actions={retry}
    >
      {error instanceof Error ? error.message : String(error)}
    </Notice>
  );
}

export function NotFound({ what }: { what?: ReactNode }) {
  return (
    <Notice
      icon={<SearchX size={40} />}
      title={what ?? <FormattedMessage id="state.notFound.title" defaultMessage="Page not found" />}
      actions={
        <Link to="/" className="button-link">
          <FormattedMessage id="state.notFound.back" defaultMessage="Back to campaigns" />
        </Link>
      }
    >
      <FormattedMessage
        id="state.notFound.body"
        defaultMessage="It may have been removed, or the link is wrong."
      />
    </Notice>
  );
}

export function NoPermission({
  mode,
  email,
  logoutUrl,
}: {
  mode: "saleor" | "standalone";
  email: string;
  logoutUrl: string;
}) {
  return (
    <Notice
      role="alert"
      icon={<Lock size={40} />}
      title={<FormattedMessage id="state.forbidden.title" defaultMessage="You have no access to marketing automation" />}
      actions={
        mode === "standalone" && logoutUrl ? (
          <form method="post" action={logoutUrl}>
            <input type="hidden" name="csrfmiddlewaretoken" value={csrfToken()} />
            <Button type="submit" variant="secondary">
              <FormattedMessage id="state.forbidden.switch" defaultMessage="Sign in as someone else" />
            </Button>
          </form>
        ) : undefined
      }
    >
      {mode === "saleor" ? (
        <>
          <FormattedMessage
            id="state.forbidden.saleor"
            defaultMessage="Campaigns and reports process customer data, so they need the “Manage customers” (MANAGE_USERS) permission. Ask a shop administrator to add it to your permission group."
          />
          {email && (
            <>
              {" "}
              <FormattedMessage id="state.forbidden.signedInAs" defaultMessage="You are signed in as {email}." values={{ email }} />
            </>
          )}
        </>
      ) : (
        <FormattedMessage
          id="state.forbidden.standalone"
          defaultMessage="You are signed in as {email}, who may not manage marketing. Ask an administrator for the “manage marketing” permission."
          values={{ email }}
        />
      )}
    </Notice>
  );
}

export function OutsideDashboard() {
  return (
    <Notice
      icon={<CircleAlert size={40} />}
      title={<FormattedMessage id="state.outside.title" defaultMessage="Open this app from the Saleor Dashboard" />}
    >
      <FormattedMessage
        id="state.outside.body"
        defaultMessage="Marketing automation runs inside the Dashboard, which signs you in. Install the app once from its manifest, then open it under Customers."
      />
    </Notice>
  );
}

export function NoHandshake({ onRetry }: { onRetry: () => void }) {
  return (
    <Notice
      role="alert"
      icon={<WifiOff size={40} />}
      title={<FormattedMessage id="state.handshake.title" defaultMessage="The Dashboard did not sign the app in" />}
      actions={
        <Button variant="primary" onClick={onRetry}>
          <FormattedMessage id="state.reload" defaultMessage="Reload" />
        </Button>
      }
    >
      <FormattedMessage
        id="state.handshake.body"
        defaultMessage="No session arrived from the Dashboard. Reload the page; if it keeps failing, reinstall the app."
      />
    </Notice>
  );
}

/** Django's CSRF token, for the standalone host's sign-out form. */
export function csrfToken(): string {
  return document.cookie.match(/(?:^|; )csrftoken=([^;]*)/)?.[1] ?? "";
}
