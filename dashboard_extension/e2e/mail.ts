// A local SMTP sink and an RSS feed for the composer test, and a reader of the MIME mail the
// sink receives. The host sends to the sink on E2E_SMTP_PORT (see standalone-host.sh).
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export const SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? Number(process.env.E2E_PORT ?? 18080) + 2000);

export interface Received {
  from: string;
  to: string[];
  data: string;
}

/** Speaks enough SMTP (RFC 5321, no extensions) for Python's smtplib; keeps every message. */
export class SmtpSink {
  readonly messages: Received[] = [];
  private server: Server;
  private sockets = new Set<Socket>();

  constructor() {
    this.server = createServer((socket) => this.session(socket));
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => resolve());
    });
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The first message to ``recipient`` whose subject matches, once it has arrived. */
  async waitFor(recipient: string, subject: RegExp, timeout = 15_000): Promise<Received> {
    const until = Date.now() + timeout;
    while (Date.now() < until) {
      const found = this.messages.find((message) => message.to.includes(recipient) && subject.test(parseMail(message.data).subject));
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`No mail to ${recipient} with subject ${subject} within ${timeout} ms`);
  }

  private session(socket: Socket) {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.setEncoding("latin1");
    let buffer = "";
    let inData = false;
    let data: string[] = [];
    let envelope: { from: string; to: string[] } = { from: "", to: [] };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply("220 sink.test ESMTP");
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === ".") {
            inData = false;
            this.messages.push({ ...envelope, data: data.join("\r\n") });
            envelope = { from: "", to: [] };
            data = [];
            reply("250 2.0.0 queued");
          } else {
            data.push(line.startsWith("..") ? line.slice(1) : line);
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") reply("250 sink.test");
        else if (verb === "MAIL") {
          envelope = { from: /<(.*)>/.exec(line)?.[1] ?? "", to: [] };
          reply("250 2.1.0 ok");
        } else if (verb === "RCPT") {
          envelope.to.push((/<(.*)>/.exec(line)?.[1] ?? "").toLowerCase());
          reply("250 2.1.5 ok");
        } else if (verb === "DATA") {
          inData = true;
          reply("354 end with <CRLF>.<CRLF>");
        } else if (verb === "RSET") {
          envelope = { from: "", to: [] };
          reply("250 2.0.0 ok");
        } else if (verb === "NOOP") reply("250 2.0.0 ok");
        else if (verb === "QUIT") {
          reply("221 2.0.0 bye");
          socket.end();
        } else reply("502 5.5.2 not implemented");
      }
    });
  }
}

/** An RSS 2.0 feed on 127.0.0.1, as a shop's blog would serve it. */
export async function serveFeed(items: { title: string; link: string; description: string }[]): Promise<{ url: string; server: HttpServer }> {
  const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const body = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Journal</title><link>https://blog.example.com/</link><description>News</description>${items
    .map((item) => `<item><title>${escape(item.title)}</title><link>${escape(item.link)}</link><description>${escape(item.description)}</description></item>`)
    .join("")}</channel></rss>`;
  const server = createHttpServer((_request, response) => {
    response.writeHead(200, { "Content-Type": "application/rss+xml; charset=utf-8" });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`, server };
}

export interface ParsedMail {
  headers: Map<string, string>;
  subject: string;
  /** Decoded text parts by content type (text/plain, text/html). */
  parts: Map<string, string>;
}

function splitHead(raw: string): [Map<string, string>, string] {
  const at = raw.indexOf("\r\n\r\n");
  const head = at >= 0 ? raw.slice(0, at) : raw;
  const body = at >= 0 ? raw.slice(at + 4) : "";
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return [headers, body];
}

function bytesToUtf8(binary: string): string {
  return Buffer.from(binary, "latin1").toString("utf8");
}

function decodeQuotedPrintable(text: string): string {
  const binary = text.replace(/=\r\n/g, "").replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return bytesToUtf8(binary);
}

function decodeBody(body: string, encoding: string): string {
  switch (encoding.toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    case "quoted-printable":
      return decodeQuotedPrintable(body);
    default:
      return bytesToUtf8(body);
  }
}

/** RFC 2047 encoded words ("=?utf-8?b?...?=", "=?utf-8?q?...?=") as text. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, _charset: string, kind: string, text: string) =>
      kind.toLowerCase() === "b"
        ? Buffer.from(text, "base64").toString("utf8")
        : bytesToUtf8(text.replace(/_/g, " ").replace(/=([0-9A-Fa-f]{2})/g, (__, hex: string) => String.fromCharCode(parseInt(hex, 16)))),
    );
}

/** The headers and the decoded text parts of a (multipart/alternative) message. */
export function parseMail(raw: string): ParsedMail {
  const [headers, body] = splitHead(raw);
  const parts = new Map<string, string>();
  const type = headers.get("content-type") ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (boundary) {
    for (const section of body.split(`--${boundary}`).slice(1)) {
      if (section.startsWith("--")) break;
      const [partHeaders, partBody] = splitHead(section.replace(/^\r\n/, ""));
      const partType = (partHeaders.get("content-type") ?? "text/plain").split(";")[0].trim().toLowerCase();
      parts.set(partType, decodeBody(partBody.replace(/\r\n$/, ""), partHeaders.get("content-transfer-encoding") ?? "7bit"));
    }
  } else {
    parts.set(type.split(";")[0].trim().toLowerCase(), decodeBody(body, headers.get("content-transfer-encoding") ?? "7bit"));
  }
  return { headers, subject: decodeWords(headers.get("subject") ?? ""), parts };
}
