import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NotificationPrefs } from './notification-prefs';
import { NotificationSound } from './notification-sound';

/**
 * The header's notification controls: "Turn on notifications" (the browser is asked only when it
 * is clicked, never on page load), what the browser decided, and the sound switch (off by
 * default; a setting of this device).
 */
@Component({
  selector: 'app-notification-settings',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @switch (prefs.permission()) {
      @case ('default') {
        <button type="button" class="button button-small button-secondary" data-testid="enable-notifications" (click)="turnOn()">
          <span class="bell" aria-hidden="true">🔔</span><span class="label">Turn on notifications</span>
        </button>
      }
      @case ('denied') {
        <span class="state" data-testid="notifications-blocked" title="Allow notifications for this site in the browser's settings">Notifications blocked</span>
      }
      @case ('granted') {
        <span class="state" data-testid="notifications-on">Notifications on</span>
      }
    }
    <label class="sound">
      <input type="checkbox" data-testid="notification-sound" [checked]="prefs.sound()" (change)="setSound($event)" />
      Sound
    </label>
  `,
  styles: `
    :host {
      display: inline-flex;
      align-items: center;
      gap: 10px;
      font-size: 0.8rem;
      color: inherit;
    }
    .state,
    button {
      white-space: nowrap;
    }
    .bell {
      display: none;
    }
    /* On a phone the header keeps a bell (still named "Turn on notifications"); the sound switch is on the profile page. */
    @media (max-width: 700px) {
      :host(.compact) .state,
      :host(.compact) .sound {
        display: none;
      }
      :host(.compact) .bell {
        display: inline;
      }
      :host(.compact) .label {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
        white-space: nowrap;
      }
    }
    .sound {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      cursor: pointer;
      white-space: nowrap;
    }
  `,
})
export class NotificationSettings {
  protected readonly prefs = inject(NotificationPrefs);
  private readonly sound = inject(NotificationSound);

  protected async turnOn(): Promise<void> {
    await this.prefs.turnOn();
  }

  protected setSound(event: Event): void {
    const on = (event.target as HTMLInputElement).checked;
    this.prefs.setSound(on);
    if (on) this.sound.play();
  }
}
