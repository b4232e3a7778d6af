import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One posting of the message search index, in the `search_terms` collection: the trigram `t`
 * (three code points of the normalised body, storage/search-text.ts) occurs in the message `m`,
 * which is `s` in chat `c`. `_id` is "<chatId>:<seq>:<trigram>", so writing a posting twice
 * (a retry, a catch-up racing the writer) stores it once. FerretDB 1.x has no text indexes and
 * does not push `$regex` down, so search looks postings up by equality on (t, c) instead.
 */
export interface SearchTermDoc {
  _id: string;
  t: string;
  c: string;
  s: number;
  m: string;
}

const searchTermSchema = new Schema<SearchTermDoc>(
  {
    _id: { type: String, required: true },
    t: { type: String, required: true },
    c: { type: String, required: true },
    s: { type: Number, required: true },
    m: { type: String, required: true },
  },
  { versionKey: false, id: false },
);

// A term's postings within the caller's chats.
searchTermSchema.index({ t: 1, c: 1, s: 1 }, { name: 'search_terms_t_c_s' });
// A message's postings, replaced when it is edited and removed when it is deleted.
searchTermSchema.index({ c: 1, s: 1 }, { name: 'search_terms_c_s' });

export function searchTermModel(connection: Connection): Model<SearchTermDoc> {
  return connection.model<SearchTermDoc>('SearchTerm', searchTermSchema, 'search_terms');
}

export function postingIdOf(chatId: string, seq: number, trigram: string): string {
  return `${chatId}:${seq}:${trigram}`;
}
