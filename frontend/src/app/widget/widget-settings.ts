import { DOCUMENT, Injectable, inject, signal } from '@angular/core';
import { serverBase } from './state/server-base';

/**
 * What the host page set on the `<parley-chat>` element: the chat server, and either an SSO token
 * or the address of the host's endpoint that mints one. One widget per page.
 */
@Injectable({ providedIn: 'root' })
export class WidgetSettings {
  private readonly baseUri = inject(DOCUMENT).baseURI;
  private readonly serverUrl = signal<string | null>(null);
  private readonly hostToken = signal<string | null>(null);
  private readonly endpoint = signal<string | null>(null);

  /** The chat server's base URL (no trailing slash), or null while unset or invalid. */
  readonly server = this.serverUrl.asReadonly();
  /** The last SSO token the host set on the element. */
  readonly token = this.hostToken.asReadonly();
  /** The host's token endpoint, as an absolute URL, or null. */
  readonly tokenEndpoint = this.endpoint.asReadonly();

  setServer(value: string | null | undefined): void {
    this.serverUrl.set(serverBase(value, this.baseUri));
  }

  setToken(value: string | null | undefined): void {
    this.hostToken.set(value?.trim() || null);
  }

  setTokenEndpoint(value: string | null | undefined): void {
    const text = value?.trim();
    this.endpoint.set(text ? absoluteUrl(text, this.baseUri) : null);
  }

  /** The widget can try to sign in: it knows the server and has a token or an endpoint for one. */
  ready(): boolean {
    return !!this.server() && (!!this.token() || !!this.tokenEndpoint());
  }
}

function absoluteUrl(text: string, base: string): string | null {
  try {
    return new URL(text, base).href;
  } catch {
    return null;
  }
}
