import { Schema, type Connection, type Model } from 'mongoose';

/**
 * The postings of one message in the message search index, in the `search_postings` collection:
 * `_id` is the message's id, `c` its chat, `s` its seq, and `t` every distinct trigram (three
 * code points of the normalised body, storage/search-text.ts) it holds. FerretDB 1.x has no text
 * indexes and does not push `$regex` down, so search looks messages up by their trigrams within
 * the caller's chats instead (`t: {$all: [...]}`, `c: {$in: [...]}`).
 *
 * One document per message, not one per trigram: a message costs the store one more document
 * rather than twenty to eighty, and a search that FerretDB answers by reading the collection
 * reads one document per message. On MongoDB the (t, c) index is multikey, one key per trigram.
 */
export interface SearchPostingDoc {
  _id: string;
  c: string;
  s: number;
  t: string[];
}

const searchPostingSchema = new Schema<SearchPostingDoc>(
  {
    _id: { type: String, required: true },
    c: { type: String, required: true },
    s: { type: Number, required: true },
    t: { type: [String], required: true },
  },
  { versionKey: false, id: false },
);

// The messages holding a trigram within the caller's chats.
searchPostingSchema.index({ t: 1, c: 1 }, { name: 'search_postings_t_c' });
// A chat's postings by seq, removed when the messages are erased.
searchPostingSchema.index({ c: 1, s: 1 }, { name: 'search_postings_c_s' });

export function searchPostingModel(connection: Connection): Model<SearchPostingDoc> {
  return connection.model<SearchPostingDoc>('SearchPosting', searchPostingSchema, 'search_postings');
}

/** The collection of an earlier layout (one document per trigram), dropped at start-up: see dropLegacySearchTerms. */
export const LEGACY_SEARCH_TERMS = 'search_terms';
