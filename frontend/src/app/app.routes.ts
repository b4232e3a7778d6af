import type { Routes } from '@angular/router';
import { authGuard } from './session/auth.guard';
import { guestGuard } from './session/guest.guard';

export const routes: Routes = [
  {
    path: 'login',
    title: 'Log in · Parley',
    canActivate: [guestGuard],
    loadComponent: () => import('./login/login-page').then((m) => m.LoginPage),
  },
  {
    path: 'register',
    title: 'Create account · Parley',
    canActivate: [guestGuard],
    loadComponent: () => import('./register/register-page').then((m) => m.RegisterPage),
  },
  {
    path: '',
    pathMatch: 'full',
    title: 'Parley',
    canActivate: [authGuard],
    // The chat page lives under the session's injector: the outlet creates it there.
    loadComponent: () => import('./session/signed-in-outlet').then((m) => m.SignedInOutlet),
    resolve: { page: () => import('./chat/chat-page').then((m) => m.ChatPage) },
  },
  { path: '**', redirectTo: '' },
];
