import { tooBig, uploadProblem } from './upload-problem';

describe('uploadProblem', () => {
  const max = 25 * 1024 * 1024;

  it('says a file is too big, with the limit, and gives up on it', () => {
    const problem = uploadProblem({ status: 413, code: 'payload_too_large' }, 'film.mov', max);
    expect(problem).toEqual({ text: '“film.mov” is too big to send: files can be at most 25 MB.', final: true });
    const configured = uploadProblem({ status: 413, code: 'payload_too_large', message: 'A file may be at most 2097152 bytes' }, 'a.bin', max);
    expect(configured.text).toBe('“a.bin” is too big to send: files can be at most 2 MB.');
    expect(tooBig('a.bin', 1024)).toBe('“a.bin” is too big to send: files can be at most 1 KB.');
  });

  it('explains the daily allowance in plain words', () => {
    const problem = uploadProblem({ status: 429, code: 'quota_exceeded', message: 'Upload quota exceeded.' }, 'a.png', max);
    expect(problem.final).toBeTrue();
    expect(problem.text).toContain('today’s upload allowance');
  });

  it('tells a picture with too many pixels from the daily allowance', () => {
    const problem = uploadProblem(
      { status: 422, code: 'limit_exceeded', message: 'Input image exceeds pixel limit', fields: { file: 'has too many pixels' } },
      'bomb.png',
      max,
    );
    expect(problem).toEqual({ text: '“bomb.png” was not sent: the picture is too large (too many pixels).', final: true });
    expect(uploadProblem({ status: 429, code: 'limit_exceeded', message: 'You may upload at most 5 bytes a day' }, 'a.png', max).text).toContain(
      'allowance',
    );
  });

  it('refuses unsupported types for good', () => {
    const problem = uploadProblem({ status: 415, code: 'validation_failed' }, 'page.html', max);
    expect(problem).toEqual({ text: '“page.html” was not sent: that kind of file is not accepted.', final: true });
  });

  it('tries again after a lost connection, a busy server or a rate limit', () => {
    expect(uploadProblem({ status: 0 }, 'a.png', max).final).toBeFalse();
    expect(uploadProblem({ status: 0 }, 'a.png', max).text).toContain('connection was lost');
    expect(uploadProblem({ status: 503, code: 'store_unavailable' }, 'a.png', max).final).toBeFalse();
    expect(uploadProblem({ status: 429, code: 'rate_limited' }, 'a.png', max).final).toBeFalse();
  });

  it('asks for a fresh token on 401', () => {
    expect(uploadProblem({ status: 401, code: 'unauthenticated' }, 'a.png', max)).toEqual(
      jasmine.objectContaining({ final: false, reauthenticate: true }),
    );
  });

  it('passes on the server’s reason for any other refusal', () => {
    const problem = uploadProblem({ status: 400, code: 'validation_failed', message: 'The picture is too large in pixels.' }, 'huge.png', max);
    expect(problem).toEqual({ text: '“huge.png” was not sent: The picture is too large in pixels.', final: true });
    expect(uploadProblem({ status: 400 }, 'x', max).text).toBe('“x” was not sent.');
  });
});
