import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { SearchSnippet as Snippet } from '@shared';
import { snippetParts } from './state/snippet-parts';

/** A hit's snippet: its text as text nodes, the matched parts in `<mark>` (never markup from the text). */
@Component({
  selector: 'app-search-snippet',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `@for (part of parts(); track $index) {@if (part.marked) {<mark>{{ part.text }}</mark>} @else {{{ part.text }}}}`,
  styles: `
    :host {
      display: -webkit-box;
      -webkit-line-clamp: 3;
      -webkit-box-orient: vertical;
      overflow: hidden;
      overflow-wrap: anywhere;
    }
    mark {
      padding: 0 1px;
      border-radius: 3px;
      background: var(--warning-soft);
      color: inherit;
      font-weight: 700;
      box-shadow: inset 0 -2px 0 var(--warning-line);
    }
  `,
})
export class SearchSnippet {
  readonly snippet = input.required<Snippet>();
  protected readonly parts = computed(() => snippetParts(this.snippet()));
}
