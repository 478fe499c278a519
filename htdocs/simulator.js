/* Phone simulator: POST sms (phone, body) -> replies as bubbles; poll
 * outbox. Text is only ever inserted with textContent, links are made
 * with createElement: nothing from the server is parsed as HTML. */
(function () {
  'use strict';
  var chat = document.getElementById('chat');
  var outbox = document.getElementById('outbox');
  var phone = document.getElementById('phone');
  var body = document.getElementById('body');
  var mine = document.getElementById('mine');
  var rows = [];
  var lastId = 0;

  function withLinks(el, text) {
    var re = /https?:\/\/\S+/g, at = 0, m;
    while ((m = re.exec(text)) !== null) {
      el.appendChild(document.createTextNode(text.slice(at, m.index)));
      var a = document.createElement('a');
      a.href = m[0];
      a.textContent = m[0];
      a.rel = 'noopener';
      el.appendChild(a);
      at = m.index + m[0].length;
    }
    el.appendChild(document.createTextNode(text.slice(at)));
    return el;
  }

  function bubble(cls, text) {
    var li = document.createElement('li');
    li.className = cls;
    chat.appendChild(withLinks(li, text));
    chat.scrollTop = chat.scrollHeight;
  }

  function send(ev) {
    ev.preventDefault();
    var text = body.value;
    if (!text.trim()) { return; }
    bubble('me', text);
    body.value = '';
    fetch('sms', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-SmsCloud-Demo': '1' },
      body: new URLSearchParams({ phone: phone.value, body: text }).toString()
    }).then(function (r) { return r.json(); }).then(function (j) {
      if (j.error) { bubble('error', j.error); return; }
      if (j.status !== 200) { bubble('error', '/sms answered ' + j.status); }
      (j.messages || []).forEach(function (m) { bubble('them', m); });
      if (j.messages && j.messages.length === 0) { bubble('error', '(no reply)'); }
      poll();
    }).catch(function (e) { bubble('error', 'simulator: ' + e); });
  }

  function render() {
    outbox.textContent = '';
    rows.filter(function (r) { return !mine.checked || r.to === phone.value.replace(/[^+0-9]/g, ''); })
      .forEach(function (r) {
        var li = document.createElement('li');
        var meta = document.createElement('span');
        meta.className = 'meta';
        meta.textContent = '#' + r.id + ' to ' + r.to + ' from ' + r.from + ' at ' + r.created;
        li.appendChild(meta);
        outbox.appendChild(withLinks(li, r.body));
      });
  }

  function poll() {
    fetch('outbox?after=' + lastId).then(function (r) { return r.json(); }).then(function (list) {
      if (!Array.isArray(list) || list.length === 0) { return; }
      list.forEach(function (r) { lastId = Math.max(lastId, Number(r.id)); });
      rows = list.concat(rows).slice(0, 200);
      render();
    }).catch(function () { /* server restarting: try again later */ });
  }

  document.getElementById('send').addEventListener('submit', send);
  document.getElementById('who').addEventListener('submit', function (ev) { ev.preventDefault(); render(); });
  phone.addEventListener('change', render);
  mine.addEventListener('change', render);
  poll();
  setInterval(poll, 2000);
}());
