// A send step's email as a chosen contact would get it, rendered by the server from the saved
// step (content blocks resolved as a delivery does), shown at desktop or phone width in a
// sandboxed frame; and a test of it mailed to an address through the shop's email channel.
import "./composer.css";

import { Box, Button, Text } from "@saleor/macaw-ui";
import { Eye, Send, X } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";

import { CampaignStepPreviewQuery, CampaignStepSendTestMutation } from "../api/composerOperations";
import type { MarketingError } from "../api/errors";
import { useApiMutation, useApiQuery } from "../api/hooks";
import { ContactSearchQuery } from "../api/operations";
import { Input } from "../components/Input";
import { ErrorState, Loading } from "../components/states";

const WIDTHS = { desktop: 640, mobile: 375 } as const;
type Width = keyof typeof WIDTHS;

function useDebounced<T>(value: T, delay = 300): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
  return debounced;
}

interface Contact {
  id: string;
  email: string;
}

function ContactPicker({ contact, onChange }: { contact: Contact | null; onChange: (contact: Contact | null) => void }) {
  const intl = useIntl();
  const [search, setSearch] = useState("");
  const query = useDebounced(search.trim());
  const results = useApiQuery(ContactSearchQuery, { search: query }, { enabled: query.length >= 2 && !contact });
  const contacts = (results.data?.contacts?.edges ?? []).flatMap((edge) => (edge?.node ? [edge.node] : []));
  if (contact) {
    return (
      <Box display="flex" justifyContent="space-between" alignItems="center" gap={2} flexWrap="wrap">
        <Text size={3}>
          <FormattedMessage id="composer.preview.for" defaultMessage="As {email} would get it" values={{ email: <strong>{contact.email}</strong> }} />
        </Text>
        <button type="button" className="list-button compact" onClick={() => onChange(null)}>
          <FormattedMessage id="dryRun.change" defaultMessage="Choose another" />
        </button>
      </Box>
    );
  }
  return (
    <Box display="flex" flexDirection="column" gap={2}>
      <Input
        size="small"
        label={intl.formatMessage({ id: "composer.preview.contact", defaultMessage: "Preview for contact (email or name)" })}
        value={search}
        onChange={(event) => setSearch(event.target.value)}
      />
      {query.length >= 2 && (
        <Box as="ul" margin={0} padding={0} display="flex" flexDirection="column" gap={1}>
          {contacts.map((item) => (
            <Box as="li" key={item.id} listStyleType="none">
              <button type="button" className="list-button" onClick={() => onChange({ id: item.id, email: item.email })}>
                {item.email}
                {item.firstName ? ` · ${item.firstName} ${item.lastName}` : ""}
              </button>
            </Box>
          ))}
          {results.isSuccess && contacts.length === 0 && (
            <Text size={2} color="default2">
              <FormattedMessage id="dryRun.none" defaultMessage="No contact matches." />
            </Text>
          )}
        </Box>
      )}
    </Box>
  );
}

function PreviewDialog({ campaignId, stepKey, contact, version, onClose }: { campaignId: string; stepKey: string; contact: Contact; version: string; onClose: () => void }) {
  const intl = useIntl();
  const titleId = useId();
  const close = useRef<HTMLButtonElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState<Width>("desktop");
  const preview = useApiQuery(CampaignStepPreviewQuery, { campaignId, key: stepKey, contactId: contact.id }, { staleTime: 0 });
  const { refetch } = preview;
  useEffect(() => {
    close.current?.focus();
  }, []);
  useEffect(() => {
    void refetch(); // the step was saved again: show what is saved now
  }, [version, refetch]);
  const email = preview.data?.campaignStepPreview;
  return (
    <div
      className="preview-overlay"
      onKeyDown={(event) => {
        if (event.key === "Escape") onClose();
        if (event.key === "Tab") keepFocusIn(dialog.current, event);
      }}
    >
      <div ref={dialog} role="dialog" aria-modal="true" aria-labelledby={titleId} className="preview-dialog">
        <Box display="flex" justifyContent="space-between" alignItems="center" gap={2}>
          <Text id={titleId} as="h2" size={6} fontWeight="bold">
            <FormattedMessage id="composer.preview.title" defaultMessage="Preview" />
          </Text>
          <button ref={close} type="button" className="icon-button" aria-label={intl.formatMessage({ id: "composer.preview.close", defaultMessage: "Close the preview" })} onClick={onClose}>
            <X size={16} aria-hidden />
          </button>
        </Box>
        <Box display="flex" justifyContent="space-between" alignItems="center" gap={2} flexWrap="wrap">
          <div className="width-toggle" role="group" aria-label={intl.formatMessage({ id: "composer.preview.width", defaultMessage: "Width" })}>
            {(Object.keys(WIDTHS) as Width[]).map((item) => (
              <button key={item} type="button" aria-pressed={width === item} onClick={() => setWidth(item)}>
                {item === "desktop"
                  ? intl.formatMessage({ id: "composer.preview.desktop", defaultMessage: "Desktop" })
                  : intl.formatMessage({ id: "composer.preview.mobile", defaultMessage: "Phone" })}
              </button>
            ))}
          </div>
          <Text size={2} color="default2">
            <FormattedMessage id="composer.preview.saved" defaultMessage="The saved step, for {email}. Links are not tracked." values={{ email: contact.email }} />
          </Text>
        </Box>
        {preview.isPending ? (
          <Loading />
        ) : preview.isError ? (
          <ErrorState error={preview.error} onRetry={() => void preview.refetch()} />
        ) : email ? (
          <>
            <dl className="preview-headers">
              <dt>
                <FormattedMessage id="composer.preview.from" defaultMessage="From" />
              </dt>
              <dd>{email.fromAddress}</dd>
              <dt>
                <FormattedMessage id="composer.preview.subject" defaultMessage="Subject" />
              </dt>
              <dd data-testid="preview-subject">
                <strong>{email.subject}</strong>
              </dd>
            </dl>
            <iframe
              className="preview-frame"
              title={intl.formatMessage({ id: "composer.preview.frame", defaultMessage: "The email: {subject}" }, { subject: email.subject })}
              sandbox=""
              srcDoc={email.html || `<pre style="white-space:pre-wrap;font-family:sans-serif">${escapeHtml(email.text)}</pre>`}
              style={{ width: `${WIDTHS[width]}px` }}
            />
          </>
        ) : null}
      </div>
    </div>
  );
}

/** Tab and Shift+Tab go round the dialog's controls, never to the page behind it. */
function keepFocusIn(container: HTMLElement | null, event: React.KeyboardEvent) {
  const focusable = Array.from(container?.querySelectorAll<HTMLElement>("button:not([disabled]), iframe") ?? []);
  if (!focusable.length) return;
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function TestSend({ campaignId, stepKey, contact }: { campaignId: string; stepKey: string; contact: Contact }) {
  const intl = useIntl();
  const [email, setEmail] = useState("");
  const [errors, setErrors] = useState<MarketingError[]>([]);
  const [sentTo, setSentTo] = useState("");
  const send = useApiMutation(CampaignStepSendTestMutation);
  const fieldError = errors.find((error) => error.field === "email")?.message;
  const general = errors.filter((error) => error.field !== "email");
  const submit = async () => {
    setSentTo("");
    try {
      const result = (await send.mutateAsync({ campaignId, key: stepKey, contactId: contact.id, email })).campaignStepSendTest;
      if (result?.errors.length) {
        setErrors(result.errors);
        return;
      }
      setErrors([]);
      setSentTo(result?.recipient ?? email);
    } catch (error) {
      setErrors([{ code: "GRAPHQL_ERROR", message: error instanceof Error ? error.message : String(error) }]);
    }
  };
  return (
    <Box display="flex" flexDirection="column" gap={2}>
      <Input
        size="small"
        type="email"
        label={intl.formatMessage({ id: "composer.test.email", defaultMessage: "Send a test to" })}
        value={email}
        error={Boolean(fieldError)}
        helperText={fieldError}
        onChange={(event) => setEmail(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            void submit();
          }
        }}
      />
      <Box>
        <Button type="button" variant="secondary" icon={<Send size={16} aria-hidden />} disabled={send.isPending} onClick={() => void submit()}>
          <FormattedMessage id="composer.test.send" defaultMessage="Send test" />
        </Button>
      </Box>
      {general.map((error) => (
        <Text key={error.message} size={2} color="critical1" role="alert">
          {error.message}
        </Text>
      ))}
      {sentTo && (
        <Text size={3} color="success1" role="status">
          <FormattedMessage id="composer.test.sent" defaultMessage="Test sent to {email}. It counts in no report." values={{ email: sentTo }} />
        </Text>
      )}
    </Box>
  );
}

export function StepPreview({ campaignId, stepKey, version, unsaved }: { campaignId: string; stepKey: string; version: string; unsaved: boolean }) {
  const headingId = useId();
  const [contact, setContact] = useState<Contact | null>(null);
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  return (
    <Box as="section" aria-labelledby={headingId} display="flex" flexDirection="column" gap={3} borderTopWidth={1} borderTopStyle="solid" borderColor="default1" paddingTop={4}>
      <Text id={headingId} as="h3" size={5} fontWeight="bold">
        <FormattedMessage id="composer.preview.heading" defaultMessage="Preview and test" />
      </Text>
      <Text size={2} color={unsaved ? "warning1" : "default2"}>
        {unsaved ? (
          <FormattedMessage id="composer.preview.unsaved" defaultMessage="You have unsaved changes: the preview and the test show the step as last saved." />
        ) : (
          <FormattedMessage id="composer.preview.explain" defaultMessage="Products, feeds and the contact's blocks are filled in as they would be if the step sent now." />
        )}
      </Text>
      <ContactPicker contact={contact} onChange={setContact} />
      {contact && (
        <>
          <Box>
            <Button ref={opener} type="button" variant="secondary" icon={<Eye size={16} aria-hidden />} onClick={() => setOpen(true)}>
              <FormattedMessage id="composer.preview.show" defaultMessage="Show preview" />
            </Button>
          </Box>
          <TestSend campaignId={campaignId} stepKey={stepKey} contact={contact} />
        </>
      )}
      {open && contact && (
        <PreviewDialog
          campaignId={campaignId}
          stepKey={stepKey}
          contact={contact}
          version={version}
          onClose={() => {
            setOpen(false);
            opener.current?.focus();
          }}
        />
      )}
    </Box>
  );
}
