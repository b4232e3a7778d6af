import { HttpErrorResponse } from '@angular/common/http';
import { TimeoutError } from 'rxjs';
import { refreshFailure } from './refresh-failure';

describe('refreshFailure', () => {
  const http = (status: number) => new HttpErrorResponse({ status, url: '/api/auth/refresh' });

  it('reads 401 and 403 as a session the server refused', () => {
    expect(refreshFailure(http(401))).toBe('refused');
    expect(refreshFailure(http(403))).toBe('refused');
  });

  it('reads no answer, a gateway error and a timeout as an unreachable server', () => {
    for (const status of [0, 502, 503, 504]) expect(refreshFailure(http(status))).withContext(`${status}`).toBe('unreachable');
    expect(refreshFailure(new TimeoutError())).toBe('unreachable');
  });

  it('reads anything else as neither', () => {
    expect(refreshFailure(http(400))).toBe('other');
    expect(refreshFailure(http(500))).toBe('other');
    expect(refreshFailure(new Error('boom'))).toBe('other');
    expect(refreshFailure(undefined)).toBe('other');
  });
});
