import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { PublicUser } from '@shared';
import { defaultAvatar } from './default-avatar';

/** A round picture: the user's own, a default per gender, or a group's initials. */
@Component({
  selector: 'app-user-avatar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[style.--size]': 'size() + "px"' },
  template: `
    @if (user(); as person) {
      <img [src]="picture()" alt="" width="64" height="64" loading="lazy" />
    } @else {
      <span class="initials" aria-hidden="true">{{ initials() }}</span>
    }
    @if (online() !== null) {
      <span class="presence" [class.on]="online()" data-testid="presence-dot" [attr.data-online]="online()"></span>
    }
  `,
  styles: `
    :host {
      position: relative;
      display: inline-block;
      flex: none;
      width: var(--size);
      height: var(--size);
    }
    img,
    .initials {
      width: 100%;
      height: 100%;
      border-radius: 50%;
      object-fit: cover;
      display: block;
    }
    .initials {
      display: flex;
      align-items: center;
      justify-content: center;
      background: linear-gradient(135deg, #4f6bd8, #7b4fc2);
      color: #fff;
      font-weight: 700;
      font-size: calc(var(--size) * 0.38);
    }
    .presence {
      position: absolute;
      right: 0;
      bottom: 0;
      width: calc(var(--size) * 0.3);
      height: calc(var(--size) * 0.3);
      min-width: 9px;
      min-height: 9px;
      border-radius: 50%;
      background: #b7beca;
      border: 2px solid var(--surface);
    }
    .presence.on {
      background: var(--online);
    }
  `,
})
export class UserAvatar {
  readonly user = input<PublicUser | null | undefined>(null);
  /** Shown as initials when there is no user (group chats). */
  readonly name = input('');
  /** null hides the presence dot. */
  readonly online = input<boolean | null>(null);
  readonly size = input(40);

  protected readonly picture = computed(() => {
    const user = this.user();
    return user?.avatarUrl || defaultAvatar(user?.gender);
  });
  protected readonly initials = computed(() =>
    this.name()
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((word) => [...word][0]!.toUpperCase())
      .join('') || '#',
  );
}
