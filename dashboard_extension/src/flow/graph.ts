// A campaign's steps as a graph: who follows whom, and where each step is drawn.
// Branches and A/B arms sit side by side below the step that forks.

export interface FlowStep {
  key: string;
  type: string;
  name: string;
  config: unknown;
  nextKey: string;
}

export interface FlowEdge {
  source: string;
  target: string;
  /** "yes"/"no" for branches, the variant name for splits; empty for the default path. */
  label: string;
  kind: "next" | "then" | "else" | "variant";
  /** A/B weight in percent, when the edge is a variant. */
  share?: number;
}

type Json = Record<string, unknown>;

export function edgesOf(steps: FlowStep[]): FlowEdge[] {
  const keys = new Set(steps.map((step) => step.key));
  const edges: FlowEdge[] = [];
  for (const step of steps) {
    const config = (step.config ?? {}) as Json;
    if (step.type === "BRANCH") {
      if (typeof config.then === "string") edges.push({ source: step.key, target: config.then, label: "yes", kind: "then" });
      if (typeof config.else === "string") edges.push({ source: step.key, target: config.else, label: "no", kind: "else" });
    } else if (step.type === "SPLIT") {
      const variants = Array.isArray(config.variants) ? (config.variants as Json[]) : [];
      const total = variants.reduce((sum, variant) => sum + Number(variant.weight ?? 1), 0) || 1;
      for (const variant of variants) {
        if (typeof variant.next === "string") {
          edges.push({
            source: step.key,
            target: variant.next,
            label: String(variant.name ?? ""),
            kind: "variant",
            share: Math.round((Number(variant.weight ?? 1) / total) * 100),
          });
        }
      }
    } else if (step.nextKey) {
      edges.push({ source: step.key, target: step.nextKey, label: "", kind: "next" });
    }
  }
  return edges.filter((edge) => keys.has(edge.target));
}

export interface Placed {
  key: string;
  x: number;
  y: number;
  depth: number;
}

export const NODE_WIDTH = 240;
export const NODE_HEIGHT = 84;
const GAP_X = 40;
const GAP_Y = 56;

/** Positions: layers by longest path from the entry, arms spread left to right in order. */
export function layout(steps: FlowStep[], entryKey: string): Placed[] {
  if (steps.length === 0) return [];
  const edges = edgesOf(steps);
  const children = new Map<string, string[]>();
  for (const edge of edges) children.set(edge.source, [...(children.get(edge.source) ?? []), edge.target]);
  const entry = steps.some((step) => step.key === entryKey) ? entryKey : steps[0].key;

  // Longest-path depth over the reachable part (validated flows have no cycles; a visit
  // count guards against one all the same).
  const depth = new Map<string, number>([[entry, 0]]);
  const queue = [entry];
  let visits = 0;
  while (queue.length && visits < steps.length * steps.length + 10) {
    visits += 1;
    const key = queue.shift()!;
    for (const child of children.get(key) ?? []) {
      const candidate = depth.get(key)! + 1;
      if ((depth.get(child) ?? -1) < candidate) {
        depth.set(child, candidate);
        queue.push(child);
      }
    }
  }
  let maxDepth = Math.max(...depth.values());
  for (const step of steps) {
    if (!depth.has(step.key)) depth.set(step.key, ++maxDepth); // unreachable: listed below
  }

  // Desired column: a child sits under its first parent, arms spread around it.
  const desired = new Map<string, number>([[entry, 0]]);
  const order = [...steps].sort((a, b) => depth.get(a.key)! - depth.get(b.key)!);
  for (const step of order) {
    if (!desired.has(step.key)) desired.set(step.key, 0);
    const arms = [...new Set(children.get(step.key) ?? [])];
    arms.forEach((child, index) => {
      if (!desired.has(child) && depth.get(child)! > depth.get(step.key)!) {
        desired.set(child, desired.get(step.key)! + (index - (arms.length - 1) / 2));
      }
    });
  }

  // Within a layer, keep the desired order and push overlapping nodes apart.
  const layers = new Map<number, string[]>();
  for (const step of steps) layers.set(depth.get(step.key)!, [...(layers.get(depth.get(step.key)!) ?? []), step.key]);
  const placed: Placed[] = [];
  for (const [level, keys] of layers) {
    const sorted = keys.sort((a, b) => desired.get(a)! - desired.get(b)!);
    const columns: number[] = [];
    for (const key of sorted) {
      const want = desired.get(key)!;
      columns.push(columns.length ? Math.max(want, columns[columns.length - 1] + 1) : want);
    }
    const shift = (columns.reduce((sum, column) => sum + column, 0) - sorted.reduce((sum, key) => sum + desired.get(key)!, 0)) / sorted.length;
    sorted.forEach((key, index) => {
      placed.push({
        key,
        depth: level,
        x: (columns[index] - shift) * (NODE_WIDTH + GAP_X),
        y: level * (NODE_HEIGHT + GAP_Y),
      });
    });
  }
  return placed;
}
