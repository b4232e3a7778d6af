import { DestroyRef, Injectable, effect, inject } from '@angular/core';
import { tabTitle } from '../chats/state/badges';
import { SessionStore } from '../session/session-store';
import { faviconHref } from './state/favicon';

/**
 * The unread count where the user sees it from other tabs: in the tab title ("(3 · @1) Parley")
 * and as a badge drawn on the favicon. Muted chats add nothing, mentions-only chats only their
 * mentions (badges.ts). Both go back to plain at sign-out.
 */
@Injectable()
export class TabBadge {
  constructor() {
    const store = inject(SessionStore);
    effect(() => {
      const badge = store.badge();
      document.title = tabTitle(badge);
      setFavicon(faviconHref(badge.count, badge.mentions > 0));
    });
    inject(DestroyRef).onDestroy(() => {
      document.title = 'Parley';
      setFavicon(faviconHref(0));
    });
  }
}

function setFavicon(href: string): void {
  let link = document.head.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) {
    link = document.createElement('link');
    link.rel = 'icon';
    document.head.append(link);
  }
  if (link.href !== href) link.href = href;
}
