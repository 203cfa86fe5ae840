// The message as the server renders it: email at desktop or phone width in a sandboxed frame
// (no scripts, no access to the app) with its subject and text part; SMS and push as text with
// their counters. The figures are of the rendered text, so they are what is sent.
import { Box, Text } from "@saleor/macaw-ui";
import { useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";

import type { MessageChannelEnum, RenderedTemplate } from "../gql/graphql";
import { PushCounter, SmsCounter } from "./Counters";
import { CHANNELS, channelLabels } from "./labels";

export const PREVIEW_WIDTHS = { desktop: 600, mobile: 375 } as const;
type Width = keyof typeof PREVIEW_WIDTHS;

/** On a phone the preview starts at phone width: the desktop frame would not fit. */
function initialWidth(): Width {
  return typeof window.matchMedia === "function" && window.matchMedia("(max-width: 700px)").matches ? "mobile" : "desktop";
}

function Segmented<T extends string>({
  label,
  options,
  value,
  onChange,
}: {
  label: string;
  options: { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <Box role="group" aria-label={label} display="flex" gap={1} flexWrap="wrap">
      {options.map((option) => (
        <button key={option.value} type="button" className="step-chip" aria-pressed={option.value === value} onClick={() => onChange(option.value)}>
          {option.label}
        </button>
      ))}
    </Box>
  );
}

function EmailPreview({ rendered }: { rendered: RenderedTemplate }) {
  const intl = useIntl();
  const [width, setWidth] = useState<Width>(initialWidth);
  return (
    <Box display="flex" flexDirection="column" gap={4}>
      <Box display="flex" justifyContent="space-between" alignItems="flex-start" gap={3} flexWrap="wrap">
        <Box display="flex" flexDirection="column" gap={0.5} __minWidth="0" __flex="1 1 200px">
          <Text size={2} color="default2">
            <FormattedMessage id="messages.preview.subject" defaultMessage="Subject" />
          </Text>
          <Text size={4} fontWeight="bold" className="preview-subject" data-testid="preview-subject">
            {rendered.subject}
          </Text>
        </Box>
        {rendered.html && (
          <Segmented
            label={intl.formatMessage({ id: "messages.preview.width", defaultMessage: "Preview width" })}
            value={width}
            onChange={setWidth}
            options={[
              { value: "desktop", label: intl.formatMessage({ id: "messages.preview.desktop", defaultMessage: "Desktop" }) },
              { value: "mobile", label: intl.formatMessage({ id: "messages.preview.mobile", defaultMessage: "Phone" }) },
            ]}
          />
        )}
      </Box>
      {rendered.html ? (
        <Box className="preview-frame-wrap">
          <iframe
            className="preview-frame"
            sandbox=""
            srcDoc={rendered.html}
            title={intl.formatMessage({ id: "messages.preview.frame", defaultMessage: "Email as it will look" })}
            style={{ width: `${PREVIEW_WIDTHS[width]}px` }}
            data-width={width}
          />
        </Box>
      ) : (
        <Text size={2} color="default2">
          <FormattedMessage id="messages.preview.noHtml" defaultMessage="This template has no HTML part: readers get the text part below." />
        </Text>
      )}
      <details className="text-part" open={!rendered.html}>
        <summary>
          <FormattedMessage id="messages.preview.text" defaultMessage="Text part" />
        </summary>
        <pre className="preview-text">{rendered.text}</pre>
      </details>
    </Box>
  );
}

function SmsPreview({ rendered }: { rendered: RenderedTemplate }) {
  return (
    <Box display="flex" flexDirection="column" gap={4}>
      <pre className="preview-text sms-bubble" data-testid="preview-sms">
        {rendered.text}
      </pre>
      <SmsCounter text={rendered.text} />
    </Box>
  );
}

function PushPreview({ rendered }: { rendered: RenderedTemplate }) {
  return (
    <Box display="flex" flexDirection="column" gap={4}>
      <Box className="push-card" data-testid="preview-push">
        <Text size={3} fontWeight="bold" className="push-line">
          {rendered.subject}
        </Text>
        <Text size={3} className="push-line">
          {rendered.text}
        </Text>
      </Box>
      <PushCounter title={rendered.subject} body={rendered.text} />
    </Box>
  );
}

export function PreviewPanel({
  channels,
  rendered,
  outdated,
  refused,
}: {
  /** The channels the key is sent through; it opens as the first. */
  channels: MessageChannelEnum[];
  rendered: RenderedTemplate | undefined;
  outdated: boolean;
  /** Why the server could not render the source, in its words; shown at the source too. */
  refused: string | undefined;
}) {
  const intl = useIntl();
  // It opens as the key is sent; any channel can be looked at (a template may be written for a
  // step that does not exist yet).
  const [shown, setShown] = useState<MessageChannelEnum>(channels[0] ?? "EMAIL");
  return (
    <Box display="flex" flexDirection="column" gap={4}>
      <Segmented
        label={intl.formatMessage({ id: "messages.preview.channel", defaultMessage: "Show as" })}
        value={shown}
        onChange={setShown}
        options={CHANNELS.map((value) => ({ value, label: intl.formatMessage(channelLabels[value]) }))}
      />
      <Box
        role="region"
        aria-label={intl.formatMessage({ id: "messages.preview.label", defaultMessage: "Preview" })}
        aria-busy={outdated}
        className={outdated ? "preview outdated" : "preview"}
      >
        {refused && !outdated ? (
          <Box display="flex" flexDirection="column" gap={1}>
            <Text size={4} fontWeight="bold">
              <FormattedMessage id="messages.preview.refused" defaultMessage="This source cannot be shown" />
            </Text>
            <Text size={3} color="critical1">
              {refused}
            </Text>
          </Box>
        ) : !rendered ? (
          <Text size={3} color="default2">
            <FormattedMessage id="messages.preview.rendering" defaultMessage="Rendering…" />
          </Text>
        ) : shown === "SMS" ? (
          <SmsPreview rendered={rendered} />
        ) : shown === "PUSH" ? (
          <PushPreview rendered={rendered} />
        ) : (
          <EmailPreview rendered={rendered} />
        )}
        {outdated && rendered && (
          <Text size={2} color="default2" marginTop={2}>
            <FormattedMessage id="messages.preview.updating" defaultMessage="Updating for your latest change…" />
          </Text>
        )}
      </Box>
    </Box>
  );
}
