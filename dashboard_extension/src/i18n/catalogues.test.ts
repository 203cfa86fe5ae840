// Every string of the app is shipped in German and Polish, with the same placeholders.
import { type MessageFormatElement, parse, TYPE } from "@formatjs/icu-messageformat-parser";
import { describe, expect, it } from "vitest";

import de from "./de.json";
import en from "./en.json";
import pl from "./pl.json";

function argumentsOf(elements: MessageFormatElement[], found = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.argument || element.type === TYPE.number || element.type === TYPE.date || element.type === TYPE.time) {
      found.add(element.value);
    } else if (element.type === TYPE.plural || element.type === TYPE.select) {
      found.add(element.value);
      for (const option of Object.values(element.options)) argumentsOf(option.value, found);
    } else if (element.type === TYPE.tag) {
      argumentsOf(element.children, found);
    }
  }
  return found;
}

describe.each([
  ["de", de as Record<string, string>],
  ["pl", pl as Record<string, string>],
])("the %s catalogue", (_, catalogue) => {
  const source = en as Record<string, string>;

  it("translates every message and nothing else", () => {
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(source).sort());
  });

  it.each(Object.keys(source))("keeps the placeholders of %s", (id) => {
    expect(argumentsOf(parse(catalogue[id]))).toEqual(argumentsOf(parse(source[id])));
  });
});
