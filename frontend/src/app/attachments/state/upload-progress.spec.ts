import { NO_UPLOADS, percentDone, uploadEnded, uploadProgressed, uploadStarted } from './upload-progress';

describe('upload progress', () => {
  it('starts at nothing sent and follows the bytes sent', () => {
    let uploads = uploadStarted(NO_UPLOADS, 'f1', 2000);
    expect(uploads['f1']).toEqual({ loaded: 0, total: 2000 });
    uploads = uploadProgressed(uploads, 'f1', 500);
    expect(percentDone(uploads['f1'])).toBe(25);
    uploads = uploadProgressed(uploads, 'f1', 2000);
    expect(percentDone(uploads['f1'])).toBe(100);
  });

  it('never goes backwards or past the total', () => {
    let uploads = uploadProgressed(uploadStarted(NO_UPLOADS, 'f1', 1000), 'f1', 600);
    expect(uploadProgressed(uploads, 'f1', 300)).toBe(uploads);
    uploads = uploadProgressed(uploads, 'f1', 5000);
    expect(uploads['f1']).toEqual({ loaded: 1000, total: 1000 });
  });

  it('takes the total the browser reports (the multipart body is a little larger than the file)', () => {
    const uploads = uploadProgressed(uploadStarted(NO_UPLOADS, 'f1', 1000), 'f1', 520, 1040);
    expect(uploads['f1']).toEqual({ loaded: 520, total: 1040 });
    expect(percentDone(uploads['f1'])).toBe(50);
  });

  it('ignores progress of an upload that ended or never started', () => {
    const uploads = uploadEnded(uploadStarted(NO_UPLOADS, 'f1', 1000), 'f1');
    expect(uploads).toEqual({});
    expect(uploadProgressed(uploads, 'f1', 10)).toBe(uploads);
    expect(uploadEnded(uploads, 'f1')).toBe(uploads);
  });

  it('counts an unknown total as nothing done', () => {
    expect(percentDone(undefined)).toBe(0);
    expect(percentDone({ loaded: 10, total: 0 })).toBe(0);
  });
});
