import { focusedElement } from './focused-element';

describe('focusedElement', () => {
  let host: HTMLElement;

  beforeEach(() => {
    host = document.createElement('div');
    document.body.append(host);
  });
  afterEach(() => host.remove());

  it('finds the focused element inside an open shadow root, where document.activeElement is only its host', () => {
    const root = host.attachShadow({ mode: 'open' });
    const button = document.createElement('button');
    root.append(button);
    button.focus();
    expect(document.activeElement).toBe(host);
    expect(focusedElement()).toBe(button);
  });

  it('is document.activeElement outside shadow roots', () => {
    const input = document.createElement('input');
    host.append(input);
    input.focus();
    expect(focusedElement()).toBe(input);
  });
});
