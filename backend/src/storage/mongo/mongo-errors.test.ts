/**
 * How driver failures map to the port's typed errors. The socket errors here are real: they come
 * from writing to a loopback connection the other side has closed, as happens when the MongoDB
 * server dies between the driver's health check and its next write.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import mongoose from 'mongoose';
import { ConflictError, StoreUnavailableError } from '../errors.js';
import { isUnavailableError, translateMongoError } from './mongo-errors.js';

/** Writes to a connection whose peer has ended it, and returns the error Node raises. */
async function writeAfterPeerClosed(): Promise<NodeJS.ErrnoException> {
  const server = createServer((peer) => peer.end());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const socket = createConnection({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', allowHalfOpen: false });
    await once(socket, 'end');
    return await new Promise<NodeJS.ErrnoException>((resolve) => {
      socket.on('error', resolve);
      socket.write('ping', (error) => {
        if (error) resolve(error as NodeJS.ErrnoException);
      });
    });
  } finally {
    server.close();
  }
}

describe('MongoDB error translation', () => {
  test('a write to a connection the server closed counts as the store being unavailable', async () => {
    const error = await writeAfterPeerClosed();
    assert.equal(error.code, 'EPIPE');
    assert.equal(isUnavailableError(error), true);
    assert.ok(translateMongoError(error) instanceof StoreUnavailableError);
  });

  test('driver network errors count as unavailable; an ordinary error stays what it is', () => {
    const network = new mongoose.mongo.MongoNetworkError('connection closed');
    assert.ok(translateMongoError(network) instanceof StoreUnavailableError);
    const plain = new Error('something else');
    assert.equal(isUnavailableError(plain), false);
    assert.equal(translateMongoError(plain), plain);
    const notNetwork = Object.assign(new Error('no such file'), { code: 'ENOENT' });
    assert.equal(isUnavailableError(notNetwork), false);
  });

  test('a timeout wrapped in a bulk write error counts as unavailable, however deep', () => {
    const timeout = new mongoose.mongo.MongoNetworkTimeoutError('connection timed out');
    const bulk = new mongoose.mongo.MongoBulkWriteError(timeout, {} as never);
    assert.equal(bulk.errorResponse, timeout as unknown, 'the driver keeps the timeout as errorResponse');
    assert.ok(translateMongoError(bulk) instanceof StoreUnavailableError);
    const viaCause = new Error('wrapper', { cause: new Error('middle', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }) });
    assert.equal(isUnavailableError(viaCause), true);
    const cyclic: { cause?: unknown } & Error = new Error('cycle');
    cyclic.cause = cyclic;
    assert.equal(isUnavailableError(cyclic), false);
  });

  test('a duplicate key becomes a conflict on the field its index protects', () => {
    const duplicate = Object.assign(new Error('E11000 duplicate key'), { code: 11000, keyPattern: { usernameLower: 1 } });
    const translated = translateMongoError(duplicate);
    assert.ok(translated instanceof ConflictError);
    assert.equal((translated as ConflictError).field, 'username');
  });
});
