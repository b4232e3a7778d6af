import { Schema, type Connection, type Model } from 'mongoose';

/** One user blocking another, in the `blocks` collection. `_id` is "<blockerId>:<blockedId>". */
export interface BlockDoc {
  _id: string;
  blockerId: string;
  blockedId: string;
  createdAt: string;
}

const blockSchema = new Schema<BlockDoc>(
  {
    _id: { type: String, required: true },
    blockerId: { type: String, required: true },
    blockedId: { type: String, required: true },
    createdAt: { type: String, required: true },
  },
  { versionKey: false, id: false },
);

blockSchema.index({ blockerId: 1, blockedId: 1 }, { name: 'blocks_blockerId_blockedId', unique: true });
// Removing a deleted user's blocks from both sides.
blockSchema.index({ blockedId: 1 }, { name: 'blocks_blockedId' });

export function blockModel(connection: Connection): Model<BlockDoc> {
  return connection.model<BlockDoc>('Block', blockSchema, 'blocks');
}

export function blockIdOf(blockerId: string, blockedId: string): string {
  return `${blockerId}:${blockedId}`;
}
