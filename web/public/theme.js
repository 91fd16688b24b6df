// Applies the remembered colour scheme before the app renders (a file, not an inline script,
// so the Content-Security-Policy can forbid inline scripts).
(function () {
  var choice = null;
  try {
    choice = localStorage.getItem('nuell:theme');
  } catch {
    // storage disabled: follow the system
  }
  var dark = choice === 'dark' || (choice !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.classList.toggle('dark', dark);
})();
