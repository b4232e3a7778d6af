import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { Gender } from '../../shared/src/schemas/users.js';

export const ARTIFACTS_DIR = join(import.meta.dirname, 'artifacts');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** What the signed-up person is called, and how they sign up. */
export interface Person {
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  gender: Gender;
  password: string;
}

/** A browser console line or page event that should not happen in a healthy app. */
export interface PageProblem {
  kind: 'console' | 'pageerror' | 'csp';
  text: string;
  /** The resource a console message is about (e.g. a failed request). */
  url?: string;
  /** The page's address when it happened. */
  page: string;
}

/**
 * One person at their own browser: a persistent Chromium profile of their own (cookies and
 * storage are not shared with anyone else), one page, and a record of every console error,
 * uncaught exception and Content-Security-Policy violation that page produced.
 */
export class BrowserUser {
  readonly problems: PageProblem[] = [];

  private constructor(
    readonly label: string,
    readonly person: Person,
    private readonly baseUrl: string,
    private readonly profileDir: string,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  static async launch(label: string, person: Person, baseUrl: string): Promise<BrowserUser> {
    const profileDir = mkdtempSync(join(tmpdir(), `parley-e2e-${label}-`));
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 800 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context.setDefaultTimeout(10_000);
    const page = context.pages()[0] ?? (await context.newPage());
    const user = new BrowserUser(label, person, baseUrl, profileDir, context, page);
    await user.watchForProblems();
    return user;
  }

  private async watchForProblems(): Promise<void> {
    // Survives reloads: the binding is re-installed in every new document.
    await this.context.exposeBinding('__reportCspViolation', (_source, text: string) => {
      this.problems.push({ kind: 'csp', text, page: this.page.url() });
    });
    await this.context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        const report = (window as unknown as { __reportCspViolation?: (text: string) => void }).__reportCspViolation;
        report?.(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`);
      });
    });
    this.page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      const kind = /Content Security Policy/i.test(text) ? 'csp' : 'console';
      this.problems.push({ kind, text, url: message.location().url, page: this.page.url() });
    });
    this.page.on('pageerror', (error) => this.problems.push({ kind: 'pageerror', text: error.stack ?? error.message, page: this.page.url() }));
  }

  goto(path: string): Promise<unknown> {
    return this.page.goto(`${this.baseUrl}${path}`, { waitUntil: 'domcontentloaded' });
  }

  byTestId(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  /** The chat box whose title is `name`. */
  chatBox(name: string): Locator {
    return this.page.locator(`[data-testid="chat-box"][data-chat-name="${name}"]`);
  }

  /** Saves a numbered full-page screenshot under artifacts/: `<step>-<label>-<name>.png`. */
  async screenshot(step: string, name: string): Promise<string> {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const file = join(ARTIFACTS_DIR, `${step}-${this.label}-${name}.png`);
    await this.page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
    return file;
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    rmSync(this.profileDir, { recursive: true, force: true });
  }
}
