// Earshot floor dashboard: vanilla JS, no build step. Data comes from /api/floor/*;
// every value from Kafka is put into the page as text (never as HTML).
(function () {
  'use strict';

  var SVG = 'http://www.w3.org/2000/svg';
  // the token comes from the login form and stays in this tab's sessionStorage; the server refuses
  // tokens in URLs, so an old bookmark's ?token= is taken off the address bar and not used
  var token = sessionStorage.getItem('earshot.token') || '';
  if (new URLSearchParams(location.search).has('token')) {
    history.replaceState(null, '', location.pathname + location.hash);
  }

  var floor = { agents: [], calls: [], alerts: [], role: null, version: -1 };
  var sort = { key: 'agentId', dir: 1 };
  var selectedCall = null;
  var callFetch = { busy: false, again: false };
  var source = null;

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); }); }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function score(v) { return v === null || v === undefined ? '\u2013' : String(Math.round(v)); }
  function clock(ms) {
    var t = Math.floor(ms / 1000);
    return Math.floor(t / 60) + ':' + (t % 60 < 10 ? '0' : '') + (t % 60);
  }
  // the live window's behaviour and tone counts, as the grid names them
  var COUNTS = [['paraphrases', 'paraphrase'], ['summaries', 'summary'], ['empathy', 'empathy'],
    ['apologies', 'apology'], ['openQuestions', 'open q'], ['clarifyingQuestions', 'clarifying q'],
    ['closedQuestions', 'closed q'], ['followUps', 'follow-up'], ['agentRaisedVoice', 'raised voice'],
    ['agentMonotone', 'monotone'], ['agentFastSpeech', 'fast speech'],
    ['customerRaisedVoice', 'customer raised voice'], ['customerAgitation', 'customer agitation']];
  function countsText(b) {
    if (!b) { return '\u2013'; }
    var parts = COUNTS.filter(function (c) { return b[c[0]] > 0; })
      .map(function (c) { return b[c[0]] + ' ' + c[1]; });
    return parts.length ? parts.join(' \u00b7 ') : 'none';
  }
  function countsTotal(b) {
    return b ? COUNTS.reduce(function (sum, c) { return sum + (b[c[0]] || 0); }, 0) : null;
  }
  function pct(v) { return v === null || v === undefined ? '\u2013' : Math.round(v * 100) + '%'; }
  function secs(ms) { return (ms / 1000).toFixed(1) + ' s'; }
  function api(path, options) {
    options = options || {};
    options.headers = options.headers || {};
    if (token) { options.headers.Authorization = 'Bearer ' + token; }
    return fetch(path, options).then(function (r) {
      if (r.status === 401) { showLogin('The token was not accepted.'); throw failure(401, '401'); }
      return r.json().then(function (body) {
        if (!r.ok) { throw failure(r.status, body.error || r.statusText); }
        return body;
      }, function () { throw failure(r.status, r.statusText || 'not JSON'); });
    });
  }
  function failure(status, message) {
    var e = new Error(message);
    e.status = status;
    return e;
  }
  // a component of a listening score as "open questions 9/10": its points of its weight
  function round1(v) { return Math.round(v * 10) / 10; }
  function componentText(c) {
    return c.name.replace(/_/g, ' ') + ' ' + round1(c.points) + '/' + round1(c.weight);
  }

  // ---- connection -------------------------------------------------------------------------
  function connect() {
    if (source) { source.close(); }
    setConnection('connecting');
    source = window.EarshotStream.open('/api/floor/stream', {
      token: function () { return token; },
      onEvent: function (name, data) {
        if (name === 'snapshot') {
          setConnection('live');
          apply(JSON.parse(data));
        }
      },
      onRetry: function () { setConnection('error'); },
      // 401: no valid token (or it was revoked); 403: a token that may not see the floor, e.g. an agent's own
      onRefused: function (status, message) {
        source = null;
        setConnection('error');
        showLogin(status === 401 ? 'The token was not accepted.' : status === 403
          ? 'This token may not open the floor: ' + message : message);
      }
    });
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
  $('login-form').addEventListener('submit', function (e) {
    e.preventDefault();
    token = $('login-token').value.trim();
    sessionStorage.setItem('earshot.token', token);
    $('login').hidden = true;
    connect();
  });

  function apply(snapshot) {
    floor = snapshot;
    document.body.dataset.version = snapshot.version;
    renderTeams();
    renderAgents();
    renderAlerts();
    renderCallList();
    var key = $('series-key').value;
    renderSeriesKeys();
    if (currentView() === 'call') { refreshCall(); }
    // the first agents to arrive fill the analyst view's picker: show the picked one's coaching
    if (currentView() === 'analyst' && $('series-key').value !== key) { refreshCoaching(); }
    if (currentView() === 'analyst' && $('series-window').value === 'LIVE') { refreshSeries(); }
  }

  // ---- the grid ---------------------------------------------------------------------------
  function sortValue(a, key) {
    var c = a.call || {};
    switch (key) {
      case 'talkShare': return c.agentTalkShare;
      case 'interruptions': return c.agentInterruptions;
      case 'window': return a.window ? a.window.agentInterruptions : null;
      case 'score': return a.window ? a.window.listeningScore : null;
      case 'callScore': return c.listeningScore;
      case 'listening': return a.window ? countsTotal(a.window.behaviours) : null;
      case 'pauseRespect': return c.pauseRespectRate;
      case 'backchannels': return c.agentBackchannels;
      case 'deadAir': return c.deadAirMs;
      default: return a[key];
    }
  }
  function compare(x, y) {
    if (x === y) { return 0; }
    if (x === null || x === undefined) { return 1; }
    if (y === null || y === undefined) { return -1; }
    return x < y ? -1 : 1;
  }
  function renderTeams() {
    var select = $('team-filter');
    var teams = {};
    floor.agents.forEach(function (a) { if (a.team) { teams[a.team] = true; } });
    var have = Array.prototype.map.call(select.options, function (o) { return o.value; });
    Object.keys(teams).sort().forEach(function (t) {
      if (have.indexOf(t) < 0) { select.appendChild(el('option', { value: t }, t)); }
    });
  }
  // rows and alert items are kept and updated in place (a push every 250 ms must not pull
  // a link or button away from under the supervisor's pointer)
  var rowsByAgent = {};
  function setText(node, text) { if (node.textContent !== text) { node.textContent = text; } }
  function agentRow(agentId) {
    var tr = rowsByAgent[agentId];
    if (tr) { return tr; }
    tr = el('tr', { 'data-agent': agentId });
    ['agent', 'team', 'state-cell', 'num score-window', 'num score-call', 'num talk-share', 'num interruptions',
      'num window-interruptions', 'num pause-respect', 'num backchannels', 'num dead-air', 'listening',
      'call'].forEach(function (cls) {
      tr.appendChild(el('td', { 'class': cls }));
    });
    tr.cells[2].appendChild(el('span'));
    var link = el('a', { href: '#call' });
    link.addEventListener('click', function () { selectedCall = link.dataset.call; });
    tr.querySelector('.call').appendChild(link);
    rowsByAgent[agentId] = tr;
    return tr;
  }
  function renderAgents() {
    var team = $('team-filter').value;
    var rows = floor.agents.filter(function (a) { return !team || a.team === team; });
    rows.sort(function (a, b) {
      return sort.dir * compare(sortValue(a, sort.key), sortValue(b, sort.key)) || compare(a.agentId, b.agentId);
    });
    var body = $('agents').tBodies[0];
    var band = floor.thresholds || { talkShareLow: 0, talkShareHigh: 1 };
    var shown = {};
    rows.forEach(function (a) {
      var c = a.call || {};
      var tr = agentRow(a.agentId);
      shown[a.agentId] = true;
      tr.dataset.state = a.state;
      tr.dataset.durationMs = c.durationMs === undefined ? -1 : c.durationMs;
      setText(tr.cells[0], a.agentId);
      setText(tr.cells[1], a.team || '\u2013');
      var badge = tr.cells[2].firstChild;
      badge.className = 'state state-' + a.state;
      setText(badge, a.state.replace('_', ' ').toLowerCase());
      function cell(cls) { return tr.querySelector('.' + cls); }
      var w = a.window || {};
      var low = band.listeningScoreLow;
      setText(cell('score-window'), score(w.listeningScore));
      cell('score-window').classList.toggle('out-of-band', low !== null && low !== undefined
          && w.listeningScore !== null && w.listeningScore !== undefined && w.listeningScore < low);
      setText(cell('score-call'), score(c.listeningScore));
      setText(cell('talk-share'), pct(c.agentTalkShare));
      cell('talk-share').classList.toggle('out-of-band', c.agentTalkShare !== undefined && c.agentTalkShare !== null
          && (c.agentTalkShare < band.talkShareLow || c.agentTalkShare > band.talkShareHigh));
      setText(cell('interruptions'), c.agentInterruptions === undefined ? '\u2013' : String(c.agentInterruptions));
      setText(cell('window-interruptions'), a.window ? String(a.window.agentInterruptions) : '\u2013');
      setText(cell('pause-respect'), pct(c.pauseRespectRate));
      setText(cell('backchannels'), c.agentBackchannels === undefined ? '\u2013' : String(c.agentBackchannels));
      setText(cell('dead-air'), c.deadAirMs === undefined ? '\u2013' : secs(c.deadAirMs));
      setText(cell('listening'), countsText(w.behaviours));
      var link = cell('call').firstChild;
      link.hidden = !a.callId;
      link.dataset.call = a.callId || '';
      setText(link, a.callId || '');
      body.appendChild(tr); // moves a kept row into sort order without re-creating it
    });
    Object.keys(rowsByAgent).forEach(function (id) {
      if (!shown[id] && rowsByAgent[id].parentNode) { body.removeChild(rowsByAgent[id]); }
    });
    $('no-agents').hidden = rows.length > 0;
    $('agent-count').textContent = rows.length + ' agent' + (rows.length === 1 ? '' : 's');
    Array.prototype.forEach.call(document.querySelectorAll('#agents th'), function (th) {
      th.classList.toggle('sorted-asc', th.dataset.sort === sort.key && sort.dir > 0);
      th.classList.toggle('sorted-desc', th.dataset.sort === sort.key && sort.dir < 0);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('#agents th'), function (th) {
    th.addEventListener('click', function () {
      sort = { key: th.dataset.sort, dir: sort.key === th.dataset.sort ? -sort.dir : 1 };
      renderAgents();
    });
  });
  $('team-filter').addEventListener('change', renderAgents);

  // ---- alerts -----------------------------------------------------------------------------
  var alertItems = {};
  function alertItem(a, canAck) {
    var key = a.id + (a.acknowledgedBy ? ':ack' : '') + (canAck ? ':can' : '');
    var li = alertItems[a.id];
    if (li && li.dataset.key === key) { return li; }
    var fresh = el('li', { 'data-alert-id': a.id, 'data-kind': a.kind, 'data-key': key });
    if (a.acknowledgedBy) { fresh.classList.add('acknowledged'); }
    fresh.appendChild(el('div', { 'class': 'message' }, a.message));
    fresh.appendChild(el('div', { 'class': 'when' }, new Date(a.raisedAt).toLocaleTimeString()
      + (a.acknowledgedBy ? ' \u00b7 acknowledged by ' + a.acknowledgedBy : '')));
    if (!a.acknowledgedBy && canAck) {
      var b = el('button', { type: 'button', 'class': 'ack' }, 'Acknowledge');
      b.addEventListener('click', function () {
        b.disabled = true;
        api('/api/floor/alerts/' + encodeURIComponent(a.id) + '/ack', { method: 'POST' })
          .catch(function (err) { b.disabled = false; fresh.appendChild(el('div', { 'class': 'error' }, err.message)); });
      });
      fresh.appendChild(b);
    }
    if (li && li.parentNode) { li.parentNode.replaceChild(fresh, li); }
    alertItems[a.id] = fresh;
    return fresh;
  }
  function renderAlerts() {
    var list = $('alerts');
    var canAck = floor.role === 'SUPERVISOR' || floor.role === 'ADMIN';
    var shown = {};
    floor.alerts.forEach(function (a) {
      shown[a.id] = true;
      list.appendChild(alertItem(a, canAck));
    });
    Object.keys(alertItems).forEach(function (id) {
      if (!shown[id]) {
        if (alertItems[id].parentNode) { list.removeChild(alertItems[id]); }
        delete alertItems[id];
      }
    });
    $('no-alerts').hidden = floor.alerts.length > 0;
  }

  // ---- call view --------------------------------------------------------------------------
  // A call the floor holds (live, or ended recently) comes from the floor's memory and is
  // redrawn as it changes; any other call from the store's timeline (/api/calls/{id}), once.
  var storedCall = null; // the last call drawn from the store, in the floor view's shape
  var pendingFocus = null; // {callId, atMs}: a moment to show once that call is drawn
  function onFloor(id) {
    return floor.calls.some(function (c) { return c.callId === id; });
  }
  function renderCallList() {
    var select = $('call-select');
    var keep = selectedCall || (select.value || null);
    select.textContent = '';
    floor.calls.forEach(function (c) {
      select.appendChild(el('option', { value: c.callId },
        c.callId + ' \u00b7 ' + c.agentId + (c.live ? ' \u00b7 live' : ' \u00b7 ended')));
    });
    if (keep && !onFloor(keep)) {
      select.appendChild(el('option', { value: keep }, keep + ' \u00b7 stored'));
    }
    if (keep) { select.value = keep; }
    if (!selectedCall && floor.calls.length) { selectedCall = select.value; }
  }
  $('call-select').addEventListener('change', function (e) { selectedCall = e.target.value; refreshCall(); });
  $('call-open').addEventListener('submit', function (e) {
    e.preventDefault();
    var id = $('call-id').value.trim();
    if (!id) { return; }
    openCall(id, null);
  });
  function openCall(id, atMs) {
    selectedCall = id;
    pendingFocus = atMs === null || atMs === undefined ? null : { callId: id, atMs: atMs };
    if (currentView() === 'call') { renderCallList(); refreshCall(); } else { location.hash = '#call'; }
  }

  function refreshCall() {
    if (!selectedCall) { return; }
    var id = selectedCall;
    var stored = !onFloor(id);
    if (stored && storedCall && storedCall.call.callId === id) {
      // the store's calls have ended: nothing to fetch again
      if (document.body.dataset.shownCall !== id) {
        renderCall(storedCall);
      } else if (pendingFocus && pendingFocus.callId === id) {
        focusAt(pendingFocus.atMs, true);
        pendingFocus = null;
      }
      return;
    }
    if (callFetch.busy) { callFetch.again = true; return; }
    callFetch.busy = true;
    var load = stored ? storeCall(id) : api('/api/floor/calls/' + encodeURIComponent(id)).catch(function (err) {
      // the floor let it go between two snapshots: the store has it once it ended
      if (err.status === 404) { return storeCall(id); }
      throw err;
    });
    load.then(function (view) {
      if (view.call.callId === selectedCall) { renderCall(view); }
    }, function (err) {
      if (id !== selectedCall) { return; }
      var info = $('call-info');
      info.textContent = 'call ' + id + ' unavailable (' + err.message + ')';
      info.dataset.state = 'unavailable';
    }).then(done, done);
    function done() {
      callFetch.busy = false;
      if (callFetch.again) { callFetch.again = false; refreshCall(); }
    }
  }
  function storeCall(id) {
    return api('/api/calls/' + encodeURIComponent(id)).then(function (t) {
      storedCall = fromTimeline(t);
      return storedCall;
    });
  }
  // The query API's call timeline in the shape of the floor's call view.
  function fromTimeline(t) {
    var c = t.call;
    function lane(role) {
      return t.segments.filter(function (g) { return g.role === role; })
        .map(function (g) { return { startMs: g.startMs, endMs: g.endMs }; });
    }
    var agent = lane('AGENT'), customer = lane('CUSTOMER');
    return {
      call: { callId: c.callId, agentId: c.agentId, team: c.team, live: false, stored: true,
        endReason: c.endReason, positionMs: c.durationMs,
        metrics: { durationMs: c.durationMs, agentTalkShare: c.agentTalkShare, agentInterruptions: c.agentInterruptions,
          customerInterruptions: c.customerInterruptions, pauseRespectRate: c.pauseRespectRate,
          agentBackchannels: c.agentBackchannels, deadAirMs: c.deadAirMs, listeningScore: c.listeningScore } },
      agentSpurts: agent,
      customerSpurts: customer,
      overlaps: overlapsOf(agent, customer),
      interruptions: t.interruptions.map(function (i) {
        return { by: i.by, startMs: i.startMs, durationMs: i.overlapMs, text: i.byWords };
      }),
      backchannels: t.backchannels.map(function (b) {
        return { by: b.by, startMs: b.startMs, durationMs: b.endMs - b.startMs, text: b.text };
      }),
      deadAir: t.deadAir.map(function (d) { return { startMs: d.startMs, endMs: d.endMs }; }),
      transcript: t.utterances.map(function (u) {
        return { role: u.role, startMs: u.startMs, endMs: u.endMs, text: u.text, isFinal: true };
      }),
      behaviours: t.behaviours,
      toneEvents: t.toneEvents,
      listeningScore: t.listeningScore,
      coaching: t.coaching,
      speakingRateWpm: t.speakingRateWpm
    };
  }
  // Where both parties speak at once: the intersections of two lanes, each in time order
  // without overlaps of its own.
  function overlapsOf(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      var from = Math.max(a[i].startMs, b[j].startMs), to = Math.min(a[i].endMs, b[j].endMs);
      if (from < to) { out.push({ startMs: from, endMs: to }); }
      if (a[i].endMs < b[j].endMs) { i++; } else { j++; }
    }
    return out;
  }
  function wpm(v) { return v === null || v === undefined ? null : Math.round(v) + ' wpm'; }
  var focusMs = null; // the coaching note's second the supervisor clicked, kept across redraws
  function renderCall(view) {
    var c = view.call;
    if (view.call.callId !== (document.body.dataset.shownCall || '')) { focusMs = null; }
    document.body.dataset.shownCall = view.call.callId;
    var info = $('call-info');
    info.textContent = c.agentId + ' \u00b7 ' + (c.team || 'no team') + ' \u00b7 '
      + (c.live ? 'live' : 'ended (' + c.endReason + ')') + ' \u00b7 ' + secs(c.positionMs)
      + (c.stored ? ' \u00b7 from the store' : '');
    info.dataset.state = c.stored ? 'stored' : 'floor';
    var m = c.metrics || {};
    var rate = view.speakingRateWpm || {};
    var box = $('call-metrics');
    box.textContent = '';
    [['talk-share', 'Talk share', pct(m.agentTalkShare)], ['agent-interruptions', 'Interruptions by agent', m.agentInterruptions],
      ['customer-interruptions', 'by customer', m.customerInterruptions], ['pause-respect', 'Pause respect', pct(m.pauseRespectRate)],
      ['agent-backchannels', 'Backchannels by agent', m.agentBackchannels],
      ['dead-air', 'Dead air', m.deadAirMs === undefined ? undefined : secs(m.deadAirMs)],
      ['listening-score', 'Listening score', m.listeningScore === undefined || m.listeningScore === null ? null : score(m.listeningScore)],
      ['agent-rate', 'Agent speaking rate', wpm(rate.AGENT)], ['customer-rate', 'Customer speaking rate', wpm(rate.CUSTOMER)]]
      .forEach(function (p) {
        var d = el('div', { 'data-metric': p[0] });
        d.appendChild(el('b', null, p[2] === undefined || p[2] === null ? '\u2013' : String(p[2])));
        d.appendChild(document.createTextNode(p[1]));
        box.appendChild(d);
      });
    drawTimeline(view);
    var list = $('transcript');
    list.textContent = '';
    var marks = behaviourMarks(view.transcript, view.behaviours || []);
    view.transcript.forEach(function (t, i) {
      var li = el('li', { 'class': t.role + (t.isFinal ? '' : ' partial'), 'data-start-ms': t.startMs,
        'data-end-ms': t.endMs });
      li.appendChild(el('span', { 'class': 'at' }, secs(t.startMs)));
      li.appendChild(el('span', { 'class': 'who' }, t.role.toLowerCase()));
      appendMarked(li, t.text, marks[i] || []);
      list.appendChild(li);
    });
    $('no-transcript').hidden = view.transcript.length > 0;
    renderScore(view.listeningScore);
    renderCoaching(view.coaching || []);
    if (pendingFocus && pendingFocus.callId === c.callId) {
      focusAt(pendingFocus.atMs, true);
      pendingFocus = null;
    } else if (focusMs !== null) {
      focusAt(focusMs, false);
    }
  }

  // Which words of which transcript line each behaviour matched: the line of the same party
  // that holds the behaviour's words, the one nearest in time. Returns, per line index, the
  // [from, to, behaviour] ranges without overlaps.
  function behaviourMarks(lines, behaviours) {
    var out = {};
    behaviours.forEach(function (b) {
      var needle = (b.text || '').toLowerCase().trim();
      if (!needle) { return; }
      var best = -1, bestDistance = Infinity, bestAt = -1;
      lines.forEach(function (t, i) {
        if (t.role !== b.by) { return; }
        var at = t.text.toLowerCase().indexOf(needle);
        if (at < 0) { return; }
        var distance = b.startMs < t.startMs ? t.startMs - b.startMs : b.startMs > t.endMs ? b.startMs - t.endMs : 0;
        if (distance < bestDistance) { best = i; bestDistance = distance; bestAt = at; }
      });
      if (best < 0) { return; }
      var ranges = out[best] = out[best] || [];
      var range = [bestAt, bestAt + needle.length, b];
      if (!ranges.some(function (r) { return r[0] < range[1] && range[0] < r[1]; })) { ranges.push(range); }
    });
    Object.keys(out).forEach(function (k) { out[k].sort(function (x, y) { return x[0] - y[0]; }); });
    return out;
  }
  function appendMarked(li, text, ranges) {
    var at = 0;
    ranges.forEach(function (r) {
      if (r[0] > at) { li.appendChild(document.createTextNode(text.substring(at, r[0]))); }
      var mark = el('mark', { 'class': 'behaviour', 'data-kind': r[2].kind,
        title: r[2].kind.replace(/_/g, ' ') + (r[2].reason ? ': ' + r[2].reason : '') }, text.substring(r[0], r[1]));
      li.appendChild(mark);
      at = r[1];
    });
    if (at < text.length) { li.appendChild(document.createTextNode(text.substring(at))); }
  }
  function renderScore(s) {
    setText($('call-score'), s ? score(s.score) : '\u2013');
    var body = $('score-components').tBodies[0];
    body.textContent = '';
    (s ? s.components : []).forEach(function (c) {
      var tr = el('tr', { 'data-name': c.name });
      tr.appendChild(el('td', null, c.name.replace(/_/g, ' ')));
      tr.appendChild(el('td', { 'class': 'num' }, c.value === null || c.value === undefined ? 'not judged'
        : String(Math.round(c.value * 100) / 100)));
      var pts = el('td', { 'class': 'num' }, (Math.round(c.points * 10) / 10) + ' / ' + c.weight);
      pts.appendChild(el('span', { 'class': 'bar', style: 'width:' + Math.round(60 * (c.weight ? c.points / c.weight : 0)) + 'px' }));
      tr.appendChild(pts);
      body.appendChild(tr);
    });
    $('no-score').hidden = !!(s && s.components.length);
  }
  function renderCoaching(notes) {
    var list = $('coaching');
    list.textContent = '';
    notes.forEach(function (n) {
      var li = el('li', { 'data-kind': n.kind, 'data-at-ms': n.atMs,
        'class': n.kind.indexOf('good_') === 0 ? 'strength' : 'gap' });
      var at = el('button', { type: 'button', 'class': 'at', title: 'show this moment' }, clock(n.atMs));
      at.addEventListener('click', function () { focusAt(n.atMs, true); });
      li.appendChild(at);
      li.appendChild(el('span', { 'class': 'message' }, n.message));
      list.appendChild(li);
    });
    $('no-coaching').hidden = notes.length > 0;
  }
  // Shows a second of the call: the transcript line spoken then (or the nearest before it)
  // highlighted and scrolled to, and a cursor on the timeline.
  function focusAt(ms, scroll) {
    focusMs = ms;
    var best = null;
    Array.prototype.forEach.call(document.querySelectorAll('#transcript li'), function (li) {
      li.classList.remove('focus');
      if (Number(li.dataset.startMs) <= ms + 500 && (!best || Number(li.dataset.startMs) >= Number(best.dataset.startMs))) {
        best = li;
      }
    });
    if (!best) { best = document.querySelector('#transcript li'); }
    if (best) {
      best.classList.add('focus');
      if (scroll) { best.scrollIntoView({ block: 'center' }); }
    }
    var s = $('timeline');
    if (s) {
      var old = s.querySelector('.cursor');
      if (old) { old.parentNode.removeChild(old); }
      var px = s.xOf(ms);
      s.appendChild(svg('line', { 'class': 'cursor', x1: px, x2: px, y1: 4, y2: s.height.baseVal.value - 20,
        'data-at-ms': ms }));
    }
  }
  function drawTimeline(view) {
    var W = 1000, left = 70, right = 10, laneH = 28, agentY = 20, customerY = 70, behaviourY = 112, H = 150;
    var end = Math.max(view.call.positionMs, 10000);
    function x(ms) { return left + (W - left - right) * Math.min(ms, end) / end; }
    var s = svg('svg', { id: 'timeline', width: W, height: H, viewBox: '0 0 ' + W + ' ' + H,
      'data-call': view.call.callId });
    s.xOf = x;
    s.appendChild(svg('text', { x: 4, y: agentY + 18 }, 'agent'));
    s.appendChild(svg('text', { x: 4, y: customerY + 18 }, 'customer'));
    s.appendChild(svg('text', { x: 4, y: behaviourY + 10 }, 'listening'));
    view.deadAir.forEach(function (d) {
      s.appendChild(svg('rect', { 'class': 'deadair', x: x(d.startMs), y: agentY - 6,
        width: Math.max(1, x(d.endMs) - x(d.startMs)), height: customerY + laneH - agentY + 12 }));
    });
    function lane(spans, cls, y) {
      spans.forEach(function (p) {
        s.appendChild(svg('rect', { 'class': 'spurt ' + cls, x: x(p.startMs), y: y,
          width: Math.max(1, x(p.endMs) - x(p.startMs)), height: laneH, 'data-start-ms': p.startMs,
          'data-end-ms': p.endMs }));
      });
    }
    lane(view.agentSpurts, 'agent', agentY);
    lane(view.customerSpurts, 'customer', customerY);
    view.overlaps.forEach(function (o) {
      s.appendChild(svg('rect', { 'class': 'overlap', x: x(o.startMs), y: agentY - 4,
        width: Math.max(1, x(o.endMs) - x(o.startMs)), height: customerY + laneH - agentY + 8 }));
    });
    view.interruptions.forEach(function (i) {
      var y = i.by === 'AGENT' ? agentY - 2 : customerY + laneH + 2;
      var dir = i.by === 'AGENT' ? -1 : 1;
      var px = x(i.startMs);
      var m = svg('path', { 'class': 'interruption', 'data-by': i.by,
        d: 'M' + (px - 5) + ',' + (y + dir * 8) + ' L' + (px + 5) + ',' + (y + dir * 8) + ' L' + px + ',' + y + ' Z' });
      m.appendChild(svg('title', {}, 'interruption by ' + i.by.toLowerCase() + ' at ' + secs(i.startMs)
        + ', overlap ' + secs(i.durationMs) + (i.text ? ': "' + i.text + '"' : '')));
      s.appendChild(m);
    });
    view.backchannels.forEach(function (b) {
      var cy = b.by === 'AGENT' ? agentY + laneH / 2 : customerY + laneH / 2;
      var m = svg('circle', { 'class': 'backchannel', 'data-by': b.by, cx: x(b.startMs), cy: cy, r: 4 });
      m.appendChild(svg('title', {}, 'backchannel by ' + b.by.toLowerCase() + (b.text ? ': "' + b.text + '"' : '')));
      s.appendChild(m);
    });
    // tone events: a band over the speaker's lane for the stretch they cover
    (view.toneEvents || []).forEach(function (t) {
      var y = t.by === 'AGENT' ? agentY - 8 : customerY - 8;
      var m = svg('rect', { 'class': 'tone', 'data-kind': t.kind, 'data-by': t.by, 'data-start-ms': t.startMs,
        x: x(t.startMs), y: y, width: Math.max(3, x(t.endMs) - x(t.startMs)), height: 6 });
      var values = Object.keys(t.values || {}).map(function (k) {
        return k + ' ' + Math.round(t.values[k] * 10) / 10;
      }).join(', ');
      m.appendChild(svg('title', {}, t.kind.replace(/_/g, ' ') + ' by ' + t.by.toLowerCase() + ' at '
        + clock(t.startMs) + (values ? ' (' + values + ')' : '')));
      s.appendChild(m);
    });
    // behaviours: a mark on the listening lane (agent above, customer below its midline)
    (view.behaviours || []).forEach(function (b) {
      var y = b.by === 'AGENT' ? behaviourY : behaviourY + 9;
      var m = svg('rect', { 'class': 'behaviour', 'data-kind': b.kind, 'data-by': b.by, 'data-start-ms': b.startMs,
        x: x(b.startMs) - 2, y: y, width: Math.max(4, x(b.endMs) - x(b.startMs)), height: 7 });
      m.appendChild(svg('title', {}, b.kind.replace(/_/g, ' ') + ' by ' + b.by.toLowerCase() + ' at '
        + clock(b.startMs) + ': "' + b.text + '"'));
      s.appendChild(m);
    });
    var step = end > 120000 ? 30000 : end > 40000 ? 10000 : 5000;
    s.appendChild(svg('line', { 'class': 'axis', x1: left, x2: W - right, y1: H - 18, y2: H - 18 }));
    for (var t = 0; t <= end; t += step) {
      s.appendChild(svg('line', { 'class': 'axis', x1: x(t), x2: x(t), y1: H - 18, y2: H - 14 }));
      s.appendChild(svg('text', { x: x(t) - 6, y: H - 3 }, Math.round(t / 1000) + 's'));
    }
    var box = $('timeline-box');
    box.textContent = '';
    box.appendChild(s);
  }

  // ---- analyst view -----------------------------------------------------------------------
  function renderSeriesKeys() {
    var scope = $('series-scope').value;
    var select = $('series-key');
    var keys = {};
    floor.agents.forEach(function (a) {
      if (scope === 'AGENT') { keys[a.agentId] = true; } else if (a.team) { keys[a.team] = true; }
    });
    var current = select.value;
    var have = Array.prototype.map.call(select.options, function (o) { return o.value; }).join('\n');
    var want = Object.keys(keys).sort();
    if (have !== want.join('\n')) {
      select.textContent = '';
      want.forEach(function (k) { select.appendChild(el('option', { value: k }, k)); });
      if (want.indexOf(current) >= 0) { select.value = current; }
    }
  }
  function refreshSeries() {
    var key = $('series-key').value;
    if (!key) { return; }
    var scope = $('series-scope').value;
    var windows = $('series-window').value;
    if (windows === 'LIVE') {
      api('/api/floor/series?scope=' + scope + '&key=' + encodeURIComponent(key)).then(drawChart, function () { });
      return;
    }
    // history: the query API's hourly or daily windows from the store
    api('/api/' + (scope === 'AGENT' ? 'agents/' : 'teams/') + encodeURIComponent(key) + '/series?window=' + windows)
      .then(function (series) {
        series.points.forEach(function (p) {
          p.windowEnd = Date.parse(p.windowEnd);
          p.windowStart = Date.parse(p.windowStart);
        });
        drawChart(series, 'no ' + windows.toLowerCase() + ' windows in the store yet');
      }, function () { drawChart({ points: [] }, 'no history here (the query API is not served)'); });
  }
  function drawChart(series, emptyText) {
    var metric = $('series-metric').value;
    var share = metric === 'agentTalkShare' || metric === 'pauseRespectRate';
    var pts = series.points.filter(function (p) { return p[metric] !== null && p[metric] !== undefined; });
    var W = 1000, H = 260, left = 50, right = 10, top = 10, bottom = 30;
    var s = svg('svg', { id: 'chart', width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, 'data-points': pts.length });
    var box = $('chart-box');
    box.textContent = '';
    box.appendChild(s);
    if (!pts.length) {
      s.appendChild(svg('text', { x: W / 2 - 80, y: H / 2 }, emptyText || 'no live windows yet'));
      return;
    }
    var t0 = pts[0].windowEnd, t1 = Math.max(pts[pts.length - 1].windowEnd, t0 + 1);
    var max = share ? 1 : metric === 'listeningScore' ? 100
      : Math.max(1, Math.max.apply(null, pts.map(function (p) { return p[metric]; })));
    function x(t) { return left + (W - left - right) * (t - t0) / (t1 - t0); }
    function y(v) { return top + (H - top - bottom) * (1 - v / max); }
    s.appendChild(svg('line', { 'class': 'axis', x1: left, x2: left, y1: top, y2: H - bottom }));
    s.appendChild(svg('line', { 'class': 'axis', x1: left, x2: W - right, y1: H - bottom, y2: H - bottom }));
    [0, 0.5, 1].forEach(function (f) {
      s.appendChild(svg('text', { x: 4, y: y(max * f) + 4 }, share ? Math.round(f * 100) + '%' : String(Math.round(max * f))));
    });
    s.appendChild(svg('text', { x: left, y: H - 8 }, new Date(t0).toLocaleTimeString()));
    s.appendChild(svg('text', { x: W - right - 60, y: H - 8 }, new Date(t1).toLocaleTimeString()));
    s.appendChild(svg('polyline', { 'class': 'line',
      points: pts.map(function (p) { return x(p.windowEnd) + ',' + y(p[metric]); }).join(' ') }));
    pts.forEach(function (p) {
      var d = svg('circle', { 'class': 'dot', cx: x(p.windowEnd), cy: y(p[metric]), r: 2.5 });
      d.appendChild(svg('title', {}, new Date(p.windowEnd).toLocaleTimeString() + ': '
        + (share ? pct(p[metric]) : p[metric])));
      s.appendChild(d);
    });
  }
  // ---- ranking (the query API's /api/ranking over the store's hourly or daily windows: its
  // `ranking` list of {key, team, listeningScore {score, components}, calls, callTimeMs, listening}) ----
  function refreshRanking() {
    var windows = $('ranking-window').value;
    var to = new Date();
    var from = new Date(to.getTime() - (windows === 'HOURLY' ? 24 : 7 * 24) * 3600 * 1000);
    var range = '&window=' + windows + '&from=' + encodeURIComponent(from.toISOString())
      + '&to=' + encodeURIComponent(to.toISOString());
    var status = $('ranking-status');
    status.textContent = 'loading\u2026';
    status.dataset.state = 'loading';
    Promise.all([api('/api/ranking?scope=AGENT' + range + '&limit=50'), api('/api/ranking?scope=TEAM' + range)])
      .then(function (both) {
        drawRanking($('ranking-agents'), both[0].ranking, true);
        drawRanking($('ranking-teams'), both[1].ranking, false);
        status.textContent = '';
        status.dataset.state = 'ok';
      }).catch(function (err) {
        drawRanking($('ranking-agents'), [], true);
        drawRanking($('ranking-teams'), [], false);
        status.textContent = 'ranking unavailable (' + err.message + ')';
        status.dataset.state = 'unavailable';
      });
  }
  function drawRanking(table, items, agents) {
    var body = table.tBodies[0];
    body.textContent = '';
    items.forEach(function (it, i) {
      var s = it.listeningScore;
      var tr = el('tr', { 'data-key': it.key, 'data-rank': i + 1 });
      tr.appendChild(el('td', { 'class': 'num' }, String(i + 1)));
      tr.appendChild(el('td', { 'class': 'key' }, it.key));
      if (agents) { tr.appendChild(el('td', null, it.team || '\u2013')); }
      var sc = el('td', { 'class': 'num score' }, score(s.score));
      sc.appendChild(el('span', { 'class': 'bar', style: 'width:' + Math.round(s.score || 0) + 'px' }));
      tr.appendChild(sc);
      var comps = el('td', { 'class': 'components' });
      s.components.forEach(function (c) {
        comps.appendChild(el('span', { 'class': 'component', 'data-name': c.name,
          title: c.value === null || c.value === undefined ? 'not judged' : 'measured ' + Math.round(c.value * 100) / 100 },
          componentText(c)));
      });
      tr.appendChild(comps);
      tr.appendChild(el('td', { 'class': 'num' }, String(it.calls)));
      body.appendChild(tr);
    });
    if (!items.length) {
      var empty = el('tr', { 'class': 'empty' });
      empty.appendChild(el('td', { colspan: agents ? 6 : 5, 'class': 'muted' }, 'no windows in this range'));
      body.appendChild(empty);
    }
  }
  $('ranking-window').addEventListener('change', refreshRanking);

  // ---- an agent's coaching over the last 7 days (/api/agents/{id}/coaching) --------------------
  function refreshCoaching() {
    var box = $('coaching-summary');
    var agent = $('series-key').value;
    box.hidden = $('series-scope').value !== 'AGENT' || !agent;
    if (box.hidden) { return; }
    $('coaching-agent').textContent = agent;
    var to = new Date();
    var from = new Date(to.getTime() - 7 * 24 * 3600 * 1000);
    var status = $('coaching-status');
    status.textContent = 'loading\u2026';
    status.dataset.state = 'loading';
    api('/api/agents/' + encodeURIComponent(agent) + '/coaching?from=' + encodeURIComponent(from.toISOString())
        + '&to=' + encodeURIComponent(to.toISOString()))
      .then(function (c) {
        if ($('series-key').value !== agent) { return; }
        fillList($('coaching-strengths'), c.strengths);
        fillList($('coaching-gaps'), c.gaps);
        var body = $('coaching-notes').tBodies[0];
        body.textContent = '';
        c.notes.forEach(function (n) {
          var tr = el('tr', { 'data-kind': n.kind });
          tr.appendChild(el('td', null, n.kind.replace(/_/g, ' ')));
          tr.appendChild(el('td', { 'class': 'num' }, String(n.count)));
          var ex = n.example;
          var td = el('td', { 'class': 'example' });
          // the example's call opens in the call view at the note's moment
          var link = el('a', { href: '#call', 'class': 'call-link', 'data-call': ex.callId }, ex.callId);
          link.addEventListener('click', function (e) {
            e.preventDefault();
            openCall(ex.callId, ex.atMs);
          });
          td.appendChild(link);
          td.appendChild(document.createTextNode(' at ' + clock(ex.atMs) + ': ' + ex.message));
          tr.appendChild(td);
          body.appendChild(tr);
        });
        status.textContent = '';
        status.dataset.state = 'ok';
      }).catch(function (err) {
        if ($('series-key').value !== agent) { return; }
        fillList($('coaching-strengths'), []);
        fillList($('coaching-gaps'), []);
        $('coaching-notes').tBodies[0].textContent = '';
        status.textContent = 'coaching unavailable (' + err.message + ')';
        status.dataset.state = 'unavailable';
      });
  }
  // strengths or gaps: score components, each as its points of its weight
  function fillList(list, components) {
    list.textContent = '';
    components.forEach(function (c) { list.appendChild(el('li', { 'data-name': c.name }, componentText(c))); });
    if (!components.length) { list.appendChild(el('li', { 'class': 'muted' }, 'none')); }
  }

  ['series-scope', 'series-key', 'series-metric', 'series-window'].forEach(function (id) {
    $(id).addEventListener('change', function () {
      if (id === 'series-scope') { renderSeriesKeys(); }
      refreshSeries();
      if (id === 'series-scope' || id === 'series-key') { refreshCoaching(); }
    });
  });

  // ---- views ------------------------------------------------------------------------------
  function currentView() {
    var v = location.hash.replace('#', '');
    return v === 'call' || v === 'analyst' ? v : 'floor';
  }
  function showView() {
    var v = currentView();
    ['floor', 'call', 'analyst'].forEach(function (name) {
      $('view-' + name).hidden = name !== v;
      $('nav-' + name).classList.toggle('active', name === v);
    });
    if (v === 'call') { renderCallList(); refreshCall(); }
    if (v === 'analyst') { renderSeriesKeys(); refreshSeries(); refreshRanking(); refreshCoaching(); }
  }
  window.addEventListener('hashchange', showView);
  showView();
  connect();
}());
