import { Schema, type Connection, type Model } from 'mongoose';

/**
 * How far a chat's messages are known to be in the search index, in the `search_marks`
 * collection (`_id` is the chat id): every message with a seq up to `seq` is indexed, and
 * every edit and delete up to the change position `changeSeq` is applied to the index. A chat
 * without a mark (stored before search existed) has nothing indexed yet. See MongoSearchIndex.
 */
export interface SearchMarkDoc {
  _id: string;
  seq: number;
  changeSeq: number;
}

const searchMarkSchema = new Schema<SearchMarkDoc>(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    changeSeq: { type: Number, required: true },
  },
  { versionKey: false, id: false },
);

export function searchMarkModel(connection: Connection): Model<SearchMarkDoc> {
  return connection.model<SearchMarkDoc>('SearchMark', searchMarkSchema, 'search_marks');
}
