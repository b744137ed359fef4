// Paylink dashboard: optional enhancements, same-origin (the CSP allows no inline script). Every
// page works without this file: the buttons it serves stay hidden until it runs.
(function () {
  'use strict';
  document.querySelectorAll('[data-copy],[data-print]').forEach(function (el) { el.hidden = false; });

  function copy(button) {
    var field = document.getElementById(button.getAttribute('data-copy'));
    if (!field) { return; }
    field.select();
    var done = function () { button.textContent = button.getAttribute('data-done') || button.textContent; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand('copy'); done(); });
    } else {
      document.execCommand('copy');
      done();
    }
  }

  document.addEventListener('click', function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) { return; }
    var copyButton = target.closest('[data-copy]');
    if (copyButton) { copy(copyButton); return; }
    if (target.closest('[data-print]')) { window.print(); }
  });
})();
