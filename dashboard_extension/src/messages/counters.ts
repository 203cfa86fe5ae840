// What an SMS or a web push costs and shows, counted on the rendered text (what is sent).
// SMS segments follow Twilio's own calculator: GSM-7 carries 160 characters in one segment or
// 153 per segment of a longer message (its extension characters such as € count twice); one
// character outside GSM-7 switches the whole message to UCS-2: 70, or 67 per segment.
import { SegmentedMessage } from "sms-segments-calculator";

/** The SMS backends refuse longer texts (Twilio's limit; see channels/sms.py). */
export const MAX_SMS_CHARACTERS = 1600;
/** Push services take 4096 bytes; encryption leaves this much for the JSON (channels/push.py). */
export const MAX_PUSH_PAYLOAD_BYTES = 4096 - 86 - 1 - 16;
/** What notifications show before cutting off, on Android and desktop Chrome. */
export const PUSH_TITLE_VISIBLE = 50;
export const PUSH_BODY_VISIBLE = 120;

export type SmsEncoding = "GSM-7" | "UCS-2";

export interface SmsCount {
  /** Characters as a reader counts them (Unicode code points). */
  characters: number;
  encoding: SmsEncoding;
  segments: number;
  /** Characters one segment carries for this encoding and length. */
  perSegment: number;
  /** The characters that force UCS-2, each once, in order of appearance. */
  unicodeCharacters: string[];
  tooLong: boolean;
}

export function countSms(text: string): SmsCount {
  const message = new SegmentedMessage(text);
  const encoding = message.encodingName;
  const single = encoding === "GSM-7" ? 160 : 70;
  const multi = encoding === "GSM-7" ? 153 : 67;
  const characters = [...text].length;
  return {
    characters,
    encoding,
    segments: text ? message.segmentsCount : 0,
    perSegment: message.segmentsCount > 1 ? multi : single,
    unicodeCharacters: [...new Set(message.getNonGsmCharacters())],
    tooLong: characters > MAX_SMS_CHARACTERS,
  };
}

export interface PushCount {
  titleCharacters: number;
  bodyCharacters: number;
  /** Bytes of the JSON the service worker receives, without the link the send adds. */
  payloadBytes: number;
  titleCut: boolean;
  bodyCut: boolean;
  tooLarge: boolean;
}

export function countPush(title: string, body: string): PushCount {
  const titleCharacters = [...title].length;
  const bodyCharacters = [...body].length;
  const payloadBytes = new TextEncoder().encode(JSON.stringify({ title, body, url: null, icon: null })).length;
  return {
    titleCharacters,
    bodyCharacters,
    payloadBytes,
    titleCut: titleCharacters > PUSH_TITLE_VISIBLE,
    bodyCut: bodyCharacters > PUSH_BODY_VISIBLE,
    tooLarge: payloadBytes > MAX_PUSH_PAYLOAD_BYTES,
  };
}
