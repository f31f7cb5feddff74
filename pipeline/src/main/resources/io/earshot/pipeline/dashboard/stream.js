// Earshot event streams over fetch(): the token travels in the Authorization header, never in a
// URL (EventSource cannot send headers, so it is not used). Parses server-sent events, keeps the
// last event id for a reconnect, and reconnects with a growing pause after a dropped connection
// or a 429/503/5xx; a 401/403/404 or an `end` event (the server ended the stream because the
// token no longer authenticates) stops it for good.
(function () {
  'use strict';

  function open(path, options) {
    var controller = null;
    var stopped = false;
    var lastId = null;
    var pauseMs = 1000;
    var timer = null;

    function retry(status, message) {
      if (stopped) { return; }
      if (options.onRetry) { options.onRetry(status, message); }
      clearTimeout(timer);
      timer = setTimeout(connect, pauseMs);
      pauseMs = Math.min(pauseMs * 2, 30000);
    }
    function refuse(status, message) {
      stopped = true;
      if (controller) { controller.abort(); }
      options.onRefused(status, message);
    }
    function dispatch(block) {
      var name = 'message';
      var data = [];
      var id = null;
      block.split('\n').forEach(function (line) {
        if (!line || line.charAt(0) === ':') { return; }
        var colon = line.indexOf(':');
        var field = colon < 0 ? line : line.slice(0, colon);
        var value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') { name = value; } else if (field === 'data') { data.push(value); } else if (field === 'id') { id = value; }
      });
      if (id !== null) { lastId = id; }
      if (name === 'end') {
        refuse(401, 'The token is no longer accepted.');
      } else if (data.length) {
        options.onEvent(name, data.join('\n'));
      }
    }
    function read(reader) {
      var decoder = new TextDecoder();
      var buffer = '';
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) {
            retry(0, 'the stream ended');
            return undefined;
          }
          pauseMs = 1000;
          buffer += decoder.decode(chunk.value, { stream: true });
          var cut = buffer.indexOf('\n\n');
          while (cut >= 0 && !stopped) {
            dispatch(buffer.slice(0, cut));
            buffer = buffer.slice(cut + 2);
            cut = buffer.indexOf('\n\n');
          }
          return stopped ? undefined : pump();
        });
      }
      return pump();
    }
    function connect() {
      if (stopped) { return; }
      controller = new AbortController();
      var headers = { Accept: 'text/event-stream' };
      var token = options.token();
      if (token) { headers.Authorization = 'Bearer ' + token; }
      if (lastId !== null) { headers['Last-Event-ID'] = lastId; }
      fetch(path, { headers: headers, signal: controller.signal, cache: 'no-store', credentials: 'omit' })
        .then(function (r) {
          if (!r.ok) {
            return r.json().then(function (body) { return body.error || r.statusText; },
              function () { return r.statusText; }).then(function (message) {
              if (r.status === 429 || r.status >= 500) { retry(r.status, message); } else { refuse(r.status, message); }
            });
          }
          return read(r.body.getReader());
        })
        .then(undefined, function (err) {
          if (!stopped && !(err && err.name === 'AbortError')) { retry(0, String(err)); }
        });
    }

    connect();
    return {
      close: function () {
        stopped = true;
        clearTimeout(timer);
        if (controller) { controller.abort(); }
      }
    };
  }

  window.EarshotStream = { open: open };
}());
