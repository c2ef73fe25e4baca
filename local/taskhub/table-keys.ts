// Instance and message ids as Azure Table keys, and values in OData filters.

/** Table keys may not hold / \\ # ? or control characters; ids are percent-encoded into keys. */
export function keyOf(id: string): string {
  let key = '';
  for (const c of id) {
    const code = c.charCodeAt(0);
    const forbidden = '%/\\#?'.includes(c) || code < 0x20 || (code >= 0x7f && code <= 0x9f);
    key += forbidden ? `%${code.toString(16).padStart(2, '0').toUpperCase()}` : c;
  }
  return key;
}

/** OData string literals double their quotes. */
export function escapeOData(value: string): string {
  return value.replaceAll("'", "''");
}

/** The id a key was made from. */
export function idOfKey(key: string): string {
  return decodeURIComponent(key);
}
