// Castiel Sync Engine dashboard: one page over the admin API. The admin token comes from the
// login field or from the URL fragment (#token=...), which browsers never send to the server;
// it is kept in sessionStorage (this tab only) and sent as "Authorization: Bearer".
(function () {
  "use strict";
  var TOKEN_KEY = "castiel-sync-admin-token";
  var REFRESH_MS = 5000;
  var timer = null;

  function el(id) { return document.getElementById(id); }

  function takeTokenFromFragment() {
    var m = /(?:^#|&)token=([^&]+)/.exec(window.location.hash || "");
    if (m) {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
      history.replaceState(null, "", window.location.pathname + window.location.search);
    }
  }

  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  function api(method, path) {
    return fetch(path, { method: method, headers: { "Authorization": "Bearer " + token() }, cache: "no-store" })
      .then(function (r) {
        if (r.status === 401) { throw { unauthorized: true }; }
        return r.json().then(function (body) {
          if (!r.ok) { throw new Error(body.error || ("HTTP " + r.status)); }
          return body;
        });
      });
  }

  function cell(row, text, className) {
    var td = document.createElement("td");
    td.textContent = text === null || text === undefined ? "" : String(text);
    if (className) { td.className = className; }
    row.appendChild(td);
    return td;
  }

  function when(iso) { return iso ? new Date(iso).toLocaleString() : "never"; }

  function clear(tbody) { while (tbody.firstChild) { tbody.removeChild(tbody.firstChild); } }

  function renderIntegrations(list) {
    var tbody = el("integrations").tBodies[0];
    clear(tbody);
    list.forEach(function (i) {
      var row = document.createElement("tr");
      row.dataset.integration = i.id;
      cell(row, i.name ? i.name + " (" + i.id + ")" : i.id);
      cell(row, i.tenantId);
      cell(row, i.provider);
      cell(row, i.status, "status-" + i.status);
      cell(row, when(i.lastSyncAt));
      cell(row, i.nextSyncAt ? when(i.nextSyncAt) : "manual");
      var run = i.lastRun;
      var stats = run && run.stats ? run.stats : {};
      cell(row, run ? run.jobType + " " + run.status : "none", run ? "run-" + run.status : "");
      cell(row, stats.created || 0);
      cell(row, stats.updated || 0);
      cell(row, stats.unchanged || 0);
      cell(row, stats.deleted || 0);
      cell(row, stats.failed || 0);
      var action = cell(row, "");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = "Sync now";
      button.addEventListener("click", function () {
        api("POST", "/api/integrations/" + encodeURIComponent(i.id) + "/sync").then(refresh, showError);
      });
      action.appendChild(button);
      tbody.appendChild(row);
    });
  }

  function renderQueues(queues) {
    var tbody = el("queues").tBodies[0];
    clear(tbody);
    Object.keys(queues).forEach(function (name) {
      var q = queues[name];
      var row = document.createElement("tr");
      row.dataset.queue = name;
      cell(row, name);
      cell(row, q.active);
      cell(row, q.scheduled);
      cell(row, q.deadLettered);
      tbody.appendChild(row);
    });
  }

  function renderAlerts(alerts) {
    var ul = el("alerts");
    clear(ul);
    if (alerts.length === 0) {
      var ok = document.createElement("li");
      ok.textContent = "No alerts.";
      ok.className = "muted";
      ul.appendChild(ok);
    }
    alerts.forEach(function (a) {
      var li = document.createElement("li");
      li.className = "severity-" + a.severity;
      li.dataset.alert = a.name;
      li.textContent = a.severity.toUpperCase() + " " + a.name + ": " + a.message;
      ul.appendChild(li);
    });
  }

  function renderDeadLetters(entries, total) {
    el("dead-letter-total").textContent = "(" + total + ")";
    var tbody = el("dead-letters").tBodies[0];
    clear(tbody);
    entries.forEach(function (d) {
      var row = document.createElement("tr");
      cell(row, d.queue);
      cell(row, d.sequenceNumber);
      cell(row, d.integrationId);
      cell(row, d.jobType || d.operation || "");
      cell(row, d.reason);
      cell(row, d.error);
      cell(row, when(d.deadLetteredAt));
      var action = cell(row, "");
      var replay = document.createElement("button");
      replay.type = "button";
      replay.textContent = "Replay";
      replay.addEventListener("click", function () {
        api("POST", "/api/deadletters/" + encodeURIComponent(d.queue) + "/" + d.sequenceNumber + "/replay").then(refresh, showError);
      });
      action.appendChild(replay);
      tbody.appendChild(row);
    });
  }

  function renderEvents(events) {
    var ul = el("events");
    clear(ul);
    events.forEach(function (e) {
      var li = document.createElement("li");
      li.textContent = when(e.occurredAt) + " " + e.type.replace("Castiel.Integration.", "") + " " + e.subject;
      ul.appendChild(li);
    });
  }

  function showError(e) {
    if (e && e.unauthorized) {
      sessionStorage.removeItem(TOKEN_KEY);
      showLogin("The admin token was refused.");
      return;
    }
    el("updated").textContent = "Update failed: " + (e && e.message ? e.message : e);
    document.body.dataset.state = "error";
  }

  function refresh() {
    return Promise.all([api("GET", "/api/overview"), api("GET", "/api/deadletters?limit=20")]).then(function (r) {
      var overview = r[0];
      renderAlerts(overview.alerts);
      renderIntegrations(overview.integrations);
      renderQueues(overview.queues);
      renderDeadLetters(r[1], overview.deadLetters);
      renderEvents(overview.recentEvents);
      el("updated").textContent = "Updated " + new Date().toLocaleTimeString();
      document.body.dataset.state = "loaded";
    }, showError);
  }

  function showLogin(message) {
    if (timer) { clearInterval(timer); timer = null; }
    el("main").hidden = true;
    el("logout").hidden = true;
    el("login").hidden = false;
    el("login-error").textContent = message || "";
    document.body.dataset.state = "login";
  }

  function start() {
    el("login").hidden = true;
    el("main").hidden = false;
    el("logout").hidden = false;
    refresh();
    if (!timer) { timer = setInterval(refresh, REFRESH_MS); }
  }

  el("login-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var value = el("token").value.trim();
    if (value) {
      sessionStorage.setItem(TOKEN_KEY, value);
      el("token").value = "";
      start();
    }
  });
  el("logout").addEventListener("click", function () {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin("");
  });

  takeTokenFromFragment();
  if (token()) { start(); } else { showLogin(""); }
}());
