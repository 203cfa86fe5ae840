// React Query bound to the session's client: typed queries and mutations.
import { useMutation, useQuery, type UseQueryOptions } from "@tanstack/react-query";

import { useSession } from "../auth/Session";
import type { TypedDocumentString } from "../gql/graphql";

export function useApiQuery<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  options: Omit<UseQueryOptions<TResult>, "queryKey" | "queryFn"> = {},
) {
  const { client } = useSession();
  return useQuery<TResult>({
    queryKey: [operationName(document), variables],
    queryFn: () => (client.request as (d: unknown, v: unknown) => Promise<TResult>)(document, variables),
    ...options,
  });
}

export function useApiMutation<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
) {
  const { client } = useSession();
  return useMutation<TResult, Error, TVariables>({
    mutationFn: (variables) =>
      (client.request as (d: unknown, v: unknown) => Promise<TResult>)(document, variables),
  });
}

/** The operation's name, the first part of its cache key. */
export function operationName(document: { toString(): string }): string {
  return /(?:query|mutation)\s+(\w+)/.exec(document.toString())?.[1] ?? "operation";
}
