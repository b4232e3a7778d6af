import { NotFoundError } from '../errors.js';
import type { BlockStore } from '../storage.js';
import { blockIdOf, type BlockDoc } from './block-model.js';
import { isDuplicateKeyError, translateMongoError, withMongoErrors } from './mongo-errors.js';
import type { MongoModels } from './mongo-models.js';

export class MongoBlockStore implements BlockStore {
  constructor(private readonly models: MongoModels) {}

  async block(blockerId: string, blockedId: string): Promise<void> {
    const found = await withMongoErrors(() => this.models.users.countDocuments({ _id: { $in: [blockerId, blockedId] } }));
    if (found !== new Set([blockerId, blockedId]).size) throw new NotFoundError('user', `${blockerId},${blockedId}`);
    try {
      await this.models.blocks.updateOne(
        { _id: blockIdOf(blockerId, blockedId) },
        { $setOnInsert: { blockerId, blockedId, createdAt: new Date().toISOString() } },
        { upsert: true },
      );
    } catch (error) {
      // Two concurrent blocks of the same pair: the other one stored it.
      if (!isDuplicateKeyError(error)) throw translateMongoError(error);
    }
  }

  async unblock(blockerId: string, blockedId: string): Promise<void> {
    await withMongoErrors(() => this.models.blocks.deleteOne({ _id: blockIdOf(blockerId, blockedId) }));
  }

  async eitherBlocks(userA: string, userB: string): Promise<boolean> {
    const count = await withMongoErrors(() =>
      this.models.blocks.countDocuments({ _id: { $in: [blockIdOf(userA, userB), blockIdOf(userB, userA)] } }),
    );
    return count > 0;
  }

  async blockedBy(blockerId: string): Promise<string[]> {
    const docs = await withMongoErrors(() =>
      this.models.blocks.find({ blockerId }).sort({ createdAt: 1, blockedId: 1 }).lean<BlockDoc[]>(),
    );
    return docs.map((doc) => doc.blockedId);
  }
}
