// The visual rule builder: groups matching all or any of their rules, nested, each rule or
// group negatable; every rule a criterion (a contact field or a kind of the rule language)
// with its operator and values. JSON in, JSON out; the server's errors show at the rule
// (and the part of it) they name.
import "./audience.css";

import { Box, Button, Text } from "@saleor/macaw-ui";
import { FolderPlus, Plus, Trash2 } from "lucide-react";
import { useEffect, useMemo, useRef, useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";

import { camelPath } from "../forms/SchemaForm";
import { labelOf } from "../i18n/labels";
import { type BuilderContext, editorFor, initialSpec } from "./kindEditors";
import { SelectField } from "./inputs";
import { fieldLabels, kindLabels } from "./labels";
import {
  appendTo,
  emptyGroup,
  errorsByNode,
  fromJson,
  type GroupNode,
  type LeafNode,
  newId,
  type Placed,
  place,
  relativeField,
  removeNode,
  type RuleError,
  type RuleNode,
  toJson,
  updateNode,
} from "./ruleTree";

/** Groups nest at most this deep (the API allows 8 levels, a negation counting as one). */
const MAX_GROUP_DEPTH = 4;
const STRUCTURAL_KINDS = new Set(["all", "any", "not"]);

interface Shared {
  context: BuilderContext;
  placed: Map<string, Placed>;
  errors: Map<string, RuleError[]>;
  update: (id: string, change: (node: RuleNode) => RuleNode) => void;
  remove: (id: string) => void;
  append: (groupId: string, child: RuleNode) => void;
}

function canonical(value: unknown): string {
  return JSON.stringify(toJson(fromJson(value)));
}

export function RuleBuilder({
  value,
  onChange,
  errors = [],
  context,
}: {
  value: unknown;
  /** ``structural``: rules were added or removed, so earlier errors no longer line up. */
  onChange: (value: unknown, structural: boolean) => void;
  errors?: RuleError[];
  context: BuilderContext;
}) {
  const [root, setRoot] = useState(() => fromJson(value));
  const emitted = useRef(canonical(value));
  useEffect(() => {
    // Rules replaced from outside (a preset, a reload) show up; our own edits do not loop back.
    if (canonical(value) === emitted.current) return;
    const tree = fromJson(value);
    emitted.current = JSON.stringify(toJson(tree));
    setRoot(tree);
  }, [value]);

  const commit = (next: GroupNode, structural: boolean) => {
    setRoot(next);
    const json = toJson(next);
    emitted.current = JSON.stringify(json);
    onChange(json, structural);
  };
  const placed = useMemo(() => new Map(place(root).map((item) => [item.node.id, item])), [root]);
  const byNode = useMemo(() => errorsByNode(root, errors), [root, errors]);
  const shared: Shared = {
    context,
    placed,
    errors: byNode,
    update: (id, change) => commit(updateNode(root, id, change), false),
    remove: (id) => commit(removeNode(root, id), true),
    append: (groupId, child) => commit(appendTo(root, groupId, child), true),
  };
  return <GroupView node={root} shared={shared} />;
}

function ErrorList({ errors }: { errors: string[] }) {
  if (!errors.length) return null;
  return (
    <Box display="flex" flexDirection="column" gap={1}>
      {errors.map((message) => (
        <Text key={message} size={2} color="critical1">
          {message}
        </Text>
      ))}
    </Box>
  );
}

function GroupView({ node, shared }: { node: GroupNode; shared: Shared }) {
  const intl = useIntl();
  const where = shared.placed.get(node.id)!;
  const isRoot = where.depth === 0;
  const groupDepth = where.label ? where.label.split(".").length : 0;
  const name = isRoot
    ? intl.formatMessage({ id: "audience.builder.rules", defaultMessage: "Rules" })
    : intl.formatMessage({ id: "audience.builder.group", defaultMessage: "Group {number}" }, { number: where.label });
  const own = (shared.errors.get(node.id) ?? []).map((error) => error.message);
  const connector =
    node.mode === "all"
      ? intl.formatMessage({ id: "audience.builder.and", defaultMessage: "and" })
      : intl.formatMessage({ id: "audience.builder.or", defaultMessage: "or" });
  const addRule = () => {
    // Consent first: it counts at once, and most marketing audiences start with it.
    const consent = shared.context.kinds.some((kind) => kind.key === "consent");
    const first = shared.context.fields[0];
    const start = initialSpec(consent || !first ? "kind:consent" : `field:${first.name}`, shared.context);
    shared.append(node.id, { id: newId(), type: "rule", negated: false, ...start });
  };

  return (
    <Box role="group" aria-label={name} className={isRoot ? "rule-group root" : "rule-group"} display="flex" flexDirection="column" gap={3}>
      <Box display="flex" gap={3} alignItems="flex-end" flexWrap="wrap" justifyContent="space-between">
        <SelectField
          label={
            isRoot
              ? intl.formatMessage({ id: "audience.builder.match", defaultMessage: "Contacts match" })
              : intl.formatMessage({ id: "audience.builder.groupMatch", defaultMessage: "Group {number} matches" }, { number: where.label })
          }
          value={node.mode}
          options={[
            { value: "all", label: intl.formatMessage({ id: "audience.builder.all", defaultMessage: "all of these rules" }) },
            { value: "any", label: intl.formatMessage({ id: "audience.builder.any", defaultMessage: "any of these rules" }) },
          ]}
          onChange={(mode) => shared.update(node.id, (current) => ({ ...current, mode: mode as GroupNode["mode"] }))}
        />
        {!isRoot && <NodeActions node={node} shared={shared} label={where.label} group />}
      </Box>
      <ErrorList errors={own} />
      {node.items.length === 0 ? (
        <Text size={2} color="default2">
          {isRoot ? (
            <FormattedMessage id="audience.builder.emptyRoot" defaultMessage="No rules yet: every contact matches." />
          ) : (
            <FormattedMessage id="audience.builder.emptyGroup" defaultMessage="Add at least one rule to this group." />
          )}
        </Text>
      ) : (
        <Box as="ol" margin={0} padding={0} display="flex" flexDirection="column" gap={2}>
          {node.items.map((item, index) => (
            <Box as="li" key={item.id} listStyleType="none" display="flex" flexDirection="column" gap={2}>
              {index > 0 && (
                <Text size={1} fontWeight="bold" color="default2" className="rule-connector" aria-hidden>
                  {connector}
                </Text>
              )}
              {item.type === "group" ? <GroupView node={item} shared={shared} /> : <RuleRow node={item} shared={shared} />}
            </Box>
          ))}
        </Box>
      )}
      <Box display="flex" gap={2} flexWrap="wrap">
        <Button type="button" variant="secondary" size="small" icon={<Plus size={16} aria-hidden />} onClick={addRule}>
          {isRoot ? (
            <FormattedMessage id="audience.builder.addRule" defaultMessage="Add rule" />
          ) : (
            <FormattedMessage id="audience.builder.addRuleTo" defaultMessage="Add rule to group {number}" values={{ number: where.label }} />
          )}
        </Button>
        {groupDepth < MAX_GROUP_DEPTH && (
          <Button type="button" variant="tertiary" size="small" icon={<FolderPlus size={16} aria-hidden />}
            onClick={() => shared.append(node.id, emptyGroup(node.mode === "all" ? "any" : "all"))}>
            {isRoot ? (
              <FormattedMessage id="audience.builder.addGroup" defaultMessage="Add group" />
            ) : (
              <FormattedMessage id="audience.builder.addGroupTo" defaultMessage="Add group to group {number}" values={{ number: where.label }} />
            )}
          </Button>
        )}
      </Box>
    </Box>
  );
}

function NodeActions({ node, shared, label, group = false }: { node: RuleNode; shared: Shared; label: string; group?: boolean }) {
  const intl = useIntl();
  return (
    <Box display="flex" gap={3} alignItems="center">
      <label className="check-label">
        <input type="checkbox" checked={node.negated}
          onChange={(event) => shared.update(node.id, (current) => ({ ...current, negated: event.target.checked }))} />
        <span>
          <FormattedMessage id="audience.builder.exclude" defaultMessage="Exclude" />
          <span className="visually-hidden">
            {" "}
            {group
              ? intl.formatMessage({ id: "audience.builder.groupName", defaultMessage: "group {number}" }, { number: label })
              : intl.formatMessage({ id: "audience.builder.ruleName", defaultMessage: "rule {number}" }, { number: label })}
          </span>
        </span>
      </label>
      <Button type="button" variant="tertiary" size="small" icon={<Trash2 size={16} aria-hidden />}
        aria-label={
          group
            ? intl.formatMessage({ id: "audience.builder.removeGroup", defaultMessage: "Remove group {number}" }, { number: label })
            : intl.formatMessage({ id: "audience.builder.removeRule", defaultMessage: "Remove rule {number}" }, { number: label })
        }
        onClick={() => shared.remove(node.id)} />
    </Box>
  );
}

function criterionOf(node: LeafNode): string {
  if (node.key === "field") {
    const field = (node.spec as { field?: unknown } | null)?.field;
    return `field:${typeof field === "string" ? field : ""}`;
  }
  return node.key === "" ? "raw" : `kind:${node.key}`;
}

function RuleRow({ node, shared }: { node: LeafNode; shared: Shared }) {
  const intl = useIntl();
  const where = shared.placed.get(node.id)!;
  const { context } = shared;
  const { editor: Editor, parts } = editorFor(node.key, context);
  const errors = (shared.errors.get(node.id) ?? []).map((error) => ({ part: relativeField(error, where), message: error.message }));
  const head = (part: string) => part.split(/[.[]/)[0];
  const errorAt = (part: string) => {
    const wanted = camelPath(part);
    const found = errors.filter((error) => head(error.part) === wanted).map((error) => error.message);
    return found.length ? found.join(" ") : undefined;
  };
  const shownParts = new Set(parts.map(camelPath));
  const rest = errors.filter((error) => !shownParts.has(head(error.part))).map((error) => error.message);

  const criterion = criterionOf(node);
  const fields = context.fields.map((field) => ({ value: `field:${field.name}`, label: labelOf(intl, fieldLabels, field.name) }));
  const kinds = context.kinds
    .filter((kind) => !STRUCTURAL_KINDS.has(kind.key) && kind.key !== "field")
    .map((kind) => ({ value: `kind:${kind.key}`, label: labelOf(intl, kindLabels, kind.key, kind.label) }));
  const known = [...fields, ...kinds].some((option) => option.value === criterion);
  const others = [
    ...(known || criterion === "raw" ? [] : [{ value: criterion, label: criterion.replace(/^\w+:/, "") }]),
    { value: "raw", label: intl.formatMessage({ id: "audience.builder.raw", defaultMessage: "Rule as JSON" }) },
  ];
  const name = intl.formatMessage({ id: "audience.builder.rule", defaultMessage: "Rule {number}" }, { number: where.label });

  return (
    <Box role="group" aria-label={name} className="rule-row" display="flex" flexDirection="column" gap={2}>
      <Box display="flex" gap={3} alignItems="flex-start" flexWrap="wrap">
        <SelectField
          label={intl.formatMessage({ id: "audience.builder.criterion", defaultMessage: "Criterion" })}
          value={criterion}
          error={errorAt("field")}
          groups={[
            { label: intl.formatMessage({ id: "audience.builder.contactFields", defaultMessage: "Contact fields" }), options: fields },
            { label: intl.formatMessage({ id: "audience.builder.otherRules", defaultMessage: "Behaviour and membership" }), options: [...kinds, ...others] },
          ]}
          onChange={(choice) => {
            const start = initialSpec(choice, context);
            shared.update(node.id, (current) => ({ ...current, ...start }));
          }}
        />
        <Editor
          kind={node.key}
          spec={node.spec}
          context={context}
          errorAt={errorAt}
          onChange={(spec) => shared.update(node.id, (current) => ({ ...current, spec }))}
        />
      </Box>
      <Box display="flex" justifyContent="space-between" alignItems="center" gap={2} flexWrap="wrap">
        <ErrorList errors={rest} />
        <Box marginLeft="auto">
          <NodeActions node={node} shared={shared} label={where.label} />
        </Box>
      </Box>
    </Box>
  );
}
