import { HttpErrorResponse } from '@angular/common/http';
import { TimeoutError } from 'rxjs';
import {
  initialWidgetStatus,
  sessionExited,
  signInFailed,
  signInStarted,
  signedIn,
  signedOutByHost,
  statusText,
  type WidgetStatus,
} from './widget-status';

describe('widget status', () => {
  const signingIn = signInStarted(initialWidgetStatus);

  it('goes from waiting through signing in to signed in', () => {
    expect(initialWidgetStatus).toEqual({ phase: 'waiting' });
    expect(signingIn).toEqual({ phase: 'signing-in' });
    expect(signedIn(signingIn)).toEqual({ phase: 'signed-in' });
  });

  it('reads a refused sign-in (the host has no signed-in user) as signed out, and no answer as unreachable', () => {
    expect(signInFailed(new HttpErrorResponse({ status: 401 }))(signingIn)).toEqual({ phase: 'signed-out', reason: 'refused' });
    expect(signInFailed(Object.assign(new Error('no token'), { status: 401 }))(signingIn)).toEqual({ phase: 'signed-out', reason: 'refused' });
    expect(signInFailed(new HttpErrorResponse({ status: 0 }))(signingIn)).toEqual({ phase: 'unreachable' });
    expect(signInFailed(new TimeoutError())(signingIn)).toEqual({ phase: 'unreachable' });
  });

  it('ends a signed-in session on the server word, and leaves any other status alone', () => {
    const signed: WidgetStatus = { phase: 'signed-in' };
    expect(sessionExited('expired')(signed)).toEqual({ phase: 'signed-out', reason: 'expired' });
    expect(sessionExited('ended')(signed)).toEqual({ phase: 'signed-out', reason: 'ended' });
    expect(sessionExited('expired')(signingIn)).toBe(signingIn);
  });

  it('signs out when the host says so', () => {
    expect(signedOutByHost({ phase: 'signed-in' })).toEqual({ phase: 'signed-out', reason: 'host' });
  });

  it('says what the panel shows without a session', () => {
    expect(statusText({ phase: 'signed-out', reason: 'refused' })).toBe('Sign in to this site to chat.');
    expect(statusText({ phase: 'signed-out', reason: 'expired' })).toContain('expired');
    expect(statusText({ phase: 'unreachable' })).toContain('cannot be reached');
    expect(statusText({ phase: 'signed-in' })).toBe('');
  });
});
