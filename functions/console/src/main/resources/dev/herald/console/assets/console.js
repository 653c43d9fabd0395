// The only script of the console's own: it offers the browser's time zone where a form asks for one.
document.addEventListener('DOMContentLoaded', function () {
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.querySelectorAll('input[data-browser-zone]').forEach(function (input) {
    if (zone && (input.value === '' || input.value === 'UTC')) {
      input.value = zone;
    }
  });
});
