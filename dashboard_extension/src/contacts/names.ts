// Small helpers the contact pages share.

/** Tags as typed ("vip, coffee"): trimmed, without empties and repeats. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(",").map((tag) => tag.trim()).filter(Boolean))];
}

/** First and last name, as far as known; empty when neither is. */
export function fullName(contact: { firstName: string; lastName: string }): string {
  return [contact.firstName, contact.lastName].filter(Boolean).join(" ");
}
