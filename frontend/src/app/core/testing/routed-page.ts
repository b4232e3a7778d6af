import { HttpTestingController } from '@angular/common/http/testing';
import { Component, type Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { RouterTestingHarness } from '@angular/router/testing';
import { FakeSocket } from './fake-socket';
import { chatTestProviders } from './signed-in';
import { settle } from './wait';

@Component({ template: 'elsewhere' })
class Elsewhere {}

/** A page under test at its route, with every other route leading elsewhere. */
export interface RoutedPage {
  harness: RouterTestingHarness;
  http: HttpTestingController;
  page: HTMLElement;
  /** Lets the page's pending work and change detection finish. */
  stable(): Promise<void>;
  byTestId(id: string): HTMLElement | null;
}

/** Configures the test module with the chat providers, navigates to `url` and opens `component` there. */
export async function openRoutedPage(path: string, component: Type<unknown>, url: string): Promise<RoutedPage> {
  TestBed.configureTestingModule({
    providers: chatTestProviders(new FakeSocket(), [
      { path, component },
      { path: '**', component: Elsewhere },
    ]),
  });
  const http = TestBed.inject(HttpTestingController);
  const harness = await RouterTestingHarness.create();
  await harness.navigateByUrl(url, component);
  const page = harness.routeNativeElement!;
  return {
    harness,
    http,
    page,
    async stable() {
      await settle();
      await harness.fixture.whenStable();
      await settle();
    },
    byTestId: (id) => page.querySelector<HTMLElement>(`[data-testid="${id}"]`),
  };
}
