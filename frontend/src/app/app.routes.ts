import type { Routes } from '@angular/router';
import { authGuard } from './core/auth.guard';
import { guestGuard } from './core/guest.guard';

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
    loadComponent: () => import('./chat/chat-page').then((m) => m.ChatPage),
  },
  { path: '**', redirectTo: '' },
];
