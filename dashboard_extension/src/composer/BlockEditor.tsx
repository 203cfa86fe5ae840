// One block's inputs, by type. Each edits the block's JSON as the send step stores it and
// shows the server's errors at the field they name (``errors`` by relative path).
import { Box, Text } from "@saleor/macaw-ui";
import type { ReactNode } from "react";
import { FormattedMessage, useIntl } from "react-intl";

import { SelectField } from "../audience/inputs";
import { Input } from "../components/Input";
import type { BuilderContext } from "../audience/kindEditors";
import { RuleBuilder } from "../audience/RuleBuilder";
import type { CatalogueLookupKindEnum } from "../gql/graphql";
import { labelOf } from "../i18n/labels";
import { asBlocks, type Block, feedUrl, webUrl } from "./blocks";
import { CataloguePicker } from "./CataloguePicker";
import { EmptyNote, FieldError, Hint, LimitField, LocalizedField, UrlField } from "./fields";
import { sourceLabels } from "./labels";

export interface EditorContext {
  /** Voucher steps of the campaign, by key and name: where a voucher block's code comes from. */
  voucherSteps: { key: string; name: string }[];
  /** The rule builder's lists; null while they load. */
  rules: BuilderContext | null;
  /** Draws a conditional block's own blocks (a composer of its own). */
  renderChildren: (blocks: Block[], onChange: (blocks: Block[]) => void, errors: { field: string; message: string }[]) => ReactNode;
}

const PICK_KINDS: Record<string, CatalogueLookupKindEnum> = { sku: "PRODUCT", category: "CATEGORY", collection: "COLLECTION" };

export function BlockEditor({
  block,
  onChange,
  errors,
  context,
}: {
  block: Block;
  onChange: (block: Block) => void;
  errors: Record<string, string>;
  context: EditorContext;
}) {
  const intl = useIntl();
  const set = (name: string, value: unknown) => {
    const next = { ...block };
    if (value === undefined || value === "") delete next[name];
    else next[name] = value;
    onChange(next);
  };
  const sourceSelect = (choices: string[]) => (
    <SelectField
      label={intl.formatMessage({ id: "composer.source", defaultMessage: "Source" })}
      value={String(block.source ?? "")}
      options={choices.map((choice) => ({ value: choice, label: labelOf(intl, sourceLabels, choice) }))}
      error={errors.source}
      onChange={(source) => {
        // Another source names other things: what was picked for the old one does not carry over.
        const { values: _values, collection: _collection, page_type: _pageType, url: _url, ...rest } = block;
        onChange({ ...rest, source });
      }}
    />
  );
  const title = (
    <LocalizedField label={intl.formatMessage({ id: "composer.title", defaultMessage: "Title over the block (optional)" })} value={block.title} error={errors.title} onChange={(value) => set("title", value)} />
  );

  switch (block.type) {
    case "heading":
      return <LocalizedField label={intl.formatMessage({ id: "composer.heading.text", defaultMessage: "Heading" })} value={block.text} error={errors.text} onChange={(value) => set("text", value)} />;
    case "text":
      return (
        <LocalizedField
          multiline
          label={intl.formatMessage({ id: "composer.text.html", defaultMessage: "Text" })}
          help={intl.formatMessage({ id: "composer.text.help", defaultMessage: "HTML: paragraphs, bold, italics, lists and https or mailto links. Anything else is removed." })}
          value={block.html}
          error={errors.html}
          onChange={(value) => set("html", value)}
        />
      );
    case "image":
      return (
        <>
          <UrlField label={intl.formatMessage({ id: "composer.image.url", defaultMessage: "Picture (https URL)" })} value={block.url} error={errors.url} schema={webUrl}
            invalidMessage={intl.formatMessage({ id: "composer.url.https", defaultMessage: "Enter an absolute https URL." })} onChange={(value) => set("url", value)} />
          <LocalizedField label={intl.formatMessage({ id: "composer.image.alt", defaultMessage: "Description for readers who cannot see it" })} value={block.alt} error={errors.alt} onChange={(value) => set("alt", value)} />
          <UrlField label={intl.formatMessage({ id: "composer.image.link", defaultMessage: "Link (optional)" })} value={block.link} error={errors.link} schema={webUrl}
            invalidMessage={intl.formatMessage({ id: "composer.url.https", defaultMessage: "Enter an absolute https URL." })} onChange={(value) => set("link", value)} />
        </>
      );
    case "button":
      return (
        <>
          <LocalizedField label={intl.formatMessage({ id: "composer.button.label", defaultMessage: "Label" })} value={block.label} error={errors.label} onChange={(value) => set("label", value)} />
          <UrlField label={intl.formatMessage({ id: "composer.button.url", defaultMessage: "Link (https URL)" })} value={block.url} error={errors.url} schema={webUrl}
            invalidMessage={intl.formatMessage({ id: "composer.url.https", defaultMessage: "Enter an absolute https URL." })} onChange={(value) => set("url", value)} />
        </>
      );
    case "divider":
      return <EmptyNote />;
    case "product_picks": {
      const source = String(block.source ?? "sku");
      const values = Array.isArray(block.values) ? block.values.map(String) : [];
      return (
        <>
          {sourceSelect(["sku", "category", "collection"])}
          <CataloguePicker
            key={source}
            kind={PICK_KINDS[source] ?? "PRODUCT"}
            label={
              source === "category"
                ? intl.formatMessage({ id: "composer.picks.categories", defaultMessage: "Categories" })
                : source === "collection"
                  ? intl.formatMessage({ id: "composer.picks.collections", defaultMessage: "Collections" })
                  : intl.formatMessage({ id: "composer.picks.products", defaultMessage: "Products, in this order" })
            }
            values={values}
            error={errors.values}
            onChange={(next) => set("values", next)}
          />
          <LimitField value={block.limit} error={errors.limit} onChange={(value) => set("limit", value)} />
          {title}
        </>
      );
    }
    case "product_feed": {
      const source = String(block.source ?? "bestsellers");
      return (
        <>
          {sourceSelect(["newest", "bestsellers", "collection"])}
          {source === "collection" && (
            <CataloguePicker
              single
              kind="COLLECTION"
              label={intl.formatMessage({ id: "composer.feed.collection", defaultMessage: "Collection" })}
              values={typeof block.collection === "string" && block.collection ? [block.collection] : []}
              error={errors.collection}
              onChange={(next) => set("collection", next[0])}
            />
          )}
          <Hint>
            <FormattedMessage id="composer.feed.stock" defaultMessage="Only products in stock are shown, as the shop has them when the mail is sent." />
          </Hint>
          <LimitField value={block.limit} error={errors.limit} onChange={(value) => set("limit", value)} />
          {title}
        </>
      );
    }
    case "content_feed": {
      const source = String(block.source ?? "rss");
      return (
        <>
          {sourceSelect(["rss", "pages"])}
          {source === "pages" ? (
            <PageTypeField value={block.page_type} error={errors.pageType} onChange={(value) => set("page_type", value)} />
          ) : (
            <UrlField
              label={intl.formatMessage({ id: "composer.feed.url", defaultMessage: "Feed address" })}
              value={block.url}
              error={errors.url}
              schema={feedUrl}
              invalidMessage={intl.formatMessage({ id: "composer.feed.invalid", defaultMessage: "Enter the feed's full address, such as https://blog.example.com/feed." })}
              help={intl.formatMessage({ id: "composer.feed.help", defaultMessage: "Read at most every 30 minutes, never for each reader; a feed that is down leaves the block out." })}
              onChange={(value) => set("url", value)}
            />
          )}
          <LimitField value={block.limit} error={errors.limit} onChange={(value) => set("limit", value)} />
          {title}
        </>
      );
    }
    case "voucher":
      return (
        <>
          <VoucherSource steps={context.voucherSteps} error={errors[""]} />
          <LocalizedField label={intl.formatMessage({ id: "composer.voucher.title", defaultMessage: "Title (optional)" })} value={block.title} error={errors.title} onChange={(value) => set("title", value)} />
          <LocalizedField multiline label={intl.formatMessage({ id: "composer.voucher.text", defaultMessage: "Text (optional)" })} value={block.text} error={errors.text} onChange={(value) => set("text", value)} />
        </>
      );
    case "conditional":
      return <ConditionalEditor block={block} onChange={onChange} errors={errors} context={context} />;
    default:
      return (
        <Text size={2} color="default2">
          <FormattedMessage id="composer.unknown" defaultMessage="This block type cannot be edited here; it is kept as it is." />
        </Text>
      );
  }
}

function PageTypeField({ value, error, onChange }: { value: unknown; error?: string; onChange: (value: string) => void }) {
  const intl = useIntl();
  return (
    <Input
      size="small"
      label={intl.formatMessage({ id: "composer.feed.pageType", defaultMessage: "Page type (slug, e.g. blog)" })}
      value={typeof value === "string" ? value : ""}
      error={Boolean(error)}
      helperText={error}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}

function VoucherSource({ steps, error }: { steps: { key: string; name: string }[]; error?: string }) {
  return (
    <Box display="flex" flexDirection="column" gap={1}>
      {steps.length ? (
        <Hint>
          <FormattedMessage
            id="composer.voucher.from"
            defaultMessage="Each reader's own code, from the voucher step {steps}. Previews and tests show an example code."
            values={{ steps: steps.map((step) => `“${step.name || step.key}”`).join(", ") }}
          />
        </Hint>
      ) : (
        <Text size={2} color="warning1">
          <FormattedMessage id="composer.voucher.none" defaultMessage="Add a voucher step before this step: it makes each reader's code." />
        </Text>
      )}
      <FieldError message={error} />
    </Box>
  );
}

function ConditionalEditor({ block, onChange, errors, context }: { block: Block; onChange: (block: Block) => void; errors: Record<string, string>; context: EditorContext }) {
  const ruleErrors = Object.entries(errors)
    .filter(([field]) => field === "rule" || field.startsWith("rule.") || field.startsWith("rule["))
    .map(([field, message]) => ({ field: field.replace(/^rule/, "rules"), message }));
  const childErrors = Object.entries(errors)
    .filter(([field]) => field === "blocks" || field.startsWith("blocks["))
    .map(([field, message]) => ({ field, message }));
  return (
    <>
      <Box display="flex" flexDirection="column" gap={2}>
        <Text size={2} color="default2">
          <FormattedMessage id="composer.conditional.rule" defaultMessage="Shown to contacts who match" />
        </Text>
        {context.rules ? (
          <RuleBuilder value={block.rule ?? {}} context={context.rules} errors={ruleErrors} onChange={(rule) => onChange({ ...block, rule })} />
        ) : (
          <Hint>
            <FormattedMessage id="composer.conditional.loading" defaultMessage="Loading the rule builder…" />
          </Hint>
        )}
      </Box>
      <Box display="flex" flexDirection="column" gap={2}>
        <Text size={2} color="default2">
          <FormattedMessage id="composer.conditional.blocks" defaultMessage="The blocks they see" />
        </Text>
        {context.renderChildren(asBlocks(block.blocks), (blocks) => onChange({ ...block, blocks }), childErrors)}
      </Box>
    </>
  );
}
