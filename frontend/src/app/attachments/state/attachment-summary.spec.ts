import { attachmentSummary, messageLine } from './attachment-summary';

describe('attachmentSummary', () => {
  const picture = { name: 'a.png', kind: 'image' as const };
  const file = { name: 'plan.pdf', kind: 'file' as const };

  it('is empty without attachments', () => {
    expect(attachmentSummary([])).toBe('');
    expect(attachmentSummary(undefined)).toBe('');
  });

  it('names one picture or one file', () => {
    expect(attachmentSummary([picture])).toBe('📷 Picture');
    expect(attachmentSummary([file])).toBe('📎 plan.pdf');
  });

  it('counts several', () => {
    expect(attachmentSummary([picture, picture])).toBe('📷 2 pictures');
    expect(attachmentSummary([file, file, file])).toBe('📎 3 files');
    expect(attachmentSummary([picture, file])).toBe('📎 2 attachments');
  });
});

describe('messageLine', () => {
  it('prefers the text, and names the attachments of a message without one', () => {
    expect(messageLine('look at this', [{ name: 'a.png', kind: 'image' }])).toBe('look at this');
    expect(messageLine('', [{ name: 'a.png', kind: 'image' }])).toBe('📷 Picture');
    expect(messageLine('', [])).toBe('');
  });
});
