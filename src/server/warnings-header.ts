/**
 * The `x-switchyard-warnings` value: warnings separated by `; `, so a `;` inside one becomes `,` and the
 * list splits back exactly; printable ASCII only, as a header value must be.
 */
export function encodeWarnings(warnings: readonly string[]): string {
  return warnings
    .map((warning) => warning.replaceAll(';', ','))
    .join('; ')
    .replace(/[^\x20-\x7e]/g, '?');
}
