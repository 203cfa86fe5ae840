import { describe, expect, it } from "vitest";

import { countPush, countSms, MAX_SMS_CHARACTERS } from "./counters";

describe("the SMS counter", () => {
  it("fits 160 GSM-7 characters into one segment and splits longer texts by 153", () => {
    expect(countSms("a".repeat(160))).toMatchObject({ characters: 160, encoding: "GSM-7", segments: 1, perSegment: 160 });
    expect(countSms("a".repeat(161))).toMatchObject({ segments: 2, perSegment: 153 });
    expect(countSms("a".repeat(306)).segments).toBe(2);
    expect(countSms("a".repeat(307)).segments).toBe(3);
  });

  it("counts GSM-7 extension characters twice towards a segment", () => {
    const count = countSms("€".repeat(80));
    expect(count).toMatchObject({ characters: 80, encoding: "GSM-7", segments: 1 });
    expect(countSms("€".repeat(81)).segments).toBe(2);
  });

  it("switches to UCS-2 for one character outside GSM-7 and names it", () => {
    const count = countSms(`Zażółć ${"x".repeat(60)}`);
    expect(count.encoding).toBe("UCS-2");
    expect(count.unicodeCharacters).toEqual(["ż", "ó", "ł", "ć"]);
    expect(count.segments).toBe(1);
    expect(countSms("ł".repeat(70)).segments).toBe(1);
    expect(countSms("ł".repeat(71))).toMatchObject({ segments: 2, perSegment: 67 });
  });

  it("keeps German umlauts in GSM-7, and an empty text costs nothing", () => {
    expect(countSms("Grüße aus Köln").encoding).toBe("GSM-7");
    expect(countSms("")).toMatchObject({ characters: 0, segments: 0 });
  });

  it("says when the text is longer than the backends accept", () => {
    expect(countSms("a".repeat(MAX_SMS_CHARACTERS)).tooLong).toBe(false);
    expect(countSms("a".repeat(MAX_SMS_CHARACTERS + 1)).tooLong).toBe(true);
  });

  it("counts an emoji as one character the reader sees", () => {
    expect(countSms("😀 hi")).toMatchObject({ characters: 4, encoding: "UCS-2" });
  });
});

describe("the push counter", () => {
  it("counts title and body and says what notifications cut off", () => {
    const count = countPush("t".repeat(51), "b".repeat(120));
    expect(count).toMatchObject({ titleCharacters: 51, bodyCharacters: 120, titleCut: true, bodyCut: false, tooLarge: false });
  });

  it("measures the payload in bytes, as the push service does", () => {
    expect(countPush("ä", "").payloadBytes).toBe(countPush("a", "").payloadBytes + 1);
    expect(countPush("", "x".repeat(4000)).tooLarge).toBe(true);
  });
});
