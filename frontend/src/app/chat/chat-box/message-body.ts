import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { mentionNameOf } from '../../mentions/state/mention-names';
import { SessionStore } from '../../session/session-store';
import { renderMarkdown } from '../markdown';

/**
 * A message's text with its light formatting (see markdown.ts). The HTML comes from markdown-it
 * with raw HTML off, and Angular's sanitizer still checks it on the way into the page. Mentions
 * show the user's current name: a chip, highlighted when it is the reader.
 */
@Component({
  selector: 'app-message-body',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    'data-testid': 'message-body',
    '[innerHTML]': 'html()',
  },
  template: '',
  styles: `
    :host {
      display: block;
      overflow-wrap: anywhere;
    }
    :host ::ng-deep p {
      margin: 0;
    }
    :host ::ng-deep p + p,
    :host ::ng-deep p + pre,
    :host ::ng-deep pre + p,
    :host ::ng-deep blockquote + p,
    :host ::ng-deep p + blockquote {
      margin-top: 6px;
    }
    :host ::ng-deep code {
      padding: 1px 4px;
      border-radius: 4px;
      background: var(--tint);
      font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
      font-size: 0.88em;
    }
    :host ::ng-deep pre {
      margin: 4px 0;
      padding: 6px 8px;
      border-radius: 6px;
      background: var(--tint);
      overflow-x: auto;
      white-space: pre;
    }
    :host ::ng-deep pre code {
      padding: 0;
      background: none;
    }
    :host ::ng-deep blockquote {
      margin: 4px 0;
      padding: 0 0 0 8px;
      border-left: 3px solid light-dark(rgb(16 24 40 / 0.2), rgb(255 255 255 / 0.3));
      color: var(--ink-soft);
    }
    :host ::ng-deep .mention {
      padding: 0 3px;
      border-radius: 4px;
      background: light-dark(rgb(37 99 235 / 0.1), rgb(169 196 255 / 0.16));
      color: light-dark(#1d4ed8, #c3d6ff);
      font-weight: 600;
    }
    :host ::ng-deep .mention-me {
      background: light-dark(#fde68a, #5a4508);
      color: light-dark(#713f12, #fff3c4);
    }
    :host ::ng-deep a {
      color: var(--accent-text);
      overflow-wrap: anywhere;
    }
  `,
})
export class MessageBody {
  private readonly store = inject(SessionStore);
  readonly body = input.required<string>();
  /** The message's mentions (`Message.mentions`). */
  readonly mentions = input<readonly string[]>([]);
  protected readonly html = computed(() =>
    renderMarkdown(this.body(), {
      nameOf: mentionNameOf((id) => this.store.userById(id)),
      mentioned: this.mentions(),
      me: this.store.me().id,
    }),
  );
}
