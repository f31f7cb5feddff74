// Earshot agent page: the nudges of one agent (GET /agents/{id}/nudges, server-sent events).
// The nudges are decided on the server; this page only shows them, as text (never as HTML).
(function () {
  'use strict';

  var SHOWN_FOR_MS = 20000; // how long a nudge stays in the large box
  var params = new URLSearchParams(location.search);
  var agent = params.get('agent') || '';
  // the token comes from the login form and stays in this tab's sessionStorage; the server refuses
  // tokens in URLs, so an old bookmark's &token= is taken off the address bar and not used
  var token = sessionStorage.getItem('earshot.token') || '';
  if (params.has('token')) {
    params.delete('token');
    history.replaceState(null, '', location.pathname + '?' + params.toString() + location.hash);
  }
  var source = null;
  var fade = null;

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }
  function clock(ms) {
    var t = Math.floor(ms / 1000);
    return Math.floor(t / 60) + ':' + (t % 60 < 10 ? '0' : '') + (t % 60);
  }
  function setConnection(state) {
    var c = $('connection');
    c.dataset.state = state;
    c.textContent = state === 'live' ? 'live' : state === 'error' ? 'reconnecting\u2026' : 'connecting\u2026';
  }
  function showLogin(message) {
    if (source) { source.close(); source = null; }
    $('login').hidden = false;
    $('login-error').textContent = message || '';
  }

  function connect() {
    if (source) { source.close(); }
    setConnection('connecting');
    var path = '/agents/' + encodeURIComponent(agent) + '/nudges';
    // a reconnect sends Last-Event-ID and gets the nudges it missed
    source = window.EarshotStream.open(path, {
      token: function () { return token; },
      onEvent: function (name, data) {
        if (name === 'ready') {
          var hello = JSON.parse(data);
          $('agent-name').textContent = '\u00b7 ' + hello.agentId + (hello.team ? ' (' + hello.team + ')' : '');
          setConnection('live');
        } else if (name === 'nudge') {
          show(JSON.parse(data));
        }
      },
      onRetry: function () { setConnection('error'); },
      // 401: no valid token (or it was revoked); 403: a token of another agent; 404: an agent of another team
      onRefused: function (status, message) {
        source = null;
        setConnection('error');
        showLogin(status === 401 ? 'The token was not accepted.' : message);
      }
    });
  }

  function show(n) {
    var box = $('current');
    box.textContent = '';
    box.dataset.seq = n.seq;
    box.dataset.kind = n.kind;
    box.className = 'nudge-current active kind-' + n.kind;
    box.appendChild(el('p', { 'class': 'nudge-message' }, n.message));
    box.appendChild(el('p', { 'class': 'muted' }, 'call ' + n.callId + ' at ' + clock(n.atMs)));
    var li = el('li', { 'data-seq': n.seq, 'data-kind': n.kind });
    li.appendChild(el('span', { 'class': 'when' }, new Date(n.raisedAt).toLocaleTimeString()));
    li.appendChild(document.createTextNode(' ' + n.message));
    var list = $('nudges');
    list.insertBefore(li, list.firstChild);
    while (list.children.length > 50) { list.removeChild(list.lastChild); }
    if (fade) { clearTimeout(fade); }
    fade = setTimeout(function () { box.classList.remove('active'); }, SHOWN_FOR_MS);
  }

  $('login-form').addEventListener('submit', function (e) {
    e.preventDefault();
    token = $('login-token').value.trim();
    sessionStorage.setItem('earshot.token', token);
    $('login').hidden = true;
    connect();
  });

  if (!agent) {
    $('no-agent').hidden = false;
    setConnection('error');
  } else {
    connect();
  }
}());
