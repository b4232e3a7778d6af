/**
 * Files and pictures in a real browser: two people, each in their own Chromium profile, on the
 * built app and the real server (fresh SQLite, signed download URLs that live 20 s). A sends B a
 * picture and a PDF through the attach button, with the upload slowed down so its progress shows;
 * B sees the thumbnail (its box sized before it loads) and the PDF's card, and downloads the PDF.
 * B drops a picture on the chat box (its drop zone shows) and pastes another with a caption; the
 * pictures open in the lightbox, which the keyboard drives (arrows, Escape, focus back). A uploads
 * her own picture on the profile page, and B sees it in his list. Carmen, who is not in the chat,
 * gets no URL for either file, cannot fetch them by id, with B's URL made out to herself, or with
 * B's own URL once it expired — while B's page, which renewed its URLs, still shows the picture.
 * A picture A picks while offline is kept in IndexedDB with its message, shows waiting to upload
 * (also after a reload without a network), and reaches B once A is back online.
 *
 * Run: npm run build, then node --import tsx --test frontend/e2e/files.e2e.test.ts. Screenshots
 * (prefix F) land in frontend/e2e/artifacts/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { assertNoAxeViolations, axeResults } from './axe.js';
import { BrowserUser, type PageProblem } from './browser-user.js';
import { openChat, registerThroughForm } from './chat-steps.js';
import { startServer, type RunningServer } from './e2e-server.js';
import { alice, bruno, carmen, fullName } from './people.js';
import { until } from './until.js';

const toB = fullName(bruno);
const toA = fullName(alice);
/** Signed URLs expire this fast here, so that an expired one can be tried within the test. */
const FILE_URL_TTL_S = 20;

/**
 * A refresh without a session answers 401, which Chromium logs; while A is offline on purpose,
 * the socket's reconnection attempts fail for want of a network. Nothing else is excused.
 */
function isExpectedNoise(problem: PageProblem): boolean {
  if (problem.kind !== 'console') return false;
  const refreshWithoutSession = /status of 401/.test(problem.text) && (problem.url ?? '').endsWith('/api/auth/refresh');
  return refreshWithoutSession || /net::ERR_INTERNET_DISCONNECTED/.test(problem.text);
}

/** A PNG of noise (it does not compress, so its upload takes a while when slowed down). */
function noisePng(width: number, height: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
  return sharp(raw, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
}

/** A plain picture: a coloured field with a darker band. */
function plainPng(width: number, height: number, rgb: [number, number, number]): Promise<Buffer> {
  const [r, g, b] = rgb;
  return sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
    .composite([{ input: { create: { width, height: Math.round(height / 4), channels: 3, background: { r: r / 2, g: g / 2, b: b / 2 } } }, top: 0, left: 0 }])
    .png()
    .toBuffer();
}

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/** The same file put into the page as a File, through a DataTransfer (a drop or a paste). */
function dataTransferScript(name: string, type: string, bytes: Buffer): string {
  return `(() => {
    const bytes = Uint8Array.from(atob(${JSON.stringify(bytes.toString('base64'))}), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], ${JSON.stringify(name)}, { type: ${JSON.stringify(type)} }));
    return transfer;
  })()`;
}

describe('files and pictures in a real browser', { timeout: 180_000 }, () => {
  let server: RunningServer;
  let a: BrowserUser;
  let b: BrowserUser;
  let c: BrowserUser | undefined;
  /** The URLs B's page had for the picture and the PDF A sent. */
  const seenByB = { pictureId: '', pdfId: '', thumb: '', pdf: '' };

  before(async () => {
    server = await startServer({ FILE_URL_TTL_S: String(FILE_URL_TTL_S) });
    const response = await fetch(`${server.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(carmen),
    });
    assert.equal(response.status, 201, await response.text());
    [a, b] = await Promise.all([BrowserUser.launch('A', alice, server.url), BrowserUser.launch('B', bruno, server.url)]);
    await registerThroughForm(a, 'F0a');
    await registerThroughForm(b, 'F0b');
  });

  after(async () => {
    await Promise.all([a?.close(), b?.close(), c?.close()]);
    await server?.stop();
  });

  it('F1. A sends B a picture and a PDF with the attach button; each upload shows its progress', async (t) => {
    await a.byTestId(`user-${bruno.username}`).click();
    const aBox = a.chatBox(toB);
    await aBox.getByText('No messages yet').waitFor();

    // Record the states the uploads go through, and the percentages their bars show.
    await a.page.evaluate(`(() => {
      const seen = { states: [], percents: [] };
      window.__uploads = seen;
      const record = () => {
        for (const upload of document.querySelectorAll('[data-testid="upload"]')) {
          const state = upload.getAttribute('data-state');
          if (!seen.states.includes(state)) seen.states.push(state);
          const value = Number(upload.querySelector('progress')?.value ?? 0);
          if (!seen.percents.includes(value)) seen.percents.push(value);
        }
      };
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    })()`);

    const picture = await noisePng(700, 500);
    await aBox.getByTestId('attach-input').setInputFiles([
      { name: 'harbour.png', mimeType: 'image/png', buffer: picture },
      { name: 'itinerary.pdf', mimeType: 'application/pdf', buffer: PDF },
    ]);
    const tray = aBox.getByTestId('attach-tray');
    await until('both files in the tray', async () => (await tray.getByTestId('attach-item').count()) === 2);
    assert.deepEqual(await tray.getByTestId('attach-name').allInnerTexts(), ['harbour.png', 'itinerary.pdf']);
    assert.equal(await aBox.getByTestId('message-input').getAttribute('placeholder'), 'Add a caption…');
    await a.screenshot('F1a', 'files-picked');
    await assertNoAxeViolations(a, 'composer with files picked');

    // A slow uplink (about 150 KB/s), so the progress can be seen.
    const cdp = await a.context.newCDPSession(a.page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 150 * 1024 });

    await aBox.getByTestId('message-input').fill('The harbour, and the plan for Saturday');
    await aBox.getByTestId('send-button').click();
    const pending = aBox.locator('[data-testid="upload"][data-name="harbour.png"][data-state="uploading"]');
    await pending.waitFor();
    await until('the picture upload to pass 5 %', async () => Number(await pending.locator('progress').getAttribute('value')) > 5, 20_000);
    await a.screenshot('F1b', 'upload-progress');
    await assertNoAxeViolations(a, 'message with uploads in progress');
    assert.equal(await aBox.getByTestId('attach-tray').count(), 0, 'the tray empties once the message is sent');

    const sent = aBox.locator('[data-testid="message"]:has([data-testid="attachment-picture"])');
    await sent.waitFor({ timeout: 30_000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    const seen = await a.page.evaluate<{ states: string[]; percents: number[] }>('window.__uploads');
    t.diagnostic(`upload states: ${seen.states.join(', ')}; percents shown: ${seen.percents.length}`);
    assert.ok(seen.states.includes('uploading'), `states seen: ${seen.states.join(', ')}`);
    assert.ok(seen.percents.some((p) => p > 0 && p < 100), `no percentage between 0 and 100 was shown: ${seen.percents.join(', ')}`);

    // B sees the picture as a thumbnail with its name as alt text, and the PDF as a card.
    const bBox = b.chatBox(toA);
    const bPicture = bBox.locator('[data-testid="attachment-picture"][data-name="harbour.png"]');
    await bPicture.waitFor();
    const image = bPicture.locator('img');
    await until('the thumbnail to load', () => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0));
    assert.equal(await image.getAttribute('alt'), 'harbour.png');
    // Its box is the picture's shape scaled into 240×180, reserved before it loads.
    const box = await bPicture.boundingBox();
    assert.ok(box && Math.abs(box.width - 240) <= 1 && Math.abs(box.height - 171) <= 1, `thumbnail box ${JSON.stringify(box)}`);
    const card = bBox.locator('[data-testid="attachment-file"][data-name="itinerary.pdf"]');
    assert.equal(await card.getByTestId('attachment-meta').innerText(), `PDF · ${PDF.length} bytes`);
    const download = card.getByTestId('attachment-download');
    await until('the download link', () => download.getAttribute('href'));
    assert.equal(await download.getAttribute('download'), 'itinerary.pdf');
    await bBox.getByText('The harbour, and the plan for Saturday').waitFor();

    // The chat panel stays at its newest message as the pictures come in.
    const list = bBox.getByTestId('message-list');
    const gap = await list.evaluate((el: HTMLElement) => el.scrollHeight - el.scrollTop - el.clientHeight);
    assert.ok(gap < 4, `B's list is ${gap}px above its newest message`);
    await b.screenshot('F1c', 'picture-and-pdf-received');
    await assertNoAxeViolations(b, 'chat with a picture and a file');

    // The PDF downloads as a file, with its name, from the link B's page has.
    const [saved] = await Promise.all([b.page.waitForEvent('download'), download.click()]);
    assert.equal(saved.suggestedFilename(), 'itinerary.pdf');
    const href = (await download.getAttribute('href'))!;
    const fetched = await fetch(`${server.url}${href}`);
    assert.equal(fetched.status, 200);
    assert.match(fetched.headers.get('content-disposition') ?? '', /^attachment;/);
    assert.equal(fetched.headers.get('content-type'), 'application/pdf');
    assert.deepEqual(Buffer.from(await fetched.arrayBuffer()), PDF);

    seenByB.thumb = (await image.getAttribute('src'))!;
    seenByB.pdf = href;
    seenByB.pictureId = /\/files\/([^/]+)\//.exec(seenByB.thumb)?.[1] ?? '';
    seenByB.pdfId = /\/files\/([^/]+)\//.exec(seenByB.pdf)?.[1] ?? '';
    assert.ok(seenByB.pictureId && seenByB.pdfId, JSON.stringify(seenByB));
  });

  it('F2. B drops a picture on the chat box: the drop zone shows, and the picture goes', async () => {
    const bBox = b.chatBox(toA);
    const transfer = await b.page.evaluateHandle(dataTransferScript('lighthouse.png', 'image/png', await plainPng(320, 480, [70, 130, 200])));
    await bBox.dispatchEvent('dragenter', { dataTransfer: transfer });
    await bBox.dispatchEvent('dragover', { dataTransfer: transfer });
    const zone = bBox.getByTestId('drop-zone');
    await zone.waitFor();
    assert.match(await zone.innerText(), /Drop files to send to Alice Martin/);
    await b.screenshot('F2a', 'drop-zone');
    await assertNoAxeViolations(b, 'drop zone');
    await bBox.getByTestId('message-list').dispatchEvent('drop', { dataTransfer: transfer });
    await until('the drop zone to go', async () => (await zone.count()) === 0);
    await until('the dropped file in the tray', async () => (await bBox.getByTestId('attach-name').allInnerTexts()).join() === 'lighthouse.png');
    // The field has the focus, for a caption.
    assert.equal(await b.page.evaluate('document.activeElement?.dataset.testid'), 'message-input');
    await b.page.keyboard.press('Enter');
    await a.chatBox(toB).locator('[data-testid="attachment-picture"][data-name="lighthouse.png"] img').waitFor();
  });

  it('F3. B pastes a picture into the field and sends it with a caption', async () => {
    const bBox = b.chatBox(toA);
    const field = bBox.getByTestId('message-input');
    await field.focus();
    const paste = `(() => {
      const transfer = ${dataTransferScript('image.png', 'image/png', await plainPng(480, 320, [220, 120, 60]))};
      const event = new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true });
      document.activeElement.dispatchEvent(event);
      return event.defaultPrevented;
    })()`;
    assert.equal(await b.page.evaluate<boolean>(paste), true, 'the paste was taken as a file, not as text');
    await until('the pasted picture in the tray', async () => /^Pasted image .*\.png$/.test((await bBox.getByTestId('attach-name').allInnerTexts()).join()));
    await field.fill('Sunset from the pier');
    await b.screenshot('F3a', 'pasted-picture');
    await b.page.keyboard.press('Enter');
    const aBox = a.chatBox(toB);
    await aBox.getByText('Sunset from the pier').waitFor();
    await until('three pictures at A', async () => (await aBox.locator('[data-testid="attachment-picture"] img').count()) === 3);
    await a.screenshot('F3b', 'three-pictures');
  });

  it('F4. the lightbox: opens on a picture, arrows step through the chat’s pictures, Escape closes', async () => {
    const aBox = a.chatBox(toB);
    const first = aBox.locator('[data-testid="attachment-picture"][data-name="harbour.png"]');
    await first.focus();
    await a.page.keyboard.press('Enter');
    const dialog = a.page.getByTestId('lightbox');
    await dialog.waitFor();
    const count = dialog.getByTestId('lightbox-count');
    const title = dialog.getByTestId('lightbox-title');
    assert.equal(await count.innerText(), '1 of 3');
    assert.equal(await title.innerText(), 'harbour.png');
    const big = dialog.getByTestId('lightbox-image');
    await until('the preview to load', () => big.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0));
    assert.equal(await big.getAttribute('alt'), 'harbour.png');
    assert.match((await big.getAttribute('src'))!, /\/files\/[^/]+\/preview\?/);
    assert.equal(await a.page.evaluate('document.activeElement?.dataset.testid'), 'lightbox-close');
    await a.screenshot('F4a', 'lightbox');
    await assertNoAxeViolations(a, 'lightbox');

    await a.page.keyboard.press('ArrowRight');
    await until('the second picture', async () => (await count.innerText()) === '2 of 3');
    assert.equal(await title.innerText(), 'lighthouse.png');
    await a.page.keyboard.press('End');
    await until('the last picture', async () => (await count.innerText()) === '3 of 3');
    assert.match(await title.innerText(), /^Pasted image /);
    await a.page.keyboard.press('ArrowRight');
    await a.page.keyboard.press('ArrowLeft');
    await until('back to the second', async () => (await count.innerText()) === '2 of 3');
    await a.screenshot('F4b', 'lightbox-second');

    // Tab stays inside the dialog.
    for (let i = 0; i < 6; i++) {
      await a.page.keyboard.press('Tab');
      assert.ok(await dialog.evaluate((el) => el.contains(document.activeElement)), 'focus left the lightbox');
    }
    await a.page.keyboard.press('Escape');
    await until('the lightbox to close', async () => (await dialog.count()) === 0);
    assert.ok(await first.evaluate((el) => el === document.activeElement), 'focus went back to the thumbnail');
  });

  it('F5. A uploads her own picture on the profile page; B sees it in his list', async () => {
    await a.byTestId('profile-link').click();
    await a.page.waitForURL((url) => url.pathname === '/profile');
    await assertNoAxeViolations(a, 'profile with picture controls');
    await a.byTestId('avatar-input').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: await plainPng(300, 300, [200, 90, 140]) });
    await until('the picture to be saved', async () => /new picture was saved/.test(await a.byTestId('avatar-status').innerText()));
    const mine = a.page.locator('.identity app-user-avatar img');
    await until('the own picture to show', async () => /^\/avatars\/[0-9a-f]{64}\.webp$/.test((await mine.getAttribute('src')) ?? ''));
    await until('it to load', () => mine.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0));
    await a.screenshot('F5a', 'profile-picture');
    await assertNoAxeViolations(a, 'profile with a picture of her own');

    const hers = b.page.locator(`[data-testid="user-${alice.username}"] app-user-avatar img`);
    await until('B to see her picture', async () => /^\/avatars\//.test((await hers.getAttribute('src')) ?? ''));
    await b.screenshot('F5b', 'sees-her-picture');

    // Removing it brings the default back.
    await a.byTestId('avatar-remove').click();
    await until('the default picture', async () => ((await mine.getAttribute('src')) ?? '').startsWith('data:image/svg+xml'));
    await a.byTestId('back-to-chats').click();
    await a.page.waitForURL((url) => url.pathname === '/');
  });

  it('F6. Carmen, not in the chat, cannot fetch either file, by id or by the URLs B got', async () => {
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: carmen.username, password: carmen.password }),
    });
    assert.equal(login.status, 200, await login.clone().text());
    const { accessToken, user } = (await login.json()) as { accessToken: string; user: { id: string } };
    const authorised = { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' };

    // She gets no URL for them.
    const urls = await fetch(`${server.url}/api/attachments/urls`, {
      method: 'POST',
      headers: authorised,
      body: JSON.stringify({ attachmentIds: [seenByB.pictureId, seenByB.pdfId] }),
    });
    assert.equal(urls.status, 200);
    assert.deepEqual(await urls.json(), { urls: [] });

    // Not by id, with or without her token.
    for (const id of [seenByB.pictureId, seenByB.pdfId]) {
      for (const variant of ['original', 'thumb']) {
        assert.equal((await fetch(`${server.url}/files/${id}/${variant}`, { headers: authorised })).status, 403);
      }
    }
    // Not with B's URLs made out to her.
    for (const url of [seenByB.thumb, seenByB.pdf]) {
      const hers = url.replace(/([?&]u=)[^&]+/, `$1${user.id}`);
      assert.notEqual(hers, url);
      assert.equal((await fetch(`${server.url}${hers}`)).status, 403);
    }

    // B's own URLs stop working once they expire; B's page has renewed its own by then.
    const expiry = Number(/[?&]exp=(\d+)/.exec(seenByB.pdf)?.[1]) * 1000;
    await until('B’s URLs to expire', () => Date.now() > expiry + 1000, (FILE_URL_TTL_S + 10) * 1000);
    for (const url of [seenByB.thumb, seenByB.pdf]) assert.equal((await fetch(`${server.url}${url}`)).status, 403);
    const renewed = await b.chatBox(toA).locator('[data-testid="attachment-picture"][data-name="harbour.png"] img').getAttribute('src');
    assert.notEqual(renewed, seenByB.thumb, 'B’s page renewed the picture’s URL before it expired');
    assert.equal((await fetch(`${server.url}${renewed}`)).status, 200);

    // In her own browser she sees neither file in her chats.
    c = await BrowserUser.launch('C', carmen, server.url);
    await c.goto('/login');
    await c.byTestId('login-username').fill(carmen.username);
    await c.byTestId('login-password').fill(carmen.password);
    await c.byTestId('login-submit').click();
    await c.page.waitForURL((url) => url.pathname === '/');
    const response = await c.page.evaluate<number>(`fetch(${JSON.stringify(seenByB.pdf.replace(/([?&]u=)[^&]+/, `$1${user.id}`))}).then((r) => r.status)`);
    assert.equal(response, 403);
    assert.equal(await c.page.locator('[data-testid="attachment-picture"], [data-testid="attachment-file"]').count(), 0);
  });

  it('F7. a file picked offline is kept in the browser with its message, over a reload, and goes once online', async () => {
    // The app's files must be in the service worker's caches for a reload without a network.
    await until(
      'the service worker to control the page and hold the app',
      () =>
        a.page.evaluate<boolean>(`(async () => {
          const ready = await navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller);
          if (!ready) return false;
          const manifest = await (await fetch('/ngsw.json?ngsw-bypass=1')).json();
          const urls = manifest.assetGroups.find((group) => group.name === 'app').urls;
          const cached = await Promise.all(urls.map((url) => caches.match(url, { ignoreVary: true })));
          return cached.every(Boolean);
        })()`),
      45_000,
    );
    const caption = 'Taken in the tunnel';
    await openChat(a, toB);
    // The pictures of the earlier steps load before the network goes: one still on its way
    // when it goes is answered 504 by the service worker, which Chromium logs as an error.
    await until('the chat\'s pictures to load', () =>
      a.chatBox(toB).evaluate((box) => [...box.querySelectorAll('img')].every((img) => img.complete && img.naturalWidth > 0)),
    );
    await a.context.setOffline(true);
    await a.page.locator('[data-testid="connection-state"][data-state="offline"]').waitFor();
    const aBox = a.chatBox(toB);
    await aBox.getByTestId('attach-input').setInputFiles({ name: 'tunnel.png', mimeType: 'image/png', buffer: await plainPng(400, 300, [40, 160, 90]) });
    await aBox.getByTestId('message-input').fill(caption);
    await aBox.getByTestId('send-button').click();
    await aBox.locator('[data-testid="upload"][data-name="tunnel.png"][data-state="waiting"]').waitFor();
    const keptFile = `(async () => {
      const name = (await indexedDB.databases()).map((d) => d.name).find((n) => n && n.startsWith('parley-user-'));
      const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const entries = await new Promise((resolve, reject) => {
        const request = db.transaction('outbox').objectStore('outbox').getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      db.close();
      const file = entries.flatMap((entry) => entry.files ?? []).find((f) => f.name === 'tunnel.png');
      return file && file.blob instanceof Blob ? file.blob.size : 0;
    })()`;
    await until('the file to be kept in IndexedDB', async () => (await a.page.evaluate<number>(keptFile)) > 0);
    await a.screenshot('F7a', 'file-waiting-offline');
    await assertNoAxeViolations(a, 'file waiting offline');

    await a.page.reload({ waitUntil: 'domcontentloaded' });
    await a.page.locator('[data-testid="connection-state"][data-state="offline"]').waitFor();
    await a.chatBox(toB).locator('[data-testid="upload"][data-name="tunnel.png"][data-state="waiting"]').waitFor();
    await a.screenshot('F7b', 'file-waiting-after-reload');

    await a.context.setOffline(false);
    const atB = b.chatBox(toA).locator('[data-testid="message"]').filter({ hasText: caption });
    await atB.locator('[data-testid="attachment-picture"][data-name="tunnel.png"] img').waitFor({ timeout: 20_000 });
    assert.equal(await atB.count(), 1);
    await until('the outbox to be empty in the browser', async () => (await a.page.evaluate<number>(keptFile)) === 0);
  });

  it('axe finds no accessibility violation on any screen visited', (t) => {
    for (const [screen, { passes, violations }] of axeResults) t.diagnostic(`${screen}: ${violations} violations, ${passes} rules passed`);
    assert.ok(axeResults.size >= 8, `axe checked only ${axeResults.size} screens`);
  });

  it('no console errors, uncaught exceptions or CSP violations on any page', () => {
    for (const user of [a, b]) {
      const unexpected = user.problems.filter((p) => !isExpectedNoise(p));
      assert.deepEqual(unexpected, [], `${user.label}: ${JSON.stringify(unexpected, null, 2)}`);
    }
  });
});
