import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  type ElementRef,
  Injector,
  ViewEncapsulation,
  afterNextRender,
  computed,
  effect,
  inject,
  input,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { CompactChats } from '../chat/compact-chats';
import { badgeText } from '../chats/state/badges';
import { ToastList } from '../core/toast-list';
import { SignedInOutlet } from '../session/signed-in-outlet';
import { HostTokens } from './host-tokens';
import { statusText } from './state/widget-status';
import { WidgetSession } from './widget-session';
import { WidgetSettings } from './widget-settings';

/**
 * `<parley-chat>`: the chat inside someone else's page. A launcher button with the unread badge
 * opens a panel with the chat list and the chat panels. Everything lives in its shadow root: the
 * page's styles do not reach in, and its own styles do not reach out.
 *
 * Attributes: `server` (the chat server's URL), and `token` (an SSO token) or `token-endpoint`
 * (the host's URL that mints one for its signed-in user). Removing the element, or both token
 * attributes, signs out.
 */
@Component({
  selector: 'app-parley-chat',
  imports: [SignedInOutlet, ToastList],
  encapsulation: ViewEncapsulation.ShadowDom,
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './parley-chat.html',
  styleUrls: ['../../styles.css', './parley-chat.css'],
})
export class ParleyChat {
  readonly server = input<string | null>(null);
  readonly token = input<string | null>(null);
  readonly tokenEndpoint = input<string | null>(null);
  /** The widget needs a new SSO token and has only the `token` attribute: set a fresh one. */
  readonly tokenNeeded = output<void>();

  private readonly settings = inject(WidgetSettings);
  private readonly injector = inject(Injector);
  private readonly launcher = viewChild.required<ElementRef<HTMLButtonElement>>('launcher');
  private readonly closeButton = viewChild<ElementRef<HTMLButtonElement>>('closeButton');
  protected readonly session = inject(WidgetSession);
  protected readonly compactChats = CompactChats;
  protected readonly open = signal(false);
  protected readonly status = this.session.status;
  protected readonly statusText = computed(() => statusText(this.status()));
  protected readonly unread = computed(() => this.session.unread());
  protected readonly badge = computed(() => (this.unread() > 0 ? badgeText(this.unread()) : null));
  protected readonly launcherLabel = computed(() => {
    const count = this.unread();
    return count > 0 ? `Chat, ${count} unread` : 'Chat';
  });

  constructor() {
    effect(() => {
      this.settings.setServer(this.server());
      this.settings.setToken(this.token());
      this.settings.setTokenEndpoint(this.tokenEndpoint());
      untracked(() => {
        if (this.settings.ready()) void this.session.signIn();
        else if (this.status().phase === 'signed-in') this.session.signOut();
      });
    });
    const needed = inject(HostTokens).needed.subscribe(() => this.tokenNeeded.emit());
    inject(DestroyRef).onDestroy(() => {
      needed.unsubscribe();
      this.session.signOut();
    });
  }

  /** The launcher: opens the panel (the focus moves into it) or closes it. */
  protected toggle(): void {
    const opening = !this.open();
    this.open.set(opening);
    if (opening) afterNextRender(() => this.closeButton()?.nativeElement.focus(), { injector: this.injector });
    // Opening tries again after a failed sign-in (the host's user may have signed in since).
    const phase = this.status().phase;
    if (opening && (phase === 'signed-out' || phase === 'unreachable')) void this.session.signIn();
  }

  /** The panel's close button: the focus returns to the launcher. */
  protected closeFromPanel(): void {
    this.open.set(false);
    this.launcher().nativeElement.focus();
  }

  protected retry(): void {
    void this.session.signIn();
  }
}
