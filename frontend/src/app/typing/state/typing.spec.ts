import { setTyping } from './typing';

describe('setTyping', () => {
  it('adds and removes people typing in a chat, and changes nothing when nothing changed', () => {
    const one = setTyping({}, 'chat-1', 'user-bruno', true);
    const two = setTyping(one, 'chat-1', 'user-carla', true);
    expect(two).toEqual({ 'chat-1': ['user-bruno', 'user-carla'] });
    expect(setTyping(two, 'chat-1', 'user-bruno', true)).toBe(two);
    expect(setTyping(two, 'chat-1', 'user-bruno', false)).toEqual({ 'chat-1': ['user-carla'] });
    expect(setTyping({}, 'chat-1', 'user-bruno', false)).toEqual({});
  });
});
