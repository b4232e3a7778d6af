import { mentionQueryAt, mentionSuggestions, moveActive, pickMention } from './mention-query';
import type { Mentionable } from './mention-text';

describe('mention autocomplete', () => {
  const people: Mentionable[] = [
    { id: 'u1', name: 'Bruno Costa', username: 'bruno' },
    { id: 'u2', name: 'Ana Lima', username: 'ana_l' },
    { id: 'u3', name: 'Élodie Brun', username: 'elo' },
    { id: 'u4', name: 'Carla Dias', username: 'cd' },
  ];

  it('finds the @ being typed at the caret, at the start or after a space or line break', () => {
    expect(mentionQueryAt('@br', 3)).toEqual({ start: 0, query: 'br' });
    expect(mentionQueryAt('hi @', 4)).toEqual({ start: 3, query: '' });
    expect(mentionQueryAt('line\n@An', 8)).toEqual({ start: 5, query: 'An' });
    expect(mentionQueryAt('hi @Ana Li', 10)).toEqual({ start: 3, query: 'Ana Li' });
    expect(mentionQueryAt('hi @Ana Lima and more', 7)).toEqual({ start: 3, query: 'Ana' });
  });

  it('finds none in an address, without an @, across a line break, or after two spaces', () => {
    expect(mentionQueryAt('ana@example', 11)).toBeNull();
    expect(mentionQueryAt('hello', 5)).toBeNull();
    expect(mentionQueryAt('@ana\nbye', 8)).toBeNull();
    expect(mentionQueryAt('@ana  x', 7)).toBeNull();
    expect(mentionQueryAt('@ ana', 5)).toBeNull();
  });

  it('filters by name and username, prefix matches first, ignoring case and accents', () => {
    expect(mentionSuggestions(people, 'br').map((p) => p.id)).toEqual(['u1', 'u3']);
    expect(mentionSuggestions(people, 'ELO').map((p) => p.id)).toEqual(['u3']);
    expect(mentionSuggestions(people, 'elodie b').map((p) => p.id)).toEqual(['u3']);
    expect(mentionSuggestions(people, 'ana_').map((p) => p.id)).toEqual(['u2']);
    expect(mentionSuggestions(people, 'dias').map((p) => p.id)).toEqual(['u4']);
    expect(mentionSuggestions(people, 'zz')).toEqual([]);
    expect(mentionSuggestions(people, '').map((p) => p.id)).toEqual(['u2', 'u1', 'u4', 'u3']);
    expect(mentionSuggestions(people, '', 2).length).toBe(2);
  });

  it('puts the picked name in place of what was typed, and the caret after it', () => {
    const text = 'hi @br, see you';
    const mention = mentionQueryAt(text, 6)!;
    expect(pickMention(text, mention, 6, people[0]!)).toEqual({ text: 'hi @Bruno Costa , see you', caret: 16 });
    expect(pickMention('@a', { start: 0, query: 'a' }, 2, people[1]!)).toEqual({ text: '@Ana Lima ', caret: 10 });
  });

  it('moves the active option with the arrows, wrapping, and Home/End', () => {
    expect(moveActive(0, 3, 'ArrowDown')).toBe(1);
    expect(moveActive(2, 3, 'ArrowDown')).toBe(0);
    expect(moveActive(0, 3, 'ArrowUp')).toBe(2);
    expect(moveActive(1, 3, 'Home')).toBe(0);
    expect(moveActive(0, 3, 'End')).toBe(2);
    expect(moveActive(0, 0, 'ArrowDown')).toBe(-1);
  });
});
