import { OnScreenMessages } from './on-screen-messages';

/** Lets the browser lay out and deliver the observer's reports. */
async function afterFrames(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 10)));
}

describe('OnScreenMessages', () => {
  let root: HTMLElement;
  let onScreen: OnScreenMessages;

  beforeEach(() => {
    root = document.createElement('div');
    root.style.cssText = 'height: 200px; overflow-y: auto;';
    for (let i = 1; i <= 10; i++) {
      const message = document.createElement('div');
      message.dataset['messageId'] = `m${i}`;
      message.style.height = '100px';
      root.append(message);
    }
    document.body.append(root);
    onScreen = new OnScreenMessages(root);
  });

  afterEach(() => {
    onScreen.disconnect();
    root.remove();
  });

  it('knows which messages are on screen, at least half of each, as the list scrolls', async () => {
    await afterFrames();
    expect([...onScreen.ids()].sort()).toEqual(['m1', 'm2']);
    root.scrollTop = 950;
    await afterFrames();
    expect([...onScreen.ids()].sort()).toEqual(['m10', 'm9']);
    root.scrollTop = 140;
    await afterFrames();
    // m2 shows 60 of its 100 px, m3 all, m4 only 40.
    expect([...onScreen.ids()].sort()).toEqual(['m2', 'm3']);
  });

  it('counts a message taller than the list once it fills half of it, and forgets removed ones', async () => {
    root.querySelector<HTMLElement>('[data-message-id="m1"]')!.style.height = '1000px';
    onScreen.restart();
    await afterFrames();
    expect([...onScreen.ids()]).toEqual(['m1']);
    root.querySelector('[data-message-id="m1"]')!.remove();
    await afterFrames();
    expect([...onScreen.ids()].sort()).toEqual(['m2', 'm3']);
  });
});
