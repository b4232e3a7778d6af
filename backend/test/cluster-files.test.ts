/**
 * Files across processes: two real server processes sharing Redis and one MongoDB (a FerretDB
 * started here, or MONGODB_URI), blobs in GridFS. A picture uploaded and sent through one process
 * is listed, signed and downloaded through the other, thumb included; the signed URL of one
 * process works on the other; an outsider gets nothing from either.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import type { UploadResult } from '../../shared/src/schemas/attachments.js';
import { openMongoStorage } from '../src/storage/mongo/mongo-storage.js';
import { startFerretDb, type FerretDb } from './support/ferretdb.js';
import { redisForTests, type RunningRedis } from './support/redis-server.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { authenticatedSocket, closeAll, nextEvent, ok, type ClientSocket } from './support/socket-client.js';
import { seedUsers, type TestUser } from './support/stored-users.js';

const WAIT_MS = 5_000;

describe('files across two server processes (Redis, MongoDB + GridFS)', { timeout: 180_000 }, () => {
  let redis: RunningRedis;
  let ferret: FerretDb | null = null;
  let dataDir: string;
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  let users: Record<string, TestUser> = {};
  let team: string;
  const sockets: ClientSocket[] = [];

  before(async () => {
    redis = await redisForTests();
    let mongoUri = process.env['MONGODB_URI'];
    if (!mongoUri) {
      ferret = await startFerretDb();
      mongoUri = ferret.uri;
    }
    const url = new URL(mongoUri);
    url.pathname = `/cluster_files_${randomBytes(4).toString('hex')}`;
    mongoUri = url.toString();
    dataDir = mkdtempSync(join(tmpdir(), 'chat-cluster-files-'));
    const jwtSecret = randomBytes(48).toString('base64url');
    const storage = await openMongoStorage({ uri: mongoUri });
    try {
      users = await seedUsers(storage, jwtSecret, ['ada', 'ben', 'cleo']);
      team = (await storage.chats.createGroup({ name: 'team', passwordHash: null, creatorId: users['ada']!.user.id, memberIds: [users['ada']!.user.id, users['ben']!.user.id] })).id;
    } finally {
      await storage.close();
    }
    const env = {
      DATA_DIR: dataDir,
      JWT_SECRET: jwtSecret,
      REDIS_URL: redis.url,
      MONGODB_URI: mongoUri,
      BCRYPT_COST: '4',
      LOG_LEVEL: 'warn',
      STATIC_DIR: join(dataDir, 'no-static-app'),
    };
    // Each process has a DATA_DIR of its own: whatever crosses, crosses through MongoDB.
    [nodeA, nodeB] = await Promise.all([
      startServerProcess({ env: { ...env, DATA_DIR: join(dataDir, 'a') } }),
      startServerProcess({ env: { ...env, DATA_DIR: join(dataDir, 'b') } }),
    ]);
  });

  after(async () => {
    closeAll(...sockets);
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await redis?.stop();
    await ferret?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function connect(name: string, node: ServerProcess): Promise<ClientSocket> {
    const socket = await authenticatedSocket({ url: node.url }, users[name]!.token, { waitMs: WAIT_MS, connectTimeoutMs: 2_000 });
    sockets.push(socket);
    return socket;
  }

  test('a picture sent through one process is fetched through the other', async () => {
    const ada = await connect('ada', nodeA);
    const ben = await connect('ben', nodeB);
    const cleo = await connect('cleo', nodeB);
    const picture = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#3388cc' } }).png().toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(picture)], { type: 'image/png' }), 'sky.png');
    const res = await fetch(`${nodeA.url}/api/uploads`, { method: 'POST', headers: { authorization: `Bearer ${users['ada']!.token}` }, body: form });
    assert.equal(res.status, 201);
    const { attachment } = (await res.json()) as UploadResult;
    assert.equal(attachment.kind, 'image');

    const arrives = nextEvent(ben, 'chat:message', (message) => message.chatId === team);
    await ok(ada, 'chat:message', { chatId: team, clientId: randomUUID(), body: 'the sky', attachmentIds: [attachment.id] });
    const heard = await arrives;
    assert.deepEqual(heard.attachments.map((a) => a.id), [attachment.id]);

    const { urls } = await ok(ben, 'attachment:urls', { attachmentIds: [attachment.id] });
    const original = await fetch(nodeB.url + urls[0]!.original);
    assert.equal(original.status, 200);
    assert.equal(original.headers.get('content-type'), 'image/png');
    const meta = await sharp(Buffer.from(await original.arrayBuffer())).metadata();
    assert.deepEqual([meta.width, meta.height], [900, 600]);
    const thumb = await fetch(nodeB.url + urls[0]!.thumb!);
    assert.equal(thumb.status, 200);
    assert.equal(thumb.headers.get('content-type'), 'image/webp');
    // A URL signed by B works on A: the key comes from the shared JWT_SECRET.
    assert.equal((await fetch(nodeA.url + urls[0]!.preview!)).status, 200);

    assert.deepEqual((await ok(cleo, 'attachment:urls', { attachmentIds: [attachment.id] })).urls, []);
    const forged = urls[0]!.original.replace(`u=${users['ben']!.user.id}`, `u=${users['cleo']!.user.id}`);
    assert.equal((await fetch(nodeA.url + forged)).status, 403);
    assert.equal((await fetch(nodeB.url + forged)).status, 403);
  });
});
