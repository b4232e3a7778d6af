/**
 * A plain static "host site" for the widget e2e, on its own origin (http://localhost:<port>,
 * while the chat server is on http://127.0.0.1:<port>): its own sign-in (a cookie naming the
 * user), a token endpoint that mints the chat's SSO token for that user (HS256 with the chat
 * server's SSO_SECRET, as INTEGRATION.md shows), and a page that embeds `<parley-chat>` under a
 * Content-Security-Policy made of the entries INTEGRATION.md lists. The page's own CSS is hostile
 * on purpose: it must not reach into the widget.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SignJWT } from 'jose';

export interface HostUser {
  id: string;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
}

export interface HostSite {
  /** http://localhost:<port> */
  readonly url: string;
  /** How many SSO tokens the token endpoint has minted so far. */
  tokensMinted(): number;
  stop(): Promise<void>;
}

/** The host page's own styles: hostile to anything embedded (they must not reach the widget). */
const HOSTILE_CSS = `
  * { font-size: 40px; color: red; line-height: 3; letter-spacing: 2px; font-family: serif; }
  button { background: yellow; border: 4px dashed green; }
  ul, li { list-style: square; margin: 20px; padding: 20px; }
  .button { text-transform: uppercase; }
`;

function page(chatServer: string, withWidget: boolean): string {
  const widget = withWidget
    ? `<script type="module" src="${chatServer}/widget/parley-chat.js"></script>
    <parley-chat server="${chatServer}" token-endpoint="/parley-token"></parley-chat>`
    : '';
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Host site</title>
    <link rel="stylesheet" href="/host.css" />
  </head>
  <body>
    <header><p>Host site</p></header>
    <main>
      <h1>The host's own page</h1>
      <p class="visually-hidden" data-testid="host-text">Some of the host's own text.</p>
      <button type="button" class="button" data-testid="host-button">A host button</button>
    </main>
    ${widget}
  </body>
</html>`;
}

/** The CSP a host page needs for the widget (INTEGRATION.md), with the host's own 'self'. */
function contentSecurityPolicy(chatServer: string): string {
  const socket = chatServer.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    `script-src 'self' ${chatServer}`,
    `connect-src 'self' ${chatServer} ${socket}`,
    `img-src 'self' data: https: ${chatServer}`,
    "style-src 'self' 'unsafe-inline'",
    "object-src 'none'",
  ].join('; ');
}

function signedInUser(req: IncomingMessage, users: ReadonlyMap<string, HostUser>): HostUser | undefined {
  const match = /(?:^|;\s*)host_session=([\w-]+)/.exec(req.headers.cookie ?? '');
  return match ? users.get(match[1]!) : undefined;
}

async function mintSsoToken(user: HostUser, secret: string): Promise<string> {
  return new SignJWT({ preferred_username: user.username, given_name: user.firstName, family_name: user.lastName, email: user.email })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(user.id)
    .setIssuedAt()
    .setJti(randomUUID())
    .setExpirationTime('2m')
    .sign(new TextEncoder().encode(secret));
}

export async function startHostSite(options: { chatServer: () => string; ssoSecret: string; users: readonly HostUser[] }): Promise<HostSite> {
  const users = new Map(options.users.map((user) => [user.username, user]));
  let minted = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/sign-in') {
      const user = users.get(url.searchParams.get('as') ?? '');
      if (!user) return void res.writeHead(404).end();
      res.writeHead(303, { 'Set-Cookie': `host_session=${user.username}; Path=/; HttpOnly; SameSite=Lax`, Location: '/' }).end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/parley-token') {
      const user = signedInUser(req, users);
      if (!user) return void res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"not signed in"}');
      const token = await mintSsoToken(user, options.ssoSecret);
      minted++;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify({ token }));
      return;
    }
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    if (req.method === 'GET' && url.pathname === '/host.css') {
      res.writeHead(200, { 'Content-Type': 'text/css' }).end(HOSTILE_CSS);
      return;
    }
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/plain')) {
      const chatServer = options.chatServer();
      res
        .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': contentSecurityPolicy(chatServer) })
        .end(page(chatServer, url.pathname === '/'));
      return;
    }
    res.writeHead(404).end();
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return {
    url: `http://localhost:${address.port}`,
    tokensMinted: () => minted,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
