// The counters beside an SMS or push preview: what the rendered text costs and what shows.
import { Box, Text } from "@saleor/macaw-ui";
import { FormattedMessage, useIntl } from "react-intl";

import { countPush, countSms, MAX_PUSH_PAYLOAD_BYTES, MAX_SMS_CHARACTERS, PUSH_BODY_VISIBLE, PUSH_TITLE_VISIBLE } from "./counters";

function Figure({ label, children, tone }: { label: React.ReactNode; children: React.ReactNode; tone?: "critical1" | "warning1" }) {
  return (
    <Box display="flex" flexDirection="column" gap={0.5} __minWidth="110px">
      <Box as="dt">
        <Text size={2} color="default2">
          {label}
        </Text>
      </Box>
      <Box as="dd" margin={0}>
        <Text size={4} fontWeight="bold" className="live-count" color={tone ?? "default1"}>
          {children}
        </Text>
      </Box>
    </Box>
  );
}

export function SmsCounter({ text }: { text: string }) {
  const intl = useIntl();
  const count = countSms(text);
  return (
    <Box display="flex" flexDirection="column" gap={3}>
      <Box as="dl" display="flex" flexWrap="wrap" gap={5} margin={0} aria-label={intl.formatMessage({ id: "messages.sms.counter", defaultMessage: "SMS length" })}>
        <Figure label={<FormattedMessage id="messages.sms.characters" defaultMessage="Characters" />} tone={count.tooLong ? "critical1" : undefined}>
          <FormattedMessage
            id="messages.sms.charactersValue"
            defaultMessage="{count, number} of {limit, number}"
            values={{ count: count.characters, limit: MAX_SMS_CHARACTERS }}
          />
        </Figure>
        <Figure label={<FormattedMessage id="messages.sms.encoding" defaultMessage="Encoding" />} tone={count.encoding === "UCS-2" ? "warning1" : undefined}>
          {count.encoding === "GSM-7" ? (
            <FormattedMessage id="messages.sms.gsm" defaultMessage="GSM-7" />
          ) : (
            <FormattedMessage id="messages.sms.ucs" defaultMessage="UCS-2 (Unicode)" />
          )}
        </Figure>
        <Figure label={<FormattedMessage id="messages.sms.segments" defaultMessage="Segments" />}>
          <FormattedMessage
            id="messages.sms.segmentsValue"
            defaultMessage="{count, number} ({per, number} characters each)"
            values={{ count: count.segments, per: count.perSegment }}
          />
        </Figure>
      </Box>
      {count.unicodeCharacters.length > 0 && (
        <Text size={2} color="default2">
          <FormattedMessage
            id="messages.sms.unicodeBecause"
            defaultMessage="Sent as Unicode because of {characters}: a segment then carries 70 characters instead of 160."
            values={{ characters: count.unicodeCharacters.join(" ") }}
          />
        </Text>
      )}
      {count.tooLong && (
        <Text size={2} color="critical1" role="alert">
          <FormattedMessage
            id="messages.sms.tooLong"
            defaultMessage="Longer than {limit, number} characters: SMS providers refuse this message."
            values={{ limit: MAX_SMS_CHARACTERS }}
          />
        </Text>
      )}
    </Box>
  );
}

export function PushCounter({ title, body }: { title: string; body: string }) {
  const intl = useIntl();
  const count = countPush(title, body);
  return (
    <Box display="flex" flexDirection="column" gap={3}>
      <Box as="dl" display="flex" flexWrap="wrap" gap={5} margin={0} aria-label={intl.formatMessage({ id: "messages.push.counter", defaultMessage: "Push length" })}>
        <Figure label={<FormattedMessage id="messages.push.title" defaultMessage="Title" />} tone={count.titleCut ? "warning1" : undefined}>
          <FormattedMessage
            id="messages.push.lengthValue"
            defaultMessage="{count, number} of {visible, number} visible"
            values={{ count: count.titleCharacters, visible: PUSH_TITLE_VISIBLE }}
          />
        </Figure>
        <Figure label={<FormattedMessage id="messages.push.body" defaultMessage="Text" />} tone={count.bodyCut ? "warning1" : undefined}>
          <FormattedMessage
            id="messages.push.lengthValue"
            defaultMessage="{count, number} of {visible, number} visible"
            values={{ count: count.bodyCharacters, visible: PUSH_BODY_VISIBLE }}
          />
        </Figure>
        <Figure label={<FormattedMessage id="messages.push.size" defaultMessage="Size" />} tone={count.tooLarge ? "critical1" : undefined}>
          <FormattedMessage
            id="messages.push.sizeValue"
            defaultMessage="{bytes, number} of {limit, number} bytes"
            values={{ bytes: count.payloadBytes, limit: MAX_PUSH_PAYLOAD_BYTES }}
          />
        </Figure>
      </Box>
      {(count.titleCut || count.bodyCut) && (
        <Text size={2} color="default2">
          <FormattedMessage
            id="messages.push.cut"
            defaultMessage="Most browsers cut the title after about {title, number} and the text after about {body, number} characters."
            values={{ title: PUSH_TITLE_VISIBLE, body: PUSH_BODY_VISIBLE }}
          />
        </Text>
      )}
      {count.tooLarge && (
        <Text size={2} color="critical1" role="alert">
          <FormattedMessage id="messages.push.tooLarge" defaultMessage="Too large: push services refuse this message." />
        </Text>
      )}
    </Box>
  );
}
