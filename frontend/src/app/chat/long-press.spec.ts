import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { LONG_PRESS_MS, LongPress } from './long-press';

@Component({
  imports: [LongPress],
  template: `<button type="button" (appLongPress)="presses.set(presses() + 1)" (click)="clicks.set(clicks() + 1)">Hold me</button>`,
})
class Host {
  readonly presses = signal(0);
  readonly clicks = signal(0);
}

describe('LongPress', () => {
  let host: Host;
  let button: HTMLButtonElement;
  const pointer = (type: string, pointerType: string, x = 10, y = 10) =>
    button.dispatchEvent(new PointerEvent(type, { pointerType, clientX: x, clientY: y, bubbles: true, cancelable: true }));

  beforeEach(() => {
    jasmine.clock().install();
    const fixture = TestBed.createComponent(Host);
    fixture.detectChanges();
    host = fixture.componentInstance;
    button = fixture.nativeElement.querySelector('button');
  });

  afterEach(() => jasmine.clock().uninstall());

  it('fires when a finger rests for the long-press time, and holds back the click and menu that follow', () => {
    pointer('pointerdown', 'touch');
    jasmine.clock().tick(LONG_PRESS_MS - 1);
    expect(host.presses()).toBe(0);
    jasmine.clock().tick(1);
    expect(host.presses()).toBe(1);

    const menu = new MouseEvent('contextmenu', { bubbles: true, cancelable: true });
    button.dispatchEvent(menu);
    expect(menu.defaultPrevented).toBeTrue();
    pointer('pointerup', 'touch');
    button.click();
    expect(host.clicks()).toBe(0);

    // The next tap is an ordinary click again.
    pointer('pointerdown', 'touch');
    pointer('pointerup', 'touch');
    button.click();
    expect(host.clicks()).toBe(1);
  });

  it('does not fire for a short tap, a finger that moves (a scroll), or a mouse', () => {
    pointer('pointerdown', 'touch');
    jasmine.clock().tick(200);
    pointer('pointerup', 'touch');
    jasmine.clock().tick(LONG_PRESS_MS);

    pointer('pointerdown', 'touch');
    pointer('pointermove', 'touch', 10, 40);
    jasmine.clock().tick(LONG_PRESS_MS);

    pointer('pointerdown', 'mouse');
    jasmine.clock().tick(LONG_PRESS_MS);
    expect(host.presses()).toBe(0);
  });
});
