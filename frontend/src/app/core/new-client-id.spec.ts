import { clientIdSchema, newClientId } from '@shared';

describe('newClientId', () => {
  const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('returns distinct UUID v7 strings the send schema accepts', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newClientId()));
    expect(ids.size).toBe(50);
    for (const id of ids) {
      expect(id).toMatch(uuidV7);
      expect(clientIdSchema.safeParse(id).success).toBe(true);
    }
  });

  it('starts with the time in milliseconds, so later ids sort after earlier ones', () => {
    const at = Date.UTC(2026, 10, 21, 12, 0, 0, 123);
    const id = newClientId(at);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    expect(newClientId(at + 1) > id).toBe(true);
    expect(newClientId(at - 1) < id).toBe(true);
  });

  it('works where crypto.randomUUID is unavailable (plain http outside localhost)', () => {
    const original = crypto.randomUUID;
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      expect(newClientId()).toMatch(uuidV7);
    } finally {
      Object.defineProperty(crypto, 'randomUUID', { value: original, configurable: true });
    }
  });
});
