/**
 * Files and pictures against the real server: real multipart uploads over HTTP, real pictures
 * made with sharp, signed downloads. `attachment:urls` and sending with attachments run over both
 * transports (and on MongoDB + GridFS with MONGODB_URI set).
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import type { Attachment, AttachmentUrls } from '../../shared/src/schemas/attachments.js';
import type { Message } from '../../shared/src/schemas/messages.js';
import { sweepOrphans } from '../src/attachments/orphan-sweeper.js';
import { FileUrlSigner } from '../src/attachments/signed-urls.js';
import { startTestServer, type TestServer } from './start-test-server.js';
import { transportLegs } from './support/message-clients.js';
import { closeAll, connectAs, ok, type ClientSocket } from './support/socket-client.js';
import { createUser, type TestUser } from './support/stored-users.js';
import { sleep } from './support/waiting.js';

const MAX_BYTES = 2 * 1024 * 1024;

async function upload(t: TestServer, token: string, bytes: Buffer, name: string, type = 'application/octet-stream', purpose?: string) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  const res = await fetch(`${t.url}/api/uploads${purpose ? `?purpose=${purpose}` : ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as { attachment: Attachment } & { error: { code: string; fields?: Record<string, string> } } };
}

async function uploaded(t: TestServer, token: string, bytes: Buffer, name: string, type?: string): Promise<Attachment> {
  const res = await upload(t, token, bytes, name, type);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.attachment;
}

/** A 1200×800 JPEG stored sideways (EXIF orientation 6) with a copyright note in its EXIF. */
function sidewaysJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({ IFD0: { Copyright: 'secret-exif-note' } })
    .toBuffer();
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
/** A PNG that says 20000×20000 (400 megapixels) in a few kilobytes: a decompression bomb. */
function pngBomb(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(20_000, 0);
  header.writeUInt32BE(20_000, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const rows = deflateSync(Buffer.alloc(200 * 20_001));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), pngChunk('IHDR', header), pngChunk('IDAT', rows), pngChunk('IEND', Buffer.alloc(0))]);
}

/** Files under the blob store's folder, the temporary folder apart. */
async function blobFiles(t: TestServer): Promise<string[]> {
  const root = join(t.config.DATA_DIR, 'blobs');
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && !entry.parentPath.endsWith('tmp')).map((entry) => entry.name);
}
async function tmpFiles(t: TestServer): Promise<string[]> {
  return readdir(join(t.config.DATA_DIR, 'blobs', 'tmp'));
}

describe('uploads over HTTP', () => {
  let t: TestServer;
  let ada: TestUser;
  before(async () => {
    t = await startTestServer({ UPLOAD_MAX_BYTES: MAX_BYTES, UPLOAD_MAX_IMAGE_PIXELS: 50_000_000, WRITES_BURST: 1000, WRITES_PER_SECOND: 1000 });
    ada = await createUser(t, 'ada_uploads');
  });
  after(() => t.close());

  test('a picture is stored upright without its EXIF, with a thumb and a preview', async () => {
    const attachment = await uploaded(t, ada.token, await sidewaysJpeg(), 'photo.jpg', 'image/jpeg');
    assert.equal(attachment.kind, 'image');
    assert.equal(attachment.mime, 'image/jpeg');
    assert.deepEqual([attachment.width, attachment.height], [800, 1200], 'orientation applied');
    assert.equal(attachment.animated, false);
    const [record] = await t.server.storage.attachments.byIds([attachment.id]);
    const blobs = t.server.pipeline.deps.files.blobs;
    const original = await readAll(blobs, record!.blobKey);
    assert.equal(original.includes(Buffer.from('secret-exif-note')), false, 'the EXIF is gone');
    const meta = await sharp(original).metadata();
    assert.deepEqual([meta.width, meta.height, meta.orientation ?? 1], [800, 1200, 1]);
    const thumb = await sharp(await readAll(blobs, record!.thumbKey!)).metadata();
    assert.equal(thumb.format, 'webp');
    assert.ok(thumb.width! <= 480 && thumb.height! <= 360, `thumb ${thumb.width}×${thumb.height}`);
    assert.equal(thumb.height, 360);
  });

  test('the same picture uploaded several times at once: every upload is stored whole', async () => {
    const bytes = await sidewaysJpeg();
    const attachments = await Promise.all(Array.from({ length: 6 }, () => uploaded(t, ada.token, bytes, 'same.jpg', 'image/jpeg')));
    const records = await t.server.storage.attachments.byIds(attachments.map((a) => a.id));
    assert.equal(records.length, 6);
    const blobs = t.server.pipeline.deps.files.blobs;
    for (const record of records) {
      for (const key of [record.blobKey, record.previewKey!, record.thumbKey!]) assert.equal(await blobs.has(key), true);
    }
  });

  test('an animated GIF keeps its frames and gets a still thumb', async () => {
    const anim = await makeAnimatedGif();
    const attachment = await uploaded(t, ada.token, anim, 'wave.gif', 'image/gif');
    assert.equal(attachment.mime, 'image/gif');
    assert.equal(attachment.animated, true);
    const [record] = await t.server.storage.attachments.byIds([attachment.id]);
    const blobs = t.server.pipeline.deps.files.blobs;
    assert.deepEqual(await readAll(blobs, record!.blobKey), anim, 'the GIF is kept as it came');
    const thumb = await sharp(await readAll(blobs, record!.thumbKey!), { pages: -1 }).metadata();
    assert.equal(thumb.pages ?? 1, 1, 'the thumb is a still');
  });

  test('an .html file named .png is a plain file; so is an SVG with a script', async () => {
    const html = await uploaded(t, ada.token, Buffer.from('<!doctype html><script>alert(document.cookie)</script>'), 'cat.png', 'image/png');
    assert.equal(html.kind, 'file');
    assert.equal(html.mime, 'application/octet-stream');
    const svg = await uploaded(
      t,
      ada.token,
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      'logo.svg',
      'image/svg+xml',
    );
    assert.equal(svg.kind, 'file');
    assert.notEqual(svg.mime, 'image/svg+xml');
  });

  test('a 20000×20000 PNG bomb is refused unread, a truncated JPEG too; nothing stays stored', async () => {
    const before = await blobFiles(t);
    const bomb = await upload(t, ada.token, pngBomb(), 'bomb.png', 'image/png');
    assert.equal(bomb.status, 422);
    assert.equal(bomb.body.error.code, 'limit_exceeded');
    const jpeg = await sidewaysJpeg();
    const truncated = await upload(t, ada.token, jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'half.jpg', 'image/jpeg');
    assert.equal(truncated.status, 400);
    assert.equal(truncated.body.error.code, 'validation_failed');
    assert.deepEqual((await blobFiles(t)).sort(), before.sort(), 'no blob of either stays');
  });

  test('file names are cleaned', async () => {
    const attachment = await uploaded(t, ada.token, randomBytes(100), '../../etc/\u202Epasswd\u200B.txt');
    assert.equal(attachment.name, 'passwd.txt');
  });

  test('an upload over the limit is refused with 413 early: declared, or found while streaming', async () => {
    const declared = await rawUpload(t, ada.token, { declaredLength: MAX_BYTES * 4, send: 0 });
    assert.equal(declared.status, 413);
    assert.equal(declared.sentBeforeAnswer, 0, 'not a byte of the body was needed');
    // More than loopback's socket buffers hold (a receive buffer grows to 32 MiB here), so a
    // server that stopped reading makes the sender wait for the answer before the end.
    const body = 64 * 1024 * 1024;
    const streamed = await rawUpload(t, ada.token, { send: body });
    assert.equal(streamed.status, 413);
    assert.match(streamed.body, /payload_too_large/);
    assert.ok(streamed.sentBeforeAnswer < body, `answered after ${streamed.sentBeforeAnswer} of ${body} bytes`);
    assert.deepEqual(await tmpFiles(t), [], 'nothing half-written is left');
  });

  test('an upload cut off mid-stream leaves nothing stored', async () => {
    const user = await createUser(t, 'cut_uploads');
    const before = await blobFiles(t);
    await rawUpload(t, user.token, { send: MAX_BYTES / 2, cutAfter: MAX_BYTES / 4 });
    // The server notices the cut when the socket closes; give it time to clean up.
    let left = await tmpFiles(t);
    for (let i = 0; i < 40 && left.length > 0; i++) {
      await sleep(50);
      left = await tmpFiles(t);
    }
    await sleep(300);
    assert.deepEqual(await tmpFiles(t), []);
    assert.deepEqual((await blobFiles(t)).sort(), before.sort());
    assert.equal(await t.server.storage.attachments.bytesSince(user.user.id, new Date(0).toISOString()), 0, 'no record');
  });

  test('no token, no upload; a body without the file field is refused', async () => {
    const res = await fetch(`${t.url}/api/uploads`, { method: 'POST', body: new FormData() });
    assert.equal(res.status, 401);
    const form = new FormData();
    form.append('other', 'x');
    const empty = await fetch(`${t.url}/api/uploads`, { method: 'POST', headers: { authorization: `Bearer ${ada.token}` }, body: form });
    assert.equal(empty.status, 400);
  });

  test('an avatar upload becomes a 256-pixel square WebP at an unguessable public path; null removes it', async () => {
    const socket = await connectAs(t, ada);
    try {
      const notPicture = await upload(t, ada.token, randomBytes(300), 'me.png', 'image/png', 'avatar');
      assert.equal(notPicture.status, 400);
      const avatar = await uploaded(t, ada.token, await sidewaysJpeg(), 'me.jpg', 'image/jpeg').catch(() => null);
      assert.ok(avatar, 'a message upload works');
      const res = await upload(t, ada.token, await sidewaysJpeg(), 'me.jpg', 'image/jpeg', 'avatar');
      assert.equal(res.status, 201);
      const ben = await createUser(t, 'ben_avatar');
      const bens = await connectAs(t, ben);
      const refused = await new Promise<{ ok: boolean; error?: { code: string } }>((resolve) =>
        bens.emit('profile:update', { avatarAttachmentId: res.body.attachment.id }, resolve as never),
      );
      assert.equal(refused.ok, false, "someone else's upload cannot become your avatar");
      closeAll(bens);
      assert.equal(
        (await new Promise<{ ok: boolean }>((resolve) => socket.emit('profile:update', { avatarAttachmentId: avatar.id }, resolve as never))).ok,
        false,
        'a message upload is not an avatar upload',
      );
      const self = await ok(socket, 'profile:update', { avatarAttachmentId: res.body.attachment.id });
      assert.match(self.avatarUrl ?? '', /^\/avatars\/[0-9a-f]{64}\.webp$/);
      const picture = await fetch(t.url + self.avatarUrl!);
      assert.equal(picture.status, 200);
      assert.equal(picture.headers.get('content-type'), 'image/webp');
      const meta = await sharp(Buffer.from(await picture.arrayBuffer())).metadata();
      assert.deepEqual([meta.width, meta.height, meta.format], [256, 256, 'webp']);
      assert.deepEqual(await t.server.storage.attachments.byIds([res.body.attachment.id]), [], 'the upload record is used up');
      assert.equal((await fetch(`${t.url}/avatars/${'0'.repeat(64)}.webp`)).status, 404);
      const cleared = await ok(socket, 'profile:update', { avatarAttachmentId: null });
      assert.equal(cleared.avatarUrl, null);
    } finally {
      closeAll(socket);
    }
  });

  test('uploads no message took are swept after UPLOAD_ORPHAN_TTL_S, with their blobs', async () => {
    const user = await createUser(t, 'orphan_uploads');
    const bytes = randomBytes(5000);
    const attachment = await uploaded(t, user.token, bytes, 'forgotten.bin');
    const [record] = await t.server.storage.attachments.byIds([attachment.id]);
    const deps = t.server.pipeline.deps;
    await sweepOrphans(deps, Date.now());
    assert.equal((await t.server.storage.attachments.byIds([attachment.id])).length, 1, 'younger than the TTL: kept');
    const removed = await sweepOrphans(deps, Date.now() + (t.config.UPLOAD_ORPHAN_TTL_S + 1) * 1000);
    assert.ok(removed >= 1);
    assert.deepEqual(await t.server.storage.attachments.byIds([attachment.id]), []);
    assert.equal(await deps.files.blobs.has(record!.blobKey), false);
  });

  test('the daily quota is enforced', async () => {
    const small = await startTestServer({ UPLOAD_DAILY_QUOTA_BYTES: 1500 });
    try {
      const user = await createUser(small, 'quota_user');
      assert.equal((await upload(small, user.token, randomBytes(1000), 'a.bin')).status, 201);
      const over = await upload(small, user.token, randomBytes(1000), 'b.bin');
      assert.equal(over.status, 422);
      assert.equal(over.body.error.code, 'limit_exceeded');
    } finally {
      await small.close();
    }
  });
});

for (const { transport, mongoUri } of transportLegs('attachments')) {
  describe(`attachments in chats over ${transport === 'socket' ? 'sockets' : 'REST'}${mongoUri ? ', MongoDB + GridFS' : ''}`, () => {
    let t: TestServer;
    let ada: TestUser, ben: TestUser, cleo: TestUser;
    let adaSocket: ClientSocket, benSocket: ClientSocket, cleoSocket: ClientSocket;
    let group: string;

    before(async () => {
      t = await startTestServer({ WRITES_BURST: 1000, WRITES_PER_SECOND: 1000, ...(mongoUri && { MONGODB_URI: mongoUri }) });
      [ada, ben, cleo] = await Promise.all(['ada', 'ben', 'cleo'].map((name) => createUser(t, `${name}_${transport}`)));
      [adaSocket, benSocket, cleoSocket] = await Promise.all([ada, ben, cleo].map((user) => connectAs(t, user)));
      group = (await ok(adaSocket, 'group:create', { name: 'files', memberIds: [ben.user.id] })).chat.id;
    });
    after(async () => {
      closeAll(adaSocket, benSocket, cleoSocket);
      await t.close();
    });

    async function send(who: TestUser, socket: ClientSocket, body: unknown) {
      if (transport === 'socket') {
        const ack = await new Promise<{ ok: boolean; data?: { message: Message }; error?: { code: string; fields?: Record<string, string> } }>(
          (resolve) => socket.emit('chat:message', body as never, resolve as never),
        );
        return ack;
      }
      const res = await fetch(`${t.url}/api/chats/${group}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...(body as object), chatId: undefined }),
      });
      const json = (await res.json()) as { message?: Message; error?: { code: string; fields?: Record<string, string> } };
      return res.ok ? { ok: true, data: { message: json.message! } } : { ok: false, error: json.error! };
    }

    async function urls(who: TestUser, socket: ClientSocket, attachmentIds: string[]): Promise<AttachmentUrls> {
      if (transport === 'socket') return ok(socket, 'attachment:urls', { attachmentIds });
      const res = await fetch(`${t.url}/api/attachments/urls`, {
        method: 'POST',
        headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ attachmentIds }),
      });
      assert.equal(res.status, 200);
      return (await res.json()) as AttachmentUrls;
    }

    test('a picture and a PDF go with a caption; members fetch them, outsiders cannot', async () => {
      const picture = await uploaded(t, ada.token, await sidewaysJpeg(), 'photo.jpg', 'image/jpeg');
      const pdf = await uploaded(t, ada.token, Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(3000)]), 'rapport d’été.pdf', 'application/pdf');
      assert.equal(pdf.mime, 'application/pdf');
      const sent = await send(ada, adaSocket, { chatId: group, clientId: randomUUID(), body: '', attachmentIds: [picture.id, pdf.id] });
      assert.equal(sent.ok, true, JSON.stringify(sent));
      const message = sent.data!.message;
      assert.equal(message.body, '');
      assert.deepEqual(message.attachments.map((a) => a.id), [picture.id, pdf.id]);
      const history = await ok(benSocket, 'chat:history', { chatId: group });
      assert.deepEqual(history.messages.at(-1)!.attachments, message.attachments, 'history carries them');

      const granted = await urls(ben, benSocket, [picture.id, pdf.id]);
      assert.deepEqual(granted.urls.map((u) => u.id), [picture.id, pdf.id]);
      const pictureUrls = granted.urls[0]!;
      assert.ok(pictureUrls.thumb && pictureUrls.preview);
      const image = await fetch(t.url + pictureUrls.original);
      assert.equal(image.status, 200);
      assert.equal(image.headers.get('content-type'), 'image/jpeg');
      assert.equal(image.headers.get('x-content-type-options'), 'nosniff');
      assert.match(image.headers.get('cache-control') ?? '', /private/);
      assert.equal((await sharp(Buffer.from(await image.arrayBuffer())).metadata()).width, 800);
      const thumb = await fetch(t.url + pictureUrls.thumb!);
      assert.equal(thumb.headers.get('content-type'), 'image/webp');
      const file = await fetch(t.url + granted.urls[1]!.original);
      assert.equal(file.status, 200);
      assert.equal(file.headers.get('content-type'), 'application/pdf');
      assert.match(file.headers.get('content-disposition') ?? '', /^attachment; filename="rapport d__t_.pdf"; filename\*=UTF-8''rapport%20d%E2%80%99%C3%A9t%C3%A9.pdf$/);
      assert.match(file.headers.get('content-security-policy') ?? '', /sandbox/);
      assert.equal((await file.arrayBuffer()).byteLength, pdf.size);

      // cleo is no member: no URLs; ben's URL under her name, a guessed one, an expired one all fail.
      assert.deepEqual((await urls(cleo, cleoSocket, [picture.id, pdf.id])).urls, []);
      const forged = pictureUrls.original.replace(`u=${ben.user.id}`, `u=${cleo.user.id}`);
      assert.equal((await fetch(t.url + forged)).status, 403);
      assert.equal((await fetch(`${t.url}/files/${pdf.id}/original`)).status, 403);
      assert.equal((await fetch(`${t.url}/files/${pdf.id}/original?u=${cleo.user.id}&exp=9999999999&sig=${'A'.repeat(43)}`)).status, 403);
      const expired = new FileUrlSigner(t.config.JWT_SECRET, 60, () => Date.now() - 3_600_000).sign(pdf.id, 'original', ben.user.id).url;
      assert.equal((await fetch(t.url + expired)).status, 403);
      // A valid URL of cleo's own, were she to get one, still needs membership: signed for her, checked on fetch.
      const cleoSigned = t.server.pipeline.deps.files.signer.sign(pdf.id, 'original', cleo.user.id).url;
      assert.equal((await fetch(t.url + cleoSigned)).status, 404);
    });

    test('someone else\'s upload, an attached one, or an unknown id cannot be attached; nothing is stored', async () => {
      const bens = await uploaded(t, ben.token, randomBytes(500), 'b.bin');
      const refused = await send(ada, adaSocket, { chatId: group, clientId: randomUUID(), body: 'x', attachmentIds: [bens.id] });
      assert.equal(refused.ok, false);
      assert.equal(refused.error!.code, 'validation_failed');
      assert.ok(refused.error!.fields?.['attachmentIds']);
      const mine = await uploaded(t, ada.token, randomBytes(500), 'a.bin');
      const first = await send(ada, adaSocket, { chatId: group, clientId: randomUUID(), body: 'one', attachmentIds: [mine.id] });
      assert.equal(first.ok, true);
      const again = await send(ada, adaSocket, { chatId: group, clientId: randomUUID(), body: 'two', attachmentIds: [mine.id] });
      assert.equal(again.ok, false);
      const unknown = await send(ada, adaSocket, { chatId: group, clientId: randomUUID(), body: 'three', attachmentIds: ['01ARZ3NDEKTSV4RRFFQ69G5FAV'] });
      assert.equal(unknown.ok, false);
      const history = await ok(adaSocket, 'chat:history', { chatId: group });
      assert.equal(history.messages.filter((m) => ['two', 'three', 'x'].includes(m.body)).length, 0, 'no message was stored');
      const empty = await send(ada, adaSocket, { chatId: group, clientId: randomUUID(), body: '  ' });
      assert.equal(empty.ok, false, 'an empty body needs attachments');
    });

    test('a retried send with attachments answers the first message', async () => {
      const file = await uploaded(t, ada.token, randomBytes(700), 'r.bin');
      const clientId = randomUUID();
      const first = await send(ada, adaSocket, { chatId: group, clientId, body: 'retry me', attachmentIds: [file.id] });
      const second = await send(ada, adaSocket, { chatId: group, clientId, body: 'retry me', attachmentIds: [file.id] });
      assert.equal(second.ok, true, JSON.stringify(second));
      assert.equal(second.data!.message.id, first.data!.message.id);
      assert.deepEqual(second.data!.message.attachments.map((a) => a.id), [file.id]);
    });

    test('a removed member stops at once; a deleted message takes its files along', async () => {
      const file = await uploaded(t, ada.token, randomBytes(2000), 'gone.bin');
      const sent = await send(ada, adaSocket, { chatId: group, clientId: randomUUID(), body: 'soon gone', attachmentIds: [file.id] });
      const [url] = (await urls(ben, benSocket, [file.id])).urls;
      assert.equal((await fetch(t.url + url!.original)).status, 200);
      await ok(adaSocket, 'group:update', { chatId: group, removeMemberIds: [ben.user.id] } as never).catch(() => undefined);
      const stillMember = (await t.server.storage.members.get(group, ben.user.id)) !== null;
      if (!stillMember) {
        assert.equal((await fetch(t.url + url!.original)).status, 404, 'the old URL stops working at once');
        await t.server.storage.members.add(group, ben.user.id, 'member');
      }
      const [record] = await t.server.storage.attachments.byIds([file.id]);
      await ok(adaSocket, 'message:delete', { chatId: group, messageId: sent.data!.message.id });
      assert.equal((await fetch(t.url + url!.original)).status, 404);
      assert.deepEqual(await t.server.storage.attachments.byIds([file.id]), [], 'the record is gone');
      assert.equal(await t.server.pipeline.deps.files.blobs.has(record!.blobKey), false, 'the blob is gone');
    });
  });
}

/** Three 32×32 frames of different colours, as one animated GIF. */
async function makeAnimatedGif(): Promise<Buffer> {
  const frames = await Promise.all(
    ['#22aa55', '#aa2255', '#2255aa'].map((background) => sharp({ create: { width: 32, height: 32, channels: 3, background } }).png().toBuffer()),
  );
  return sharp(frames, { join: { animated: true } }).gif({ loop: 0, delay: [100, 100, 100] }).toBuffer();
}

async function readAll(blobs: { open(key: string): Promise<{ stream: NodeJS.ReadableStream } | null> }, key: string): Promise<Buffer> {
  const opened = await blobs.open(key);
  assert.ok(opened, `blob ${key}`);
  const chunks: Buffer[] = [];
  for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A multipart upload written by hand, `send` bytes of file in 64 kB chunks: with a declared
 * Content-Length, or chunked; cut off (socket destroyed) after `cutAfter` bytes. Resolves with the
 * answer and how many file bytes had been written when it began.
 */
function rawUpload(
  t: TestServer,
  token: string,
  options: { send: number; declaredLength?: number; cutAfter?: number },
): Promise<{ status: number; body: string; sentBeforeAnswer: number }> {
  const boundary = `----parley${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered: number | null = null;
    const req = httpRequest(`${t.url}/api/uploads`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        ...(options.declaredLength !== undefined && { 'content-length': String(options.declaredLength) }),
      },
    });
    req.on('response', (res) => {
      answered = sent;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sentBeforeAnswer: answered ?? sent }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body, sentBeforeAnswer: answered ?? sent }));
    });
    req.on('error', (error) => {
      if (options.cutAfter !== undefined) resolve({ status: 0, body: '', sentBeforeAnswer: sent });
      else if (answered === null) reject(error);
    });
    const chunk = randomBytes(64 * 1024);
    const pump = () => {
      if (options.send === 0) return;
      while (answered === null && sent < options.send) {
        if (options.cutAfter !== undefined && sent >= options.cutAfter) {
          setTimeout(() => req.destroy(), 100);
          return;
        }
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (answered === null && sent >= options.send) req.end(tail);
    };
    // Declared-only: the headers go alone, so the early 413 cannot race a body write into a closed socket.
    if (options.send === 0) {
      req.flushHeaders();
      return;
    }
    req.write(head);
    setImmediate(pump);
  });
}
