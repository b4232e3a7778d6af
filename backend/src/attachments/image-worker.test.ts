import assert from 'node:assert/strict';
import { getPriority } from 'node:os';
import { after, describe, it } from 'node:test';
import sharp from 'sharp';
import { ImageRefusedError } from './image-variants.js';
import { IMAGE_PROCESS_NICENESS, ImageWorker } from './image-worker.js';

const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .png()
    .toBuffer();

describe('ImageWorker', () => {
  const worker = new ImageWorker();
  after(() => worker.close());

  it('makes the variants of a picture in a process of its own, at a lower priority than the server', async () => {
    const variants = await worker.variants(await png(2000, 1000), 'image/png', 50_000_000);
    assert.equal(variants.width, 2000);
    assert.equal(variants.height, 1000);
    const thumb = await sharp(variants.thumb).metadata();
    assert.equal(thumb.format, 'webp');
    assert.ok(thumb.width! <= 480 && thumb.height! <= 360, `${thumb.width}×${thumb.height}`);
    assert.ok(Buffer.isBuffer(variants.preview) && Buffer.isBuffer(variants.original));
    const pid = worker.pid!;
    assert.notEqual(pid, process.pid);
    assert.equal(getPriority(pid) - getPriority(), IMAGE_PROCESS_NICENESS);
  });

  it('refuses what is not a picture, and too many pixels, as ImageRefusedError', async () => {
    await assert.rejects(worker.variants(Buffer.from('<svg/>'), 'image/png', 50_000_000), ImageRefusedError);
    await assert.rejects(worker.avatar(await png(300, 300), 10_000), ImageRefusedError);
    const avatar = await sharp(await worker.avatar(await png(300, 200), 50_000_000)).metadata();
    assert.deepEqual([avatar.width, avatar.height], [256, 256]);
  });

  it('fails the pictures in work when the process dies, and starts another for the next', async () => {
    const first = worker.pid!;
    const inWork = worker.variants(await png(4000, 3000), 'image/png', 50_000_000);
    process.kill(first, 'SIGKILL');
    await assert.rejects(inWork, /picture process stopped/);
    const next = await worker.variants(await png(100, 100), 'image/png', 50_000_000);
    assert.equal(next.width, 100);
    assert.notEqual(worker.pid, first);
  });
});
