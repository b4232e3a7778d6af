import { safeReturnUrl } from './safe-return-url';

describe('safeReturnUrl', () => {
  it('follows paths on this site', () => {
    expect(safeReturnUrl('/?chat=1')).toBe('/?chat=1');
  });

  it('refuses other sites and loops back to the login page', () => {
    expect(safeReturnUrl('//evil.example/x')).toBe('/');
    expect(safeReturnUrl('https://evil.example')).toBe('/');
    expect(safeReturnUrl('/\\evil.example')).toBe('/');
    expect(safeReturnUrl('/login?returnUrl=/')).toBe('/');
    expect(safeReturnUrl(null)).toBe('/');
  });
});
