import type { Notice } from '@shared';

/** A group notice as one line of text: "Ana added Bruno", "You renamed the group to “Trip”". */
export function noticeText(notice: Notice, nameOf: (userId: string | undefined) => string): string {
  const actor = nameOf(notice.actorId);
  const target = nameOf(notice.targetId);
  switch (notice.type) {
    case 'created':
      return notice.name ? `${actor} created the group “${notice.name}”` : `${actor} created the group`;
    case 'joined':
      return `${actor} joined`;
    case 'left':
      return `${actor} left`;
    case 'added':
      return `${actor} added ${target}`;
    case 'removed':
      return `${actor} removed ${target}`;
    case 'renamed':
      return `${actor} renamed the group to “${notice.name ?? ''}”`;
    case 'promoted':
      return `${actor} made ${target} an admin`;
    case 'demoted':
      return `${actor} removed ${target} as admin`;
    case 'made_public':
      return `${actor} made the group public: anyone signed in can find it and read its history`;
    case 'made_private':
      return `${actor} made the group private: only people added by an admin can join`;
  }
}
