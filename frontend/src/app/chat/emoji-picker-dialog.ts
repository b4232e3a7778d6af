import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  DOCUMENT,
  type ElementRef,
  InjectionToken,
  afterNextRender,
  inject,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { ModalDialog } from './modal-dialog';

/**
 * Where the emoji data is: copied into the build from emoji-picker-element-data (see angular.json),
 * so no CDN; the app reads it from its own origin, the widget from its chat server.
 */
export const EMOJI_DATA_URL = new InjectionToken<() => string>('EMOJI_DATA_URL', {
  providedIn: 'root',
  factory: () => {
    const document = inject(DOCUMENT);
    return () => new URL('assets/emoji/data.json', document.baseURI).href;
  },
});

/** One tap away in the reaction picker. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const;

/**
 * Picks one emoji: for a reaction (a row of common ones first) or to put in a message. The full
 * picker (emoji-picker-element, with search, categories and skin tones) loads on first use, and
 * reads its data from this app's own assets.
 */
@Component({
  selector: 'app-emoji-picker-dialog',
  imports: [ModalDialog],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dialog appModal (closed)="closed.emit()" [attr.aria-label]="label()" data-testid="emoji-picker-dialog" class="emoji-dialog">
      <div class="dialog-body">
        <div class="dialog-header">
          <h2>{{ label() }}</h2>
          <button type="button" class="icon-button" aria-label="Close" (click)="modal().close()">×</button>
        </div>
        <!-- The common reactions come after the picker: Tab leaves the picker (a shadow root) for them. -->
        <div class="picker" #pickerHost data-testid="emoji-picker">
          @if (failed()) {
            <p class="state">The emoji list could not be loaded.</p>
          }
        </div>
        @if (quick()) {
          <div class="quick" role="group" aria-label="Common reactions">
            @for (emoji of quickReactions; track emoji) {
              <button type="button" class="quick-emoji" [attr.aria-label]="'React with ' + emoji" data-testid="quick-reaction" (click)="choose(emoji)">
                {{ emoji }}
              </button>
            }
          </div>
        }
      </div>
    </dialog>
  `,
  styles: `
    .emoji-dialog {
      width: min(96vw, 380px);
    }
    .quick {
      display: flex;
      justify-content: space-around;
      padding: 0 12px 12px;
    }
    .quick-emoji {
      width: 44px;
      height: 44px;
      border: none;
      border-radius: 50%;
      background: var(--canvas);
      font-family: var(--emoji-font);
      font-size: 1.4rem;
      cursor: pointer;
    }
    .quick-emoji:hover {
      background: var(--brand-soft);
    }
    .picker {
      display: flex;
      justify-content: center;
      min-height: 200px;
      padding: 0 8px 8px;
    }
    .state {
      margin: auto;
      color: var(--muted);
    }
  `,
})
export class EmojiPickerDialog {
  /** The dialog's name: "React with…" or "Insert an emoji". */
  readonly label = input.required<string>();
  /** Show the row of common reactions above the full picker. */
  readonly quick = input(false);
  readonly picked = output<string>();
  readonly closed = output<void>();

  protected readonly quickReactions = QUICK_REACTIONS;
  protected readonly modal = viewChild.required(ModalDialog);
  private readonly pickerHost = viewChild.required<ElementRef<HTMLElement>>('pickerHost');
  protected readonly failed = signal(false);
  private readonly destroyRef = inject(DestroyRef);
  private readonly emojiDataUrl = inject(EMOJI_DATA_URL);

  constructor() {
    afterNextRender(() => void this.loadPicker());
  }

  protected choose(emoji: string): void {
    this.picked.emit(emoji);
    this.modal().close();
  }

  private async loadPicker(): Promise<void> {
    try {
      const { Picker } = await import('emoji-picker-element');
      if (this.destroyRef.destroyed) return;
      // The data source is given at construction, so the default (a CDN) is never fetched.
      const picker = new Picker({ dataSource: this.emojiDataUrl(), locale: 'en' });
      picker.addEventListener('emoji-click', (event) => {
        const emoji = event.detail.unicode;
        if (emoji) this.choose(emoji);
      });
      this.pickerHost().nativeElement.append(picker);
    } catch {
      this.failed.set(true);
    }
  }
}
