/** Electron's entry point (package.json "main" after `npm run build`). */
import { runKioskApp } from './app.js';

runKioskApp();
