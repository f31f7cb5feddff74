// Earshot agent page: the nudges of one agent (GET /agents/{id}/nudges, server-sent events).
// The nudges are decided on the server; this page only shows them, as text (never as HTML).
(function () {
  'use strict';

  var SHOWN_FOR_MS = 20000; // how long a nudge stays in the large box
  var params = new URLSearchParams(location.search);
  var agent = params.get('agent') || '';
  var token = params.get('token') || sessionStorage.getItem('earshot.token') || '';
  if (params.get('token')) { sessionStorage.setItem('earshot.token', token); }
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
    source = new EventSource(path + (token ? '?token=' + encodeURIComponent(token) : ''));
    source.addEventListener('ready', function (e) {
      var hello = JSON.parse(e.data);
      $('agent-name').textContent = '\u00b7 ' + hello.agentId + (hello.team ? ' (' + hello.team + ')' : '');
      setConnection('live');
    });
    source.addEventListener('nudge', function (e) { show(JSON.parse(e.data)); });
    source.onerror = function () {
      setConnection('error');
      // a refused stream is not retried by EventSource: ask the same stream once to learn why
      // (401: no valid token; 403: a token of another agent; 404: an agent of another team)
      var probe = new AbortController();
      fetch(path, { headers: token ? { Authorization: 'Bearer ' + token } : {}, signal: probe.signal })
        .then(function (r) {
          if (r.ok) { probe.abort(); return; } // it opens again: EventSource reconnects by itself
          return r.json().then(function (body) {
            showLogin(r.status === 401 ? 'The token was not accepted.' : body.error);
          });
        }).catch(function () { });
    };
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
