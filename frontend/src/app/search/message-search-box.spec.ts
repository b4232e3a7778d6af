import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { aChat, aSelfUser, aUser } from '../core/testing/chat-fixtures';
import { FakeSocket } from '../core/testing/fake-socket';
import { aHit } from '../core/testing/search-fixtures';
import { chatTestProviders, signIn } from '../core/testing/signed-in';
import { settle } from '../core/testing/wait';
import { Announcer } from '../chat/announcer';
import { ChatLayoutService } from '../chat/chat-layout.service';
import { MessageJumps } from '../chat/message-jumps.service';
import { MessageSearchBox } from './message-search-box';
import { MessageSearch } from './message-search.service';

describe('MessageSearchBox', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  let fixture: ComponentFixture<MessageSearchBox>;
  let element: HTMLElement;
  let socket: FakeSocket;

  beforeEach(async () => {
    socket = new FakeSocket();
    TestBed.configureTestingModule({ providers: chatTestProviders(socket) });
    await signIn(socket, me, {
      users: [bruno],
      chats: [aChat('ops', [me.id, bruno.id], { kind: 'group', name: 'Ops' }), aChat('dm', [me.id, bruno.id])],
    });
    fixture = TestBed.createComponent(MessageSearchBox);
    element = fixture.nativeElement;
    await fixture.whenStable();
  });

  const input = () => element.querySelector<HTMLInputElement>('[data-testid="message-search-input"]')!;
  const hits = () => Array.from(element.querySelectorAll<HTMLElement>('[data-testid="search-hit"]'));
  const searches = () => socket.emitsOf('message:search');
  const type = (text: string) => {
    input().value = text;
    input().dispatchEvent(new Event('input'));
  };
  const press = (key: string, init: KeyboardEventInit = {}, target: EventTarget = input()) => {
    const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
    target.dispatchEvent(event);
    return event;
  };
  const answer = async (index: number, hits: ReturnType<typeof aHit>[], next: string | null = null) => {
    searches()[index]!.ack!({ ok: true, data: { hits, next } });
    await settle();
    await fixture.whenStable();
  };

  it('searches on Enter and shows the hits grouped by chat, each chat by name, the matches marked', async () => {
    type('deploy');
    press('Enter');
    await fixture.whenStable();
    expect(searches().length).toBe(1);
    expect(searches()[0]!.payload).toEqual({ query: 'deploy', limit: 20 });
    expect(element.textContent).toContain('Searching…');

    await answer(0, [
      aHit('m3', 'ops', { senderId: bruno.id, snippet: { text: '<b>we</b> redeployed', ranges: [{ start: 12, end: 18 }] } }),
      aHit('m2', 'dm', { chatKind: 'direct', chatName: null, peerId: bruno.id, senderId: me.id }),
      aHit('m1', 'ops', { senderId: null }),
    ]);

    const groups = Array.from(element.querySelectorAll<HTMLElement>('[data-testid="search-group"]'));
    expect(groups.map((group) => group.getAttribute('aria-label'))).toEqual(['Ops', 'Bruno Tester']);
    expect(hits().map((hit) => hit.dataset['messageId'])).toEqual(['m3', 'm1', 'm2']);
    expect(hits().map((hit) => hit.querySelector('.sender')!.textContent)).toEqual(['Bruno Tester', 'Deleted account', 'You']);

    const snippet = hits()[0]!.querySelector('[data-testid="search-snippet"]')!;
    expect(snippet.querySelector('b')).toBeNull();
    expect(snippet.textContent).toBe('<b>we</b> redeployed');
    expect(Array.from(snippet.querySelectorAll('mark')).map((mark) => mark.textContent)).toEqual(['deploy']);
    expect(input().getAttribute('aria-expanded')).toBe('true');
    expect(TestBed.inject(Announcer).text()).toBe('3 messages found in 2 chats.');
  });

  it('searches after a pause in typing, and only the latest answer counts', async () => {
    jasmine.clock().install();
    type('dep');
    jasmine.clock().tick(100);
    type('deploy');
    jasmine.clock().tick(299);
    expect(searches().length).toBe(0);
    jasmine.clock().tick(1);
    expect(searches().map((search) => search.payload.query)).toEqual(['deploy']);
    jasmine.clock().uninstall();

    type('deploy fri');
    press('Enter');
    await answer(1, [aHit('new')]);
    await answer(0, [aHit('stale')]);
    expect(hits().map((hit) => hit.dataset['messageId'])).toEqual(['new']);
  });

  it('moves through the hits with the arrow keys and opens the active one at the message with Enter', async () => {
    type('deploy');
    press('Enter');
    await answer(0, [aHit('m2', 'ops'), aHit('m1', 'dm', { chatKind: 'direct', chatName: null, peerId: bruno.id })]);

    expect(press('ArrowDown').defaultPrevented).toBeTrue();
    await fixture.whenStable();
    expect(input().getAttribute('aria-activedescendant')).toBe('search-hit-m2');
    press('ArrowDown');
    await fixture.whenStable();
    expect(input().getAttribute('aria-activedescendant')).toBe('search-hit-m1');
    expect(hits().map((hit) => hit.getAttribute('aria-selected'))).toEqual(['false', 'true']);

    press('Enter');
    await fixture.whenStable();
    expect(TestBed.inject(ChatLayoutService).openIds()).toEqual(['dm']);
    expect(TestBed.inject(MessageJumps).pending()).toEqual({ chatId: 'dm', messageId: 'm1' });
    expect(searches().length).toBe(1);
  });

  it('loads the next page with the cursor, and the button goes on the last page', async () => {
    type('deploy');
    press('Enter');
    await answer(0, [aHit('m3'), aHit('m2')], 'cursor-1');
    element.querySelector<HTMLButtonElement>('[data-testid="search-more"]')!.click();
    await fixture.whenStable();
    expect(searches()[1]!.payload).toEqual({ query: 'deploy', limit: 20, before: 'cursor-1' });
    await answer(1, [aHit('m1')]);
    expect(hits().map((hit) => hit.dataset['messageId'])).toEqual(['m3', 'm2', 'm1']);
    expect(element.querySelector('[data-testid="search-more"]')).toBeNull();
    expect(document.activeElement === input() || !document.hasFocus()).toBeTrue();
  });

  it('says so in plain words when nothing matches, and when the query cannot be run', async () => {
    type('zebra');
    press('Enter');
    await answer(0, []);
    expect(element.querySelector('[data-testid="search-empty"]')!.textContent!.trim()).toBe('No messages match “zebra”.');
    expect(input().getAttribute('aria-expanded')).toBe('false');

    type('from:');
    press('Enter');
    searches()[1]!.ack!({
      ok: false,
      error: { code: 'validation_failed', message: 'Invalid input', fields: { query: 'from: needs a username, as from:@name' } },
    });
    await settle();
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="search-error"]')!.textContent).toContain('Check the search: from: needs a username, as from:@name.');
  });

  it('clears the query and the results with Escape, and Ctrl+K puts the focus in the box', async () => {
    document.body.appendChild(element);
    type('deploy');
    press('Enter');
    await answer(0, [aHit('m1')]);
    press('Escape');
    await fixture.whenStable();
    expect(input().value).toBe('');
    expect(element.querySelector('[data-testid="search-results"]')).toBeNull();

    input().blur();
    const shortcut = press('k', { ctrlKey: true }, document);
    expect(shortcut.defaultPrevented).toBeTrue();
    expect(document.activeElement).toBe(input());
    element.remove();
  });

  it('searches inside one chat when asked, and everywhere again when its chip is dismissed', async () => {
    type('deploy');
    press('Enter');
    await answer(0, [aHit('m1')]);
    void TestBed.inject(MessageSearch).searchIn('ops');
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="search-scope"]')!.textContent).toContain('In Ops');
    expect(searches().at(-1)!.payload).toEqual({ query: 'deploy', limit: 20, chatId: 'ops' });

    element.querySelector<HTMLButtonElement>('[data-testid="search-everywhere"]')!.click();
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="search-scope"]')).toBeNull();
    expect(searches().at(-1)!.payload).toEqual({ query: 'deploy', limit: 20 });
  });
});
