import { Injectable, signal } from '@angular/core';

const SOUND_KEY = 'parley.notification-sound';

/** What the browser allows: notifications on, off (denied), not asked yet, or not supported at all. */
export type NotificationPermissionState = NotificationPermission | 'unsupported';

function currentPermission(): NotificationPermissionState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/**
 * This browser's notification settings: the browser's permission (asked for only when the user
 * turns notifications on, never on page load) and the optional sound, off by default and kept in
 * localStorage (a setting of the device, not of the account).
 */
@Injectable({ providedIn: 'root' })
export class NotificationPrefs {
  private readonly permissionState = signal<NotificationPermissionState>(currentPermission());
  private readonly soundState = signal(readSound());

  readonly permission = this.permissionState.asReadonly();
  readonly sound = this.soundState.asReadonly();

  /** Asks the browser for permission; call only from a user action (a click). */
  async turnOn(): Promise<NotificationPermissionState> {
    if (typeof Notification === 'undefined') return 'unsupported';
    const answer = await Notification.requestPermission();
    this.permissionState.set(answer);
    return answer;
  }

  setSound(on: boolean): void {
    this.soundState.set(on);
    try {
      localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
    } catch {
      // Storage refused (private mode): the setting lasts for this page only.
    }
  }
}

function readSound(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) === 'on';
  } catch {
    return false;
  }
}
