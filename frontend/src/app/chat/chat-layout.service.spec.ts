import { TestBed } from '@angular/core/testing';
import { ChatLayoutService, MAX_OPEN_BOXES } from './chat-layout.service';

describe('ChatLayoutService', () => {
  let layout: ChatLayoutService;

  beforeEach(() => {
    layout = TestBed.inject(ChatLayoutService);
  });

  it('opens up to three boxes, replacing the oldest one that is not active', () => {
    if (layout.narrow()) pending('needs a wide window');
    ['a', 'b', 'c'].forEach((id) => layout.show(id));
    expect(layout.openIds()).toEqual(['a', 'b', 'c']);
    layout.activate('a');
    layout.show('d');
    expect(layout.openIds().length).toBe(MAX_OPEN_BOXES);
    expect(layout.openIds()).toEqual(['a', 'c', 'd']);
    expect(layout.activeId()).toBe('d');
  });

  it('pops a box up for a new message only while there is room', () => {
    if (layout.narrow()) pending('needs a wide window');
    layout.show('a');
    expect(layout.popUp('b')).toBeTrue();
    expect(layout.popUp('c')).toBeTrue();
    expect(layout.popUp('d')).toBeFalse();
    expect(layout.openIds()).toEqual(['a', 'b', 'c']);
    expect(layout.activeId()).toBe('a');
  });

  it('asks the box the user chose to take focus', () => {
    layout.show('a');
    const first = layout.focusRequest();
    layout.show('a');
    expect(layout.focusRequest()!.chatId).toBe('a');
    expect(layout.focusRequest()!.ticket).toBeGreaterThan(first!.ticket);
  });

  it('closes boxes and moves attention to the last one left', () => {
    if (layout.narrow()) pending('needs a wide window');
    layout.show('a');
    layout.show('b');
    layout.close('b');
    expect(layout.openIds()).toEqual(['a']);
    expect(layout.activeId()).toBe('a');
    expect(layout.isVisible('a')).toBeTrue();
    expect(layout.isVisible('b')).toBeFalse();
  });
});
