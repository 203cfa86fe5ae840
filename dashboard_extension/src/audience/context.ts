// What the rule builder offers, from the API's registries and lists.
import type { RuleBuilderDefinitionsQuery } from "../gql/graphql";
import type { BuilderContext } from "./kindEditors";

/** The database id inside a Relay global id ("U2VnbWVudDoxMg==" → 12): segment rules name it. */
export function databaseId(globalId: string): number | null {
  try {
    const [, pk] = atob(globalId).split(":");
    return /^\d+$/.test(pk ?? "") ? Number(pk) : null;
  } catch {
    return null;
  }
}

/** A name in the admin's language, else English, else any, else the fallback. */
export function localized(names: unknown, locale: string, fallback: string): string {
  if (typeof names !== "object" || names === null) return fallback;
  const table = names as Record<string, unknown>;
  const found = table[locale] ?? table.en ?? Object.values(table)[0];
  return typeof found === "string" && found ? found : fallback;
}

export function builderContext(data: RuleBuilderDefinitionsQuery, locale: string, excludeSegmentId?: string): BuilderContext {
  return {
    kinds: data.ruleKinds.filter((kind) => kind.scope === "CONTACT"),
    fields: data.ruleFields,
    segments: (data.segments?.edges ?? []).flatMap((edge) => {
      const node = edge?.node;
      const pk = node ? databaseId(node.id) : null;
      return node && pk !== null && node.id !== excludeSegmentId ? [{ pk, name: node.name }] : [];
    }),
    topics: (data.newsletterTopics?.edges ?? []).flatMap((edge) =>
      edge?.node ? [{ slug: edge.node.slug, name: localized(edge.node.names, locale, edge.node.slug) }] : [],
    ),
    tags: data.interestGroups.map((group) => group.tag),
    eventTypes: data.ruleEventTypes,
  };
}
