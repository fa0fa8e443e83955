/**
 * Messages for product ids that differ from another only by surrounding whitespace or Unicode
 * (NFC) normalisation: one per extra id of a group, in the order of `ids` (sorted by the caller).
 * The ids are kept apart as written; the messages only say so.
 */
export function similarIdMessages(ids: readonly string[]): string[] {
  const groups = new Map<string, string[]>();
  for (const id of ids) {
    const key = id.trim().normalize('NFC');
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [id]);
    else group.push(id);
  }
  const messages: string[] = [];
  for (const [a, ...rest] of groups.values()) {
    for (const b of rest) {
      messages.push(
        `product ids ${JSON.stringify(a)} and ${JSON.stringify(b)} differ only by surrounding ` +
          'whitespace or Unicode normalisation; they are kept apart as written (each is its own ' +
          'DynamoDB item): fix the ids upstream if they are the same product',
      );
    }
  }
  return messages;
}
