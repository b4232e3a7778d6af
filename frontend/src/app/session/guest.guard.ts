import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import { MainService } from './main.service';

/** The login and register pages are for visitors: a restored session goes straight to the chat. */
export const guestGuard: CanActivateFn = async () => {
  const router = inject(Router);
  return (await inject(MainService).ensureSession()) ? router.createUrlTree(['/']) : true;
};
