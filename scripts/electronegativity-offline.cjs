// Preloaded into the electronegativity scan (scripts/security-scan.mjs). At start-up the scanner
// asks the network for translations with got 11; offline (CI, this project's build machines)
// the request fails and the scanner falls back to its bundled English texts, but on Node 24 got's
// retry machinery then throws from timers and socket events ("The `onCancel` handler was attached
// after the promise settled", a late `RequestError: getaddrinfo ENOTFOUND`): uncaught exceptions
// that kill a scan which needs no network. Only errors thrown from inside got or p-cancelable are
// ignored; any other uncaught exception still ends the process with its stack.
'use strict';

const FROM_HTTP_CLIENT = /node_modules[\\/](got|p-cancelable)[\\/]/;

function isFromHttpClient(error) {
  return error instanceof Error && FROM_HTTP_CLIENT.test(error.stack ?? '');
}

process.on('uncaughtException', (error) => {
  if (isFromHttpClient(error)) return;
  console.error(error);
  process.exit(1);
});

module.exports = { isFromHttpClient };
