import { serverBase, socketPath, tokenFromAnswer } from './server-base';

describe('serverBase', () => {
  const page = 'https://www.host.example/shop/cart';

  it('keeps an http(s) origin and path prefix, without a trailing slash', () => {
    expect(serverBase('https://chat.example', page)).toBe('https://chat.example');
    expect(serverBase('https://chat.example/', page)).toBe('https://chat.example');
    expect(serverBase('http://127.0.0.1:3000/parley/', page)).toBe('http://127.0.0.1:3000/parley');
  });

  it('reads a relative address against the host page', () => {
    expect(serverBase('/chat', page)).toBe('https://www.host.example/chat');
  });

  it('refuses nothing, other schemes and credentials in the URL', () => {
    expect(serverBase(null, page)).toBeNull();
    expect(serverBase('  ', page)).toBeNull();
    expect(serverBase('javascript:alert(1)', page)).toBeNull();
    expect(serverBase('ftp://chat.example', page)).toBeNull();
    expect(serverBase('https://user:pw@chat.example', page)).toBeNull();
    expect(serverBase('http://[bad', page)).toBeNull();
  });
});

describe('socketPath', () => {
  it('puts socket.io under the server path prefix', () => {
    expect(socketPath('https://chat.example')).toBe('/socket.io');
    expect(socketPath('https://chat.example/parley')).toBe('/parley/socket.io');
  });
});

describe('tokenFromAnswer', () => {
  it('reads {"token": "…"}', () => {
    expect(tokenFromAnswer({ token: 'a.b.c' })).toBe('a.b.c');
  });

  it('finds nothing in other answers', () => {
    expect(tokenFromAnswer(null)).toBeNull();
    expect(tokenFromAnswer('a.b.c')).toBeNull();
    expect(tokenFromAnswer({ token: '' })).toBeNull();
    expect(tokenFromAnswer({ token: 42 })).toBeNull();
    expect(tokenFromAnswer({ token: 'x'.repeat(8193) })).toBeNull();
  });
});
