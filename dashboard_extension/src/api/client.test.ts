import { afterEach, describe, expect, it, vi } from "vitest";

import { createClient, type Transport } from "./client";
import { ApiError, AuthenticationError, NetworkError, PermissionError } from "./errors";
import { MarketingViewerQuery as Viewer } from "./operations";

function transport(overrides: Partial<Transport> = {}): Transport {
  return {
    apiUrl: "/graphql/",
    token: () => "token-1",
    tokenExpired: () => false,
    awaitFreshToken: () => Promise.resolve(false),
    ...overrides,
  };
}

function answer(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

afterEach(() => vi.unstubAllGlobals());

describe("the API client", () => {
  it("sends the Dashboard's token as a bearer token", async () => {
    const fetchMock = vi.fn(async () => answer({ data: { marketingViewer: { kind: "STAFF", email: "", permissions: [] } } }));
    vi.stubGlobal("fetch", fetchMock);

    const data = await createClient(transport()).request(Viewer);

    expect(data.marketingViewer.kind).toBe("STAFF");
    const init = (fetchMock.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer token-1");
  });

  it("asks the API to answer in the admin's language", async () => {
    const fetchMock = vi.fn(async () => answer({ data: { marketingViewer: { kind: "STAFF", email: "", permissions: [] } } }));
    vi.stubGlobal("fetch", fetchMock);

    await createClient(transport({ language: () => "de" })).request(Viewer);

    const init = (fetchMock.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect((init.headers as Record<string, string>)["Accept-Language"]).toBe("de");
  });

  it("reports an unreachable server as a network error", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));

    await expect(createClient(transport()).request(Viewer)).rejects.toBeInstanceOf(NetworkError);
  });

  it("reports a server error page as a network error", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => new Response("<html>Bad gateway</html>", { status: 502 })));

    await expect(createClient(transport()).request(Viewer)).rejects.toBeInstanceOf(NetworkError);
  });

  it("reports a refusal with a valid token as missing permission", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => answer({ data: null, errors: [{ message: "You need MANAGE_MARKETING.", extensions: { code: "PERMISSION_DENIED" } }] })));

    await expect(createClient(transport()).request(Viewer)).rejects.toBeInstanceOf(PermissionError);
  });

  it("waits for a refreshed token and repeats a request refused with an expired one", async () => {
    let token = "expired";
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(answer({ data: null, errors: [{ message: "denied", extensions: { code: "PERMISSION_DENIED" } }] }))
      .mockResolvedValueOnce(answer({ data: { marketingViewer: { kind: "STAFF", email: "", permissions: [] } } }));
    vi.stubGlobal("fetch", fetchMock);
    const client = createClient(
      transport({
        token: () => token,
        tokenExpired: () => token === "expired",
        awaitFreshToken: async () => {
          token = "fresh";
          return true;
        },
      }),
    );

    const data = await client.request(Viewer);

    expect(data.marketingViewer.kind).toBe("STAFF");
    const retried = (fetchMock.mock.calls[1] as unknown as [string, RequestInit])[1];
    expect((retried.headers as Record<string, string>).Authorization).toBe("Bearer fresh");
  });

  it("asks to sign in again when no fresh token comes", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => answer({ data: null, errors: [{ message: "denied", extensions: { code: "PERMISSION_DENIED" } }] })));
    const client = createClient(transport({ tokenExpired: () => true }));

    await expect(client.request(Viewer)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it("keeps other errors' codes", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => answer({ data: null, errors: [{ message: "Not a valid Campaign id.", extensions: { code: "INVALID" } }] })));

    const error = await createClient(transport()).request(Viewer).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe("INVALID");
  });
});
