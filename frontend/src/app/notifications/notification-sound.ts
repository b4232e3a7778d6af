import { Injectable } from '@angular/core';

/**
 * The notification sound: a short two-note chime made with the Web Audio API (no file to load).
 * The audio context is created on first use; browsers let it play once the page has had a user
 * gesture, which turning the sound on is.
 */
@Injectable({ providedIn: 'root' })
export class NotificationSound {
  private context: AudioContext | null = null;

  play(): void {
    try {
      this.context ??= new AudioContext();
      const context = this.context;
      const start = context.currentTime;
      for (const [offset, frequency] of [
        [0, 880],
        [0.12, 1320],
      ] as const) {
        const oscillator = context.createOscillator();
        const gain = context.createGain();
        oscillator.frequency.value = frequency;
        gain.gain.setValueAtTime(0.0001, start + offset);
        gain.gain.exponentialRampToValueAtTime(0.15, start + offset + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.25);
        oscillator.connect(gain).connect(context.destination);
        oscillator.start(start + offset);
        oscillator.stop(start + offset + 0.3);
      }
    } catch {
      // No audio here (no device, or not allowed yet): the notification goes without sound.
    }
  }
}
