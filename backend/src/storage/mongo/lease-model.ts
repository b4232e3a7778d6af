import { Schema, type Connection, type Model } from 'mongoose';

/** A lease in `leases`: `_id` is its name; `expiresAt` in epoch milliseconds. */
export interface LeaseDoc {
  _id: string;
  holder: string;
  expiresAt: number;
}

const leaseSchema = new Schema<LeaseDoc>(
  {
    _id: { type: String, required: true },
    holder: { type: String, required: true },
    expiresAt: { type: Number, required: true },
  },
  { versionKey: false, id: false },
);

export function leaseModel(connection: Connection): Model<LeaseDoc> {
  return connection.model<LeaseDoc>('Lease', leaseSchema, 'leases');
}
