import type { Attachment } from '@shared';
import { aMessage } from '../../core/testing/chat-fixtures';
import { chatPictures, pictureStep } from './chat-pictures';

describe('chatPictures', () => {
  const image = (id: string): Attachment => ({ id, name: `${id}.png`, size: 10, mime: 'image/png', kind: 'image', width: 4, height: 3 });
  const pdf: Attachment = { id: 'doc', name: 'doc.pdf', size: 10, mime: 'application/pdf', kind: 'file' };

  it('lists the pictures of every message in order, leaving out files and deleted messages', () => {
    const messages = [
      aMessage('c', 1, 'u', { attachments: [image('p1'), pdf, image('p2')] }),
      aMessage('c', 2, 'u', { attachments: [image('gone')], deletedAt: '2026-03-02T10:00:00.000Z' }),
      aMessage('c', 3, 'u'),
      aMessage('c', 4, 'u', { attachments: [image('p3')] }),
    ];
    expect(chatPictures(messages).map((p) => [p.attachment.id, p.messageId])).toEqual([
      ['p1', 'c-m1'],
      ['p2', 'c-m1'],
      ['p3', 'c-m4'],
    ]);
  });

  it('reads messages kept from before attachments existed as having none', () => {
    const old = { ...aMessage('c', 1, 'u') } as Partial<ReturnType<typeof aMessage>>;
    delete old.attachments;
    expect(chatPictures([old as ReturnType<typeof aMessage>])).toEqual([]);
  });
});

describe('pictureStep', () => {
  it('steps with the arrows and stops at the ends', () => {
    expect(pictureStep(1, 3, 'ArrowRight')).toBe(2);
    expect(pictureStep(2, 3, 'ArrowRight')).toBe(2);
    expect(pictureStep(1, 3, 'ArrowLeft')).toBe(0);
    expect(pictureStep(0, 3, 'ArrowLeft')).toBe(0);
  });

  it('jumps to the ends with Home and End, and ignores other keys', () => {
    expect(pictureStep(1, 3, 'Home')).toBe(0);
    expect(pictureStep(1, 3, 'End')).toBe(2);
    expect(pictureStep(1, 3, 'Enter')).toBeNull();
    expect(pictureStep(0, 0, 'ArrowRight')).toBeNull();
  });
});
