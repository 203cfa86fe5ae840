import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { Route, Routes } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";

import { renderApp } from "../test/render";
import MessageEditor from "./MessageEditor";

const SOURCE_1 = "{% block subject %}Hi{% endblock %}{% block text_body %}One{% endblock %}";
const SOURCE_2 = "{% block subject %}Hello{% endblock %}{% block text_body %}Two{% endblock %}";
const version = (number: number, source: string, createdAt: string, extra: Record<string, unknown> = {}) => ({
  id: `VGVtcGxhdGU6${number}`,
  key: "welcome",
  language: "en",
  version: number,
  source,
  isActive: true,
  createdAt,
  revertedFrom: null,
  ...extra,
});
const V1 = version(1, SOURCE_1, "2026-12-01T09:00:00+00:00");
const V2 = version(2, SOURCE_2, "2026-12-02T09:00:00+00:00");

interface Call {
  operation: string;
  variables: Record<string, unknown>;
  signal: AbortSignal | null | undefined;
  answer: (data: unknown) => void;
}

/** A server that answers at once, except previews, which wait until the test answers them. */
function server(respond: (operation: string, variables: Record<string, unknown>) => unknown) {
  const previews: Call[] = [];
  const calls: { operation: string; variables: Record<string, unknown> }[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: unknown, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as { query: string; variables: Record<string, unknown> };
      const operation = /(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? "";
      const json = (data: unknown) => new Response(JSON.stringify(data), { status: 200, headers: { "Content-Type": "application/json" } });
      calls.push({ operation, variables: body.variables });
      if (operation === "TemplatePreview") {
        return new Promise<Response>((resolve) => {
          previews.push({ operation, variables: body.variables, signal: init?.signal, answer: (data) => resolve(json(data)) });
        });
      }
      return json(respond(operation, body.variables));
    }),
  );
  return { previews, calls };
}

function history(versions: unknown[], channels = ["EMAIL"]) {
  return {
    data: {
      templates: { totalCount: versions.length, edges: versions.map((node) => ({ node })) },
      templateSummaries: [
        { key: "welcome", language: "en", channels, kind: "MARKETING", shipped: true },
        { key: "welcome", language: "de", channels, kind: "MARKETING", shipped: true },
      ],
    },
  };
}

function basics(operation: string, versions: unknown[] = [V2, V1], channels?: string[]) {
  switch (operation) {
    case "TemplateHistory":
      return history(versions, channels);
    case "TemplateInUse":
      return { data: { templateInUse: { source: SOURCE_2, version: 2, language: "en", shippedSource: "{% block subject %}Default{% endblock %}" } } };
    case "TemplateContactSearch":
      return { data: { contacts: { edges: [{ node: { id: "Q29udGFjdDox", email: "anna@example.com", firstName: "Anna", lastName: "Berg", languageCode: "en" } }] } } };
    default:
      return undefined;
  }
}

function renderEditor() {
  renderApp(
    <Routes>
      <Route path="/messages/:key/:language" element={<MessageEditor />} />
    </Routes>,
    { path: "/messages/welcome/en" },
  );
}

const source = () => screen.getByRole("textbox", { name: /^(Template source|Source of)/ }) as HTMLTextAreaElement;
const preview = () => screen.getByRole("region", { name: "Preview" });
const rendered = (subject: string, text = "") => ({ data: { templatePreview: { subject, text, html: "" } } });

afterEach(() => vi.unstubAllGlobals());

describe("the message editor", () => {
  it("previews the source once typing pauses, for the latest text and the chosen contact only", async () => {
    const { previews } = server((operation) => basics(operation));
    renderEditor();
    await waitFor(() => expect(previews).toHaveLength(1));
    expect(previews[0].variables).toEqual({ key: "welcome", language: "en", source: SOURCE_2 });
    previews[0].answer(rendered("Hello"));
    await waitFor(() => expect(within(preview()).getByTestId("preview-subject").textContent).toBe("Hello"));

    for (const text of ["{% block subject %}A", "{% block subject %}AB", "{% block subject %}ABC{% endblock %}"]) {
      fireEvent.change(source(), { target: { value: text } });
      expect(source().value).toBe(text);
    }
    expect(previews).toHaveLength(1);
    expect(preview().getAttribute("aria-busy")).toBe("true");
    await waitFor(() => expect(previews).toHaveLength(2));
    expect(previews[1].variables.source).toBe("{% block subject %}ABC{% endblock %}");

    fireEvent.change(await screen.findByLabelText("Preview for"), { target: { value: "Q29udGFjdDox" } });
    await waitFor(() => expect(previews).toHaveLength(3));
    expect(previews[1].signal?.aborted).toBe(true);
    expect(previews[2].variables).toMatchObject({ contactId: "Q29udGFjdDox", source: "{% block subject %}ABC{% endblock %}" });

    previews[2].answer(rendered("ABC for Anna"));
    await waitFor(() => expect(within(preview()).getByTestId("preview-subject").textContent).toBe("ABC for Anna"));
    previews[1].answer(rendered("ABC"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(within(preview()).getByTestId("preview-subject").textContent).toBe("ABC for Anna");
    expect(preview().getAttribute("aria-busy")).toBe("false");
  });

  it("shows the server's refusal of the source at the source, keeping the text", async () => {
    const { previews } = server((operation) => basics(operation));
    renderEditor();
    await waitFor(() => expect(previews).toHaveLength(1));
    previews[0].answer(rendered("Hello"));
    fireEvent.change(source(), { target: { value: "{% load static %}" } });
    await waitFor(() => expect(previews).toHaveLength(2));
    previews[1].answer({ errors: [{ message: "The tag {% load %} is not allowed (line 1).", extensions: { code: "TEMPLATE_REFUSED", field: "source" } }] });

    expect(await screen.findByText("Preview: The tag {% load %} is not allowed (line 1).")).toBeTruthy();
    expect(source().getAttribute("aria-invalid")).toBe("true");
    expect(source().value).toBe("{% load static %}");
  });

  it("refuses a save over a newer version, names it, keeps the text and can save after it", async () => {
    const V3 = version(3, "{% block subject %}Theirs{% endblock %}", "2026-12-05T08:30:00+00:00");
    let saved = false;
    const { previews, calls } = server((operation, variables) => {
      if (operation === "TemplateHistory") return saved ? history([V3, V2, V1]) : history([V2, V1]);
      if (operation === "TemplateUpdate") {
        saved = true;
        if (variables.expectedVersion === 2) {
          return { data: { templateUpdate: { errors: [{ field: "expectedVersion", code: "CONFLICT", message: "Someone else saved version 3 after you opened version 2." }], template: null } } };
        }
        return { data: { templateUpdate: { errors: [], template: version(4, String(variables.source), "2026-12-05T09:00:00+00:00") } } };
      }
      return basics(operation);
    });
    renderEditor();
    await waitFor(() => expect(previews).toHaveLength(1));
    fireEvent.change(source(), { target: { value: "{% block subject %}Mine{% endblock %}" } });
    fireEvent.click(screen.getByRole("button", { name: "Save as new version" }));

    const alert = await screen.findByText(/Not saved: version 3 was saved on .*, after you opened version 2\. Your text is kept\./);
    expect(alert).toBeTruthy();
    expect(source().value).toBe("{% block subject %}Mine{% endblock %}");
    expect(calls.find((call) => call.operation === "TemplateUpdate")?.variables).toEqual({
      id: V2.id,
      source: "{% block subject %}Mine{% endblock %}",
      expectedVersion: 2,
    });
    expect((screen.getByRole("button", { name: "Save as new version" }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByRole("button", { name: "Keep my text and save it after version 3" }));
    fireEvent.click(screen.getByRole("button", { name: "Save as new version" }));
    expect(await screen.findByText("Saved as version 4; it is sent from now on.")).toBeTruthy();
    expect(calls.filter((call) => call.operation === "TemplateUpdate").at(-1)?.variables).toMatchObject({ id: V3.id, expectedVersion: 3 });
  });

  it("shows an old version's source and reverts to it as a new version", async () => {
    const { previews, calls } = server((operation) =>
      operation === "TemplateRevert"
        ? { data: { templateRevert: { errors: [], template: version(3, SOURCE_1, "2026-12-05T09:00:00+00:00", { revertedFrom: 1 }) } } }
        : basics(operation),
    );
    renderEditor();
    await waitFor(() => expect(previews).toHaveLength(1));
    fireEvent.click(await screen.findByRole("button", { name: "View version 1" }));
    expect(source().value).toBe(SOURCE_1);
    expect(source().readOnly).toBe(true);
    await waitFor(() => expect(previews.at(-1)?.variables.source).toBe(SOURCE_1));

    fireEvent.click(screen.getByRole("button", { name: "Revert to this version" }));
    expect(await screen.findByText("Saved as version 3, restoring version 1; it is sent from now on.")).toBeTruthy();
    expect(calls.find((call) => call.operation === "TemplateRevert")?.variables).toEqual({ id: V1.id, expectedVersion: 2 });
    expect(source().readOnly).toBe(false);
    expect(source().value).toBe(SOURCE_1);
  });

  it("checks the test address, and shows the server's refusals at their fields", async () => {
    const { previews, calls } = server((operation, variables) => {
      if (operation === "TemplateSendTest") {
        return variables.email === "bounce@example.com"
          ? { data: { templateSendTest: { errors: [{ field: "email", code: "INVALID", message: "Enter a valid email address." }] } } }
          : { data: { templateSendTest: { errors: [{ field: "source", code: "TEMPLATE_REFUSED", message: "The filter |pprint is not allowed (line 1)." }] } } };
      }
      return basics(operation);
    });
    renderEditor();
    await waitFor(() => expect(previews).toHaveLength(1));
    const address = screen.getByLabelText("Send to");
    fireEvent.change(address, { target: { value: "not an address" } });
    fireEvent.click(screen.getByRole("button", { name: "Send test" }));
    expect(await screen.findByText("Enter an email address such as you@example.com.")).toBeTruthy();
    expect(calls.some((call) => call.operation === "TemplateSendTest")).toBe(false);

    fireEvent.change(address, { target: { value: "bounce@example.com" } });
    fireEvent.click(screen.getByRole("button", { name: "Send test" }));
    expect(await screen.findByText("Enter a valid email address.")).toBeTruthy();
    expect((address as HTMLInputElement).value).toBe("bounce@example.com");

    fireEvent.change(address, { target: { value: "me@example.com" } });
    fireEvent.click(screen.getByRole("button", { name: "Send test" }));
    expect(await screen.findByText("The filter |pprint is not allowed (line 1).")).toBeTruthy();
    expect(source().getAttribute("aria-invalid")).toBe("true");
    expect(calls.filter((call) => call.operation === "TemplateSendTest").at(-1)?.variables).toEqual({
      key: "welcome",
      language: "en",
      email: "me@example.com",
      source: SOURCE_2,
    });
  });

  it("shows a push as title and text with their lengths, beside the email when the key is sent both ways", async () => {
    const { previews } = server((operation) => basics(operation, [V2, V1], ["EMAIL", "PUSH"]));
    renderEditor();
    await waitFor(() => expect(previews).toHaveLength(1));
    previews[0].answer({ data: { templatePreview: { subject: "Your basket misses you, Anna", text: "b".repeat(130), html: "<p>Hi</p>" } } });
    await waitFor(() => expect(screen.getByTitle("Email as it will look").getAttribute("srcdoc")).toBe("<p>Hi</p>"));
    expect(screen.getByTitle("Email as it will look").getAttribute("sandbox")).toBe("");

    fireEvent.click(screen.getByRole("button", { name: "Web push" }));
    const counter = screen.getByLabelText("Push length");
    expect(counter.textContent).toContain("28 of 50 visible");
    expect(counter.textContent).toContain("130 of 120 visible");
    expect(screen.getByText(/Most browsers cut the title after about 50 and the text after about 120 characters\./)).toBeTruthy();
    expect(screen.getByTestId("preview-push").textContent).toContain("Your basket misses you, Anna");
  });

  it("says so when there is no such template", async () => {
    server((operation) =>
      operation === "TemplateInUse"
        ? { errors: [{ message: "No template 'nope' in 'en' or 'en'.", extensions: { code: "NOT_FOUND", field: "key" } }] }
        : basics(operation, []),
    );
    renderEditor();
    expect(await screen.findByText("There is no such message")).toBeTruthy();
  });

  it("counts the rendered SMS: characters, encoding and segments", async () => {
    const { previews } = server((operation) => basics(operation, [V2, V1], ["SMS"]));
    renderEditor();
    await waitFor(() => expect(previews).toHaveLength(1));
    previews[0].answer({ data: { templatePreview: { subject: "", text: `Zażółć ${"x".repeat(70)}`, html: "" } } });

    const counter = await screen.findByLabelText("SMS length");
    expect(counter.textContent).toContain("77 of 1,600");
    expect(counter.textContent).toContain("UCS-2 (Unicode)");
    expect(counter.textContent).toContain("2 (67 characters each)");
    expect(screen.getByTestId("preview-sms").textContent).toContain("Zażółć");
  });
});
