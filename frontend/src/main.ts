import './zod-config';
import { bootstrapApplication } from '@angular/platform-browser';
import { applyThemePreference, localStorageOrNull, readThemePreference } from './app/theme/theme-preference';
import { App } from './app/app';
import { appConfig } from './app/app.config';

// The chosen theme before anything renders (the CSP allows no inline script in index.html).
applyThemePreference(document.documentElement, readThemePreference(localStorageOrNull(window)));

bootstrapApplication(App, appConfig).catch((error: unknown) => console.error(error));
