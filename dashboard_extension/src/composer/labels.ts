// The names of block types and sources as the composer shows them.
import { defineMessages } from "react-intl";

export const blockTypeLabels = defineMessages({
  heading: { id: "composer.type.heading", defaultMessage: "Heading" },
  text: { id: "composer.type.text", defaultMessage: "Rich text" },
  image: { id: "composer.type.image", defaultMessage: "Image" },
  button: { id: "composer.type.button", defaultMessage: "Button" },
  divider: { id: "composer.type.divider", defaultMessage: "Divider" },
  product_picks: { id: "composer.type.productPicks", defaultMessage: "Product picks" },
  product_feed: { id: "composer.type.productFeed", defaultMessage: "Product feed" },
  content_feed: { id: "composer.type.contentFeed", defaultMessage: "Content feed" },
  voucher: { id: "composer.type.voucher", defaultMessage: "Personal voucher" },
  conditional: { id: "composer.type.conditional", defaultMessage: "Only for some contacts" },
});

export const sourceLabels = defineMessages({
  sku: { id: "composer.source.sku", defaultMessage: "Chosen products" },
  category: { id: "composer.source.category", defaultMessage: "Bestsellers of categories" },
  collection: { id: "composer.source.collection", defaultMessage: "A collection" },
  newest: { id: "composer.source.newest", defaultMessage: "Newest products" },
  bestsellers: { id: "composer.source.bestsellers", defaultMessage: "Bestsellers" },
  pages: { id: "composer.source.pages", defaultMessage: "Shop pages of a page type" },
  rss: { id: "composer.source.rss", defaultMessage: "RSS or Atom feed" },
});
