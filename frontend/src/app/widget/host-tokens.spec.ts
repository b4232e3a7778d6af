import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { settle } from '../core/testing/wait';
import { CHAT_TIMING } from '../connection/chat-timing';
import { HostTokenRefused, HostTokens } from './host-tokens';
import { WidgetSettings } from './widget-settings';

describe('HostTokens', () => {
  let tokens: HostTokens;
  let settings: WidgetSettings;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    tokens = TestBed.inject(HostTokens);
    settings = TestBed.inject(WidgetSettings);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('gets each token from the host endpoint, with the host’s cookies', async () => {
    settings.setTokenEndpoint('https://www.host.example/parley-token');
    const first = tokens.next();
    const request = backend.expectOne('https://www.host.example/parley-token');
    expect(request.request.method).toBe('POST');
    expect(request.request.withCredentials).toBeTrue();
    request.flush({ token: 'jwt-1' });
    expect(await first).toBe('jwt-1');
    const second = tokens.next();
    backend.expectOne('https://www.host.example/parley-token').flush({ token: 'jwt-2' });
    expect(await second).toBe('jwt-2');
  });

  it('passes the endpoint’s refusal on, and reads an answer without a token as one', async () => {
    settings.setTokenEndpoint('https://www.host.example/parley-token');
    const refused = tokens.next();
    backend.expectOne('https://www.host.example/parley-token').flush({ error: 'signed out' }, { status: 401, statusText: 'Unauthorized' });
    await expectAsync(refused).toBeRejectedWith(jasmine.objectContaining({ status: 401 }));
    const empty = tokens.next();
    backend.expectOne('https://www.host.example/parley-token').flush({});
    await expectAsync(empty).toBeRejectedWithError(HostTokenRefused);
  });

  describe('with a token attribute', () => {
    beforeEach(() => jasmine.clock().install());
    afterEach(() => jasmine.clock().uninstall());

    it('uses it once, then asks the page for a new one and waits for it', async () => {
      settings.setToken('jwt-a');
      expect(await tokens.next()).toBe('jwt-a');
      let asked = 0;
      tokens.needed.subscribe(() => asked++);
      let got: string | undefined;
      void tokens.next().then((token) => (got = token));
      jasmine.clock().tick(1000);
      await settle();
      expect(asked).toBe(1);
      expect(got).toBeUndefined();
      settings.setToken('jwt-b');
      TestBed.tick();
      await settle();
      expect(got).toBe('jwt-b');
    });

    it('gives up when the page sets no new token in time', async () => {
      settings.setToken('jwt-a');
      await tokens.next();
      let failure: unknown;
      const waiting = tokens.next().catch((error: unknown) => (failure = error));
      TestBed.tick();
      jasmine.clock().tick(CHAT_TIMING.refreshTimeoutMs + 1);
      await waiting;
      expect(failure).toBeInstanceOf(HostTokenRefused);
    });
  });
});
