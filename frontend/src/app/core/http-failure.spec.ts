import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { httpFailure } from './http-failure';

describe('httpFailure', () => {
  it('reads the wire error with its per-field messages', () => {
    const failure = httpFailure(
      new HttpErrorResponse({
        status: 400,
        error: { error: { code: 'validation_failed', message: 'Invalid input', fields: { email: 'must be a valid email address' } } },
      }),
    );
    expect(failure.status).toBe(400);
    expect(failure.error.code).toBe('validation_failed');
    expect(failure.error.fields).toEqual({ email: 'must be a valid email address' });
  });

  it('reads Retry-After in seconds', () => {
    const failure = httpFailure(
      new HttpErrorResponse({
        status: 429,
        headers: new HttpHeaders({ 'Retry-After': '42' }),
        error: { error: { code: 'rate_limited', message: 'Slow down' } },
      }),
    );
    expect(failure.retryAfterSeconds).toBe(42);
    expect(failure.error.code).toBe('rate_limited');
  });

  it('describes an unreachable server', () => {
    const failure = httpFailure(new HttpErrorResponse({ status: 0, error: new ProgressEvent('error') }));
    expect(failure.status).toBe(0);
    expect(failure.error.message).toContain('Cannot reach the server');
    expect(failure.retryAfterSeconds).toBeNull();
  });
});
