import { TestBed } from '@angular/core/testing';
import { COARSE_POINTER_QUERY, ChatLayoutService, MAX_OPEN_BOXES, NARROW_QUERY } from './chat-layout.service';

/** Media queries that always / never match, whatever the test window's size. */
const ALWAYS = '(min-width: 0px)';
const NEVER = '(max-width: 0px)';

describe('ChatLayoutService on a wide screen', () => {
  let layout: ChatLayoutService;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [{ provide: NARROW_QUERY, useValue: NEVER }] });
    layout = TestBed.inject(ChatLayoutService);
    window.dispatchEvent(new Event('focus'));
  });

  it('opens up to three boxes, replacing the oldest one that is not active', () => {
    ['a', 'b', 'c'].forEach((id) => layout.show(id));
    expect(layout.openIds()).toEqual(['a', 'b', 'c']);
    layout.activate('a');
    layout.show('d');
    expect(layout.openIds().length).toBe(MAX_OPEN_BOXES);
    expect(layout.openIds()).toEqual(['a', 'c', 'd']);
    expect(layout.activeId()).toBe('d');
  });

  it('brings back the boxes open at the last visit, without taking focus, at most three', () => {
    layout.restore(['a', 'b', 'c', 'd']);
    expect(layout.openIds()).toEqual(['b', 'c', 'd']);
    expect(layout.activeId()).toBe('d');
    expect(layout.focusRequest()).toBeNull();
  });

  it('pops a box up for a new message only while there is room', () => {
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
    layout.show('a');
    layout.show('b');
    layout.close('b');
    expect(layout.openIds()).toEqual(['a']);
    expect(layout.activeId()).toBe('a');
    expect(layout.isVisible('a')).toBeTrue();
    expect(layout.isVisible('b')).toBeFalse();
  });

  it('does not pop up a box the user closed, until they open it again', () => {
    layout.show('a');
    layout.show('b');
    layout.dismiss('b');
    expect(layout.openIds()).toEqual(['a']);
    expect(layout.popUp('b')).toBeFalse();
    expect(layout.openIds()).toEqual(['a']);
    layout.close('a');
    expect(layout.popUp('a')).toBeTrue();
    layout.show('b');
    layout.close('b');
    expect(layout.popUp('b')).toBeTrue();
    expect(layout.openIds()).toEqual(['a', 'b']);
  });

  it('shows nothing to read while the window has no focus or the tab is hidden', () => {
    layout.show('a');
    expect(layout.isVisible('a')).toBeTrue();
    window.dispatchEvent(new Event('blur'));
    expect(layout.attentive()).toBeFalse();
    expect(layout.isVisible('a')).toBeFalse();
    window.dispatchEvent(new Event('focus'));
    expect(layout.isVisible('a')).toBeTrue();
  });
});

describe('ChatLayoutService on a narrow screen', () => {
  let layout: ChatLayoutService;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [{ provide: NARROW_QUERY, useValue: ALWAYS }] });
    layout = TestBed.inject(ChatLayoutService);
    window.dispatchEvent(new Event('focus'));
  });

  it('shows only the chosen chat and goes back to the lists', () => {
    expect(layout.narrow()).toBeTrue();
    layout.show('a');
    layout.show('b');
    expect(layout.visibleIds()).toEqual(['b']);
    layout.back('b');
    expect(layout.visibleIds()).toEqual([]);
    expect(layout.activeId()).toBeNull();
  });

  it('badges new messages instead of popping boxes over the lists', () => {
    expect(layout.popUp('a')).toBeFalse();
    expect(layout.openIds()).toEqual([]);
  });
});

describe('ChatLayoutService: whether opening a chat focuses its message field', () => {
  const layoutWith = (narrow: string, coarse: string) => {
    TestBed.configureTestingModule({
      providers: [
        { provide: NARROW_QUERY, useValue: narrow },
        { provide: COARSE_POINTER_QUERY, useValue: coarse },
      ],
    });
    return TestBed.inject(ChatLayoutService);
  };

  it('does on a wide screen with a mouse', () => {
    expect(layoutWith(NEVER, NEVER).focusComposerOnOpen()).toBeTrue();
  });

  it('does not on a touch screen, however wide: the keyboard would cover the chat', () => {
    expect(layoutWith(NEVER, ALWAYS).focusComposerOnOpen()).toBeFalse();
  });

  it('does not on a narrow screen', () => {
    expect(layoutWith(ALWAYS, NEVER).focusComposerOnOpen()).toBeFalse();
  });
});
