/**
 * The console's Content-Security-Policy: its own script and style only, API calls to its own origin, no
 * framing, and no form ever submitted by the browser itself (a token must never travel in a URL).
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The console's page: the sign-in form and the shell (navigation, who is signed in) around #view-root, where
 * console.js draws the view the hash names from the JSON API. It holds no data. URLs are relative, so it also works
 * behind a reverse proxy that mounts swx under a prefix.
 */
export const CONSOLE_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>swx console</title>
    <link rel="stylesheet" href="console/console.css" />
    <script src="console/console.js" defer></script>
  </head>
  <body>
    <a class="skip" href="#view-root">Skip to the content</a>
    <header>
      <h1>swx console <span lang="vi" class="vi">Cổng một cửa quốc gia</span></h1>
      <nav id="nav" aria-label="Views"></nav>
      <span id="who"></span>
      <button type="button" id="sign-out" hidden>Sign out <span lang="vi" class="vi">Đăng xuất</span></button>
    </header>
    <main>
      <section id="login-view" hidden>
        <form id="login-form">
          <h2>Sign in <span lang="vi" class="vi">Đăng nhập</span></h2>
          <p>Paste your API token (an officer’s, an agency’s or an admin’s). It is kept in this tab only and sent to the API as a bearer token.</p>
          <label for="token">API token</label>
          <input type="password" id="token" autocomplete="off" spellcheck="false" required />
          <button type="submit">Sign in <span lang="vi" class="vi">Đăng nhập</span></button>
          <p id="login-error" class="problem" role="alert"></p>
        </form>
      </section>
      <div id="view-root" tabindex="-1"></div>
    </main>
  </body>
</html>`;
