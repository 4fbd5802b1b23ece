// The console's only script, served from the jar (the CSP allows no other): times in the browser's zone, and the
// overview's channel table refreshed in place. Every page works without it.
(function () {
  'use strict';
  var format = new Intl.DateTimeFormat(undefined, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    hour12: false, timeZoneName: 'short'
  });

  function localTimes(root) {
    root.querySelectorAll('time[datetime]').forEach(function (time) {
      var at = new Date(time.getAttribute('datetime'));
      if (!isNaN(at.getTime())) {
        time.textContent = format.format(at);
      }
    });
  }

  // A element with data-refresh="<url>" is replaced by what that URL answers, every data-refresh-seconds; once the
  // answer has no data-refresh (a test's result that became final), it stays as it is.
  function refresh(element) {
    var seconds = parseInt(element.getAttribute('data-refresh-seconds') || '5', 10);
    var timer = setInterval(function () {
      fetch(element.getAttribute('data-refresh'), {credentials: 'same-origin', headers: {'Accept': 'text/html'}})
        .then(function (response) {
          if (!response.ok || response.redirected) {
            throw new Error('refresh answered ' + response.status);
          }
          return response.text();
        })
        .then(function (html) {
          var template = document.createElement('template');
          template.innerHTML = html; // the server's own escaped fragment
          var fresh = template.content.firstElementChild;
          if (fresh && fresh.id === element.id) {
            localTimes(fresh);
            element.replaceWith(fresh);
            element = fresh;
            if (!fresh.hasAttribute('data-refresh')) {
              clearInterval(timer);
            }
          }
        })
        .catch(function () { /* the next tick tries again */ });
    }, seconds * 1000);
  }

  document.addEventListener('DOMContentLoaded', function () {
    localTimes(document);
    document.querySelectorAll('[data-refresh]').forEach(refresh);
  });
})();
