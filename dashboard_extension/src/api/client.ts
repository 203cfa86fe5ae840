// One small GraphQL client: typed operations in, data or a classified error out.
import type { TypedDocumentString } from "../gql/graphql";
import {
  ApiError,
  AuthenticationError,
  NetworkError,
  PermissionError,
} from "./errors";

/** Where requests go and which credentials they carry. */
export interface Transport {
  apiUrl: string;
  /** Bearer token (inside Saleor); undefined sends the session cookie (standalone). */
  token: () => string | undefined;
  /** True when the current token has expired: a refusal then means "refresh", not "forbidden". */
  tokenExpired: () => boolean;
  /** Waits for a fresh token (AppBridge refreshes it); resolves false when none comes. */
  awaitFreshToken: () => Promise<boolean>;
  /** The admin's language: the API answers its field errors and labels in it. */
  language?: () => string;
}

type GraphQLResponse<T> = {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
};

/** Per request: ``signal`` cancels it (a newer search replaces an older one). */
export interface RequestOptions {
  signal?: AbortSignal;
}

async function send<T>(transport: Transport, query: string, variables: unknown, signal?: AbortSignal) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  const token = transport.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  const language = transport.language?.();
  if (language) headers["Accept-Language"] = language;
  let response: Response;
  try {
    response = await fetch(transport.apiUrl, {
      method: "POST",
      headers,
      credentials: "same-origin",
      body: JSON.stringify({ query, variables: variables ?? {} }),
      signal,
    });
  } catch (error) {
    // A cancelled request is no failure: whoever cancelled it no longer wants the answer.
    if (signal?.aborted) throw error;
    throw new NetworkError(error instanceof Error ? error.message : String(error));
  }
  let body: GraphQLResponse<T>;
  try {
    body = (await response.json()) as GraphQLResponse<T>;
  } catch {
    throw new NetworkError(`The server answered ${response.status} without the API's JSON.`);
  }
  if (response.status >= 500) throw new NetworkError(`The server answered ${response.status}.`);
  return body;
}

export function createClient(transport: Transport) {
  async function request<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    ...[variables, options]: TVariables extends Record<string, never>
      ? [variables?: TVariables, options?: RequestOptions]
      : [variables: TVariables, options?: RequestOptions]
  ): Promise<TResult> {
    const query = document.toString();
    const signal = options?.signal;
    let body = await send<TResult>(transport, query, variables, signal);
    let error = body.errors?.[0];
    if (error?.extensions?.code === "PERMISSION_DENIED" && transport.tokenExpired()) {
      // The Dashboard refreshes its token shortly before expiry; a request can still race it.
      if (!(await transport.awaitFreshToken())) throw new AuthenticationError(error.message);
      body = await send<TResult>(transport, query, variables, signal);
      error = body.errors?.[0];
    }
    if (error) {
      const code = error.extensions?.code ?? "GRAPHQL_ERROR";
      if (code === "PERMISSION_DENIED") throw new PermissionError(error.message);
      throw new ApiError(error.message, code, error.extensions?.field);
    }
    if (body.data == null) throw new ApiError("The API answered without data.", "GRAPHQL_ERROR");
    return body.data;
  }
  return { request };
}

export type Client = ReturnType<typeof createClient>;
