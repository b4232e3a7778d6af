import type { Routes } from '@angular/router';
import { LoginPage } from './login/login-page';
import { authGuard } from './session/auth.guard';
import { guestGuard } from './session/guest.guard';

export const routes: Routes = [
  {
    path: 'login',
    title: 'Log in · Parley',
    canActivate: [guestGuard],
    // In the first chunk: the login form is the first page of every visitor, and loading it
    // lazily would add a round trip after the guard. It needs no zod (see login-page.ts).
    component: LoginPage,
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
  {
    path: 'profile',
    title: 'Profile and settings · Parley',
    canActivate: [authGuard],
    loadComponent: () => import('./session/signed-in-outlet').then((m) => m.SignedInOutlet),
    resolve: { page: () => import('./profile/profile-page').then((m) => m.ProfilePage) },
  },
  { path: '**', redirectTo: '' },
];
