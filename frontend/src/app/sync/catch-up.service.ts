import { Injectable, inject } from '@angular/core';
import { PeopleService } from '../people/people.service';
import { SessionStore } from '../session/session-store';
import { syncCursor } from '../timeline/state/timelines';
import { TimelineSync } from './timeline-sync.service';

/**
 * After each (re)authentication: everything missed — messages after each watermark, changes to
 * messages after each change position, chats, people, blocks.
 */
@Injectable()
export class CatchUp {
  private readonly store = inject(SessionStore);
  private readonly timelines = inject(TimelineSync);
  private readonly people = inject(PeopleService);

  async run(): Promise<void> {
    const cursors: Record<string, string | null> = {};
    for (const [chatId, timeline] of Object.entries(this.store.timelines())) {
      if (timeline.loaded) cursors[chatId] = syncCursor(timeline);
    }
    const changeCursors = this.timelines.changeCursorsOf(Object.keys(cursors));
    await Promise.all([this.timelines.sync(cursors, 'catch-up', changeCursors), this.people.load()]);
  }
}
