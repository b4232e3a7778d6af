// The embeddable chat widget: defines <parley-chat> (Angular Elements) from the app's own code.
// A separate build (angular.json project "widget"): the app's first load does not carry it.
import '../zod-config';
import { createCustomElement } from '@angular/elements';
import { createApplication } from '@angular/platform-browser';
import { ParleyChat } from '../app/widget/parley-chat';
import { widgetConfig } from '../app/widget/widget-config';

const TAG = 'parley-chat';

try {
  const app = await createApplication(widgetConfig);
  if (!customElements.get(TAG)) customElements.define(TAG, createCustomElement(ParleyChat, { injector: app.injector }));
} catch (error: unknown) {
  console.error(error);
}
