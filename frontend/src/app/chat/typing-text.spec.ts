import { typingText } from './typing-text';

describe('typingText', () => {
  it('names one or two people and counts more', () => {
    expect(typingText([])).toBe('');
    expect(typingText(['Ana'])).toBe('Ana is typing…');
    expect(typingText(['Ana', 'Bo'])).toBe('Ana and Bo are typing…');
    expect(typingText(['Ana', 'Bo', 'Cy'])).toBe('3 people are typing…');
  });
});
