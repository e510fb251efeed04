/**
 * The console's script, bundled at build time into console-script.ts and served as /console/console.js: plain DOM
 * code, no framework. The shell (shell.ts) signs in, builds the navigation from the views (views.ts) and shows the one
 * the hash names. The token stays in sessionStorage; every value from the API is rendered as text (never innerHTML).
 */
import { startShell } from './shell.js';

startShell();
