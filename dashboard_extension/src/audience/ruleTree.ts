// The rule language's JSON tree as the builder edits it: groups ("all"/"any") of rules, any
// of them negated ("not"), each node with a stable id for React and a path the API's errors
// name ("rules.all[1].any[0].value"). JSON in, the same JSON out: nothing is lost on the way.
import { ApiError } from "../api/errors";
import { camelPath } from "../forms/SchemaForm";

export type GroupMode = "all" | "any";

export interface GroupNode {
  id: string;
  type: "group";
  mode: GroupMode;
  negated: boolean;
  items: RuleNode[];
}

export interface LeafNode {
  id: string;
  type: "rule";
  negated: boolean;
  /** The kind's key ("tag", "event", ...); "field" for field rules; "" for JSON the builder cannot read. */
  key: string;
  /** The kind's value: ``{"tag": spec}``; a field rule's whole object ``{field, op, value}``. */
  spec: unknown;
}

export type RuleNode = GroupNode | LeafNode;

/** A rule the API can answer with: the field it names, camelCased as mutations name them. */
export interface RuleError {
  field: string;
  message: string;
}

let counter = 0;
export function newId(): string {
  counter += 1;
  return `rule-${counter}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function emptyGroup(mode: GroupMode = "all"): GroupNode {
  return { id: newId(), type: "group", mode, negated: false, items: [] };
}

function nodeFromJson(value: unknown, negated = false): RuleNode {
  if (isObject(value)) {
    if ("field" in value) return { id: newId(), type: "rule", negated, key: "field", spec: value };
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [key] = keys;
      const spec = value[key];
      if ((key === "all" || key === "any") && Array.isArray(spec)) {
        return { id: newId(), type: "group", mode: key, negated, items: spec.map((item) => nodeFromJson(item)) };
      }
      if (key === "not") return nodeFromJson(spec, !negated);
      return { id: newId(), type: "rule", negated, key, spec };
    }
  }
  return { id: newId(), type: "rule", negated, key: "", spec: value };
}

/** The tree of a stored rule; the root is always a group (``{}`` is an empty "all"). */
export function fromJson(value: unknown): GroupNode {
  if (value === undefined || value === null || (isObject(value) && Object.keys(value).length === 0)) {
    return emptyGroup();
  }
  const node = nodeFromJson(value);
  if (node.type === "group" && !node.negated) return node;
  return { ...emptyGroup(), items: [node] };
}

export function toJson(node: RuleNode): unknown {
  let inner: unknown;
  if (node.type === "group") inner = { [node.mode]: node.items.map(toJson) };
  else if (node.key === "field" || node.key === "") inner = node.spec;
  else inner = { [node.key]: node.spec };
  return node.negated ? { not: inner } : inner;
}

/** Where a node sits in the JSON (``rules.all[1]``), and where its own content starts. */
export interface Placed {
  node: RuleNode;
  /** Position for people: "1", "2.1". */
  label: string;
  depth: number;
  path: string;
  /** Inside ``not`` when negated; for a rule of a kind, the kind's key too (``.tag``). */
  contentPath: string;
}

export function contentPath(node: RuleNode, path: string): string {
  const inner = node.negated ? `${path}.not` : path;
  if (node.type === "group") return `${inner}.${node.mode}`;
  return node.key === "field" || node.key === "" ? inner : `${inner}.${node.key}`;
}

/** Every node with its path, depth first (the root is "rules"). */
export function place(root: GroupNode, rootPath = "rules"): Placed[] {
  const placed: Placed[] = [];
  const visit = (node: RuleNode, path: string, label: string, depth: number) => {
    placed.push({ node, label, depth, path, contentPath: contentPath(node, path) });
    if (node.type === "group") {
      const base = contentPath(node, path);
      node.items.forEach((item, index) =>
        visit(item, `${base}[${index}]`, label ? `${label}.${index + 1}` : String(index + 1), depth + 1),
      );
    }
  };
  visit(root, rootPath, "", 0);
  return placed;
}

function within(field: string, path: string): boolean {
  return field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`);
}

/**
 * The errors of each node, by id: an error belongs to the deepest node whose path holds its
 * field. Paths are compared camelCased: mutations camelCase them, previews do not.
 */
export function errorsByNode(root: GroupNode, errors: RuleError[], rootPath = "rules"): Map<string, RuleError[]> {
  const placed = place(root, rootPath).map((item) => ({ ...item, camel: camelPath(item.path) }));
  const found = new Map<string, RuleError[]>();
  for (const error of errors) {
    const field = camelPath(error.field);
    let owner: (typeof placed)[number] | undefined;
    for (const item of placed) {
      if (within(field, item.camel) && (!owner || item.camel.length > owner.camel.length)) owner = item;
    }
    const id = (owner ?? placed[0]).node.id;
    found.set(id, [...(found.get(id) ?? []), { field, message: error.message }]);
  }
  return found;
}

/** A rule's error below its content: ``.value``, ``.value[0]``, ``.channel``; "" for the whole. */
export function relativeField(error: RuleError, placed: Pick<Placed, "path" | "contentPath">): string {
  const content = camelPath(placed.contentPath);
  if (within(error.field, content)) return error.field.slice(content.length).replace(/^\./, "");
  return "";
}

/** The preview's refusal of a rule (its sentence, and the rule's path beside it) as a rule error. */
export function previewError(error: unknown): RuleError | null {
  if (!(error instanceof ApiError) || !error.field || !/^rules(?:[.[]|$)/.test(error.field)) return null;
  return { field: camelPath(error.field), message: error.message };
}

// Edits, each returning a new tree.

export function updateNode(root: GroupNode, id: string, change: (node: RuleNode) => RuleNode): GroupNode {
  const visit = (node: RuleNode): RuleNode => {
    if (node.id === id) return change(node);
    if (node.type === "group") return { ...node, items: node.items.map(visit) };
    return node;
  };
  return visit(root) as GroupNode;
}

export function removeNode(root: GroupNode, id: string): GroupNode {
  const visit = (node: RuleNode): RuleNode =>
    node.type === "group" ? { ...node, items: node.items.filter((item) => item.id !== id).map(visit) } : node;
  return visit(root) as GroupNode;
}

export function appendTo(root: GroupNode, groupId: string, child: RuleNode): GroupNode {
  return updateNode(root, groupId, (node) => (node.type === "group" ? { ...node, items: [...node.items, child] } : node));
}
