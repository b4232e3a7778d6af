import type { LeaseStore } from '../storage.js';
import { isDuplicateKeyError, translateMongoError, withMongoErrors } from './mongo-errors.js';
import type { MongoModels } from './mongo-models.js';

/**
 * Leases in `leases`. Taking a free name rests on the unique `_id`; taking over an expired lease
 * is a conditional update, which FerretDB 1.x does not apply atomically: with several processes
 * on FerretDB, set REDIS_URL, and leases live in Redis instead.
 */
export class MongoLeaseStore implements LeaseStore {
  constructor(private readonly models: MongoModels) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    try {
      await this.models.leases.insertMany([{ _id: name, holder, expiresAt: now + ttlMs }]);
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw translateMongoError(error);
    }
    const { matchedCount } = await withMongoErrors(() =>
      this.models.leases.updateOne(
        { _id: name, $or: [{ holder }, { expiresAt: { $lte: now } }] },
        { $set: { holder, expiresAt: now + ttlMs } },
      ),
    );
    return matchedCount > 0;
  }

  async release(name: string, holder: string): Promise<void> {
    await withMongoErrors(() => this.models.leases.deleteOne({ _id: name, holder }));
  }
}
