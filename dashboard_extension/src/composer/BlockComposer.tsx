// The content blocks of a newsletter or broadcast: added from a menu, moved up and down with
// buttons (keyboard and screen reader friendly: focus follows the moved block), removed, and
// configured by type. The server's errors appear at the block and field they name.
import "./composer.css";

import { Box, Button, Text } from "@saleor/macaw-ui";
import { ArrowDown, ArrowUp, Plus, Trash2 } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";

import { builderContext } from "../audience/context";
import { useApiQuery } from "../api/hooks";
import { RuleBuilderDefinitionsQuery } from "../api/segmentOperations";
import { labelOf } from "../i18n/labels";
import { BlockEditor, type EditorContext } from "./BlockEditor";
import { asBlocks, type Block, blockErrors, BLOCK_TYPES, type BlockType, countBlocks, MAX_BLOCKS, moved, newBlock, replaced, without } from "./blocks";
import { blockTypeLabels } from "./labels";

let counter = 0;
const nextKey = () => `block-${++counter}`;

/** Stable keys for the blocks of a list, kept in step with adds, moves and removals. */
function useKeys(length: number) {
  const keys = useRef<string[]>([]);
  while (keys.current.length < length) keys.current.push(nextKey());
  if (keys.current.length > length) keys.current = keys.current.slice(0, length);
  return keys;
}

export interface ComposerProps {
  value: unknown;
  onChange: (blocks: Block[]) => void;
  /** The API's errors, paths as the mutation names them (``steps[0].config.blocks[2].url``). */
  errors: { field?: string | null; message: string }[];
  voucherSteps: { key: string; name: string }[];
}

export function BlockComposer({ value, onChange, errors, voucherSteps }: ComposerProps) {
  const intl = useIntl();
  const blocks = asBlocks(value);
  const needsRules = blocks.some((block) => block.type === "conditional");
  const definitions = useApiQuery(RuleBuilderDefinitionsQuery, {}, { staleTime: 60_000, enabled: needsRules });
  const rules = definitions.data ? builderContext(definitions.data, intl.locale) : null;
  const context: Omit<EditorContext, "renderChildren"> = { voucherSteps, rules };
  return (
    <BlockList
      blocks={blocks}
      onChange={onChange}
      errors={errors}
      context={context}
      label={intl.formatMessage({ id: "composer.blocks", defaultMessage: "Content blocks" })}
      total={countBlocks(blocks)}
      nested={false}
    />
  );
}

function BlockList({
  blocks,
  onChange,
  errors,
  context,
  label,
  total,
  nested,
}: {
  blocks: Block[];
  onChange: (blocks: Block[]) => void;
  errors: { field?: string | null; message: string }[];
  context: Omit<EditorContext, "renderChildren">;
  label: string;
  total: number;
  nested: boolean;
}) {
  const intl = useIntl();
  const headingId = useId();
  const keys = useKeys(blocks.length);
  const [focus, setFocus] = useState<{ key: string; direction: "up" | "down" } | null>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement | null>());
  const [announcement, setAnnouncement] = useState("");
  const byBlock = blockErrors(errors);
  const full = total >= MAX_BLOCKS;

  useEffect(() => {
    if (!focus) return;
    // Focus stays on the moved block's button (or its other one, at the end of the list).
    const own = buttons.current.get(`${focus.key}-${focus.direction}`);
    const other = buttons.current.get(`${focus.key}-${focus.direction === "up" ? "down" : "up"}`);
    (own && !own.disabled ? own : other)?.focus();
    setFocus(null);
  }, [focus]);

  const name = (block: Block, index: number) =>
    intl.formatMessage(
      { id: "composer.blockName", defaultMessage: "Block {number}: {type}" },
      { number: index + 1, type: labelOf(intl, blockTypeLabels, block.type) },
    );
  const move = (index: number, direction: "up" | "down") => {
    const to = direction === "up" ? index - 1 : index + 1;
    keys.current = moved(keys.current, index, to);
    onChange(moved(blocks, index, to));
    setFocus({ key: keys.current[to], direction });
    setAnnouncement(
      intl.formatMessage(
        { id: "composer.movedTo", defaultMessage: "{type} moved to position {number} of {count}." },
        { type: labelOf(intl, blockTypeLabels, blocks[index].type), number: to + 1, count: blocks.length },
      ),
    );
  };
  const remove = (index: number) => {
    keys.current = without(keys.current, index);
    setAnnouncement(
      intl.formatMessage({ id: "composer.removed", defaultMessage: "{type} removed." }, { type: labelOf(intl, blockTypeLabels, blocks[index].type) }),
    );
    onChange(without(blocks, index));
  };
  const add = (type: BlockType) => {
    keys.current = [...keys.current, nextKey()];
    onChange([...blocks, newBlock(type)]);
    setAnnouncement(intl.formatMessage({ id: "composer.added", defaultMessage: "{type} added at the end." }, { type: labelOf(intl, blockTypeLabels, type) }));
  };
  const editorContext: EditorContext = {
    ...context,
    renderChildren: (children, change, childErrors) => (
      <BlockList
        blocks={children}
        onChange={change}
        errors={childErrors}
        context={context}
        label={intl.formatMessage({ id: "composer.conditional.list", defaultMessage: "Blocks for these contacts" })}
        total={total}
        nested
      />
    ),
  };

  return (
    <Box as="section" aria-labelledby={headingId} display="flex" flexDirection="column" gap={3}>
      <Text id={headingId} as="h3" size={nested ? 3 : 5} fontWeight="bold">
        {label}
      </Text>
      {byBlock.list.map((message) => (
        <Text key={message} size={2} color="critical1" role="alert">
          {message}
        </Text>
      ))}
      {blocks.length === 0 ? (
        <Text size={2} color="default2">
          {nested ? (
            <FormattedMessage id="composer.emptyNested" defaultMessage="Add the blocks these contacts see." />
          ) : (
            <FormattedMessage id="composer.empty" defaultMessage="No blocks yet: the template shows its own content. Add a heading, a text or products." />
          )}
        </Text>
      ) : (
        <Box as="ol" margin={0} padding={0} display="flex" flexDirection="column" gap={3}>
          {blocks.map((block, index) => {
            const key = keys.current[index];
            const own = byBlock.blocks.get(index) ?? {};
            const blockName = name(block, index);
            return (
              <Box as="li" key={key} listStyleType="none" className="composer-block" aria-label={blockName} data-block-type={block.type}>
                <Box display="flex" justifyContent="space-between" alignItems="center" gap={2} flexWrap="wrap">
                  <Text size={3} fontWeight="bold">
                    {index + 1}. {labelOf(intl, blockTypeLabels, block.type)}
                  </Text>
                  <Box display="flex" gap={1}>
                    <button
                      ref={(element) => {
                        buttons.current.set(`${key}-up`, element);
                      }}
                      type="button"
                      className="icon-button"
                      disabled={index === 0}
                      aria-label={intl.formatMessage({ id: "composer.moveUp", defaultMessage: "Move {name} up" }, { name: blockName })}
                      onClick={() => move(index, "up")}
                    >
                      <ArrowUp size={16} aria-hidden />
                    </button>
                    <button
                      ref={(element) => {
                        buttons.current.set(`${key}-down`, element);
                      }}
                      type="button"
                      className="icon-button"
                      disabled={index === blocks.length - 1}
                      aria-label={intl.formatMessage({ id: "composer.moveDown", defaultMessage: "Move {name} down" }, { name: blockName })}
                      onClick={() => move(index, "down")}
                    >
                      <ArrowDown size={16} aria-hidden />
                    </button>
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={intl.formatMessage({ id: "composer.remove", defaultMessage: "Remove {name}" }, { name: blockName })}
                      onClick={() => remove(index)}
                    >
                      <Trash2 size={16} aria-hidden />
                    </button>
                  </Box>
                </Box>
                {own[""] && block.type !== "voucher" && (
                  <Text size={2} color="critical1" role="alert">
                    {own[""]}
                  </Text>
                )}
                <Box display="flex" flexDirection="column" gap={3}>
                  <BlockEditor block={block} onChange={(next) => onChange(replaced(blocks, index, next))} errors={own} context={editorContext} />
                </Box>
              </Box>
            );
          })}
        </Box>
      )}
      <AddMenu nested={nested} disabled={full} onAdd={add} />
      {full && (
        <Text size={2} color="default2">
          <FormattedMessage id="composer.full" defaultMessage="A message holds at most {max} blocks." values={{ max: MAX_BLOCKS }} />
        </Text>
      )}
      <span className="visually-hidden" aria-live="polite">
        {announcement}
      </span>
    </Box>
  );
}

function AddMenu({ nested, disabled, onAdd }: { nested: boolean; disabled: boolean; onAdd: (type: BlockType) => void }) {
  const intl = useIntl();
  const id = useId();
  const types = BLOCK_TYPES.filter((type) => !nested || type !== "conditional");
  const [type, setType] = useState<BlockType>("heading");
  return (
    <Box display="flex" gap={2} alignItems="flex-end" flexWrap="wrap">
      <Box display="flex" flexDirection="column" gap={1}>
        <label htmlFor={id} className="field-label">
          {nested
            ? intl.formatMessage({ id: "composer.addTypeNested", defaultMessage: "Block to add for these contacts" })
            : intl.formatMessage({ id: "composer.addType", defaultMessage: "Block to add" })}
        </label>
        <select id={id} className="native-select" value={type} disabled={disabled} onChange={(event) => setType(event.target.value as BlockType)}>
          {types.map((item) => (
            <option key={item} value={item}>
              {labelOf(intl, blockTypeLabels, item)}
            </option>
          ))}
        </select>
      </Box>
      <Button type="button" variant="secondary" size="small" icon={<Plus size={16} aria-hidden />} disabled={disabled} onClick={() => onAdd(type)}>
        {nested ? (
          <FormattedMessage id="composer.addNested" defaultMessage="Add to this group" />
        ) : (
          <FormattedMessage id="composer.add" defaultMessage="Add block" />
        )}
      </Button>
    </Box>
  );
}
