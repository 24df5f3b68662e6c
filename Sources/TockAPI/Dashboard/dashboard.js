// Tock's dashboard: keeps the server-rendered pages current from the event stream
// (/api/v1/stream, Server-Sent Events) and sends the operator's actions to the API.
// Values from jobs are only ever set with textContent, never parsed as markup.
"use strict";

(() => {
  const body = document.body;
  const page = body.dataset.page;
  const live = document.getElementById("live");
  const eventTypes = ["enqueued", "started", "progress", "finished", "failed", "canceled", "stopped", "scheduled", "deferred"];
  const terminal = new Set(["finished", "failed", "canceled", "stopped"]);
  const waiting = new Set(["queued", "scheduled", "deferred"]);

  // --- Times and durations ---------------------------------------------------------

  const localFormat = new Intl.DateTimeFormat(undefined, {
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  });

  function utcTitle(iso) {
    return iso.slice(0, 19).replace("T", " ") + " UTC";
  }

  function setTime(element, iso) {
    element.setAttribute("datetime", iso);
    element.title = utcTitle(iso);
    element.textContent = localFormat.format(new Date(iso));
  }

  function localizeTimes(root) {
    for (const element of root.querySelectorAll("time[datetime]")) setTime(element, element.getAttribute("datetime"));
  }

  /** A cell's content: a <time>, or a dash when there is none. */
  function fillTime(cell, iso) {
    cell.replaceChildren();
    if (iso) {
      const element = document.createElement("time");
      setTime(element, iso);
      cell.append(element);
    } else {
      const none = document.createElement("span");
      none.className = "none";
      none.textContent = "—";
      cell.append(none);
    }
  }

  /** As the server writes them: 850 ms, 12.3 s, 4 min 5 s, 2 h 3 min. */
  function seconds(value) {
    if (value === null || value === undefined || !isFinite(value)) return "—";
    if (value < 1) return Math.round(value * 1000) + " ms";
    if (value < 60) return value.toFixed(1) + " s";
    const whole = Math.round(value);
    if (whole < 3600) return Math.floor(whole / 60) + " min " + (whole % 60) + " s";
    return Math.floor(whole / 3600) + " h " + Math.floor((whole % 3600) / 60) + " min";
  }

  function firstLine(text) {
    if (!text) return "";
    return text.split("\n").find((line) => line.length > 0) || "";
  }

  function fillStatus(element, status) {
    element.className = "status status-" + status;
    element.textContent = status;
  }

  // --- The API -------------------------------------------------------------------

  /** The parsed JSON body, or null for a 404; throws with the problem's detail otherwise. */
  async function api(method, path) {
    const response = await fetch(path, { method, headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (response.status === 404 && method === "GET") return null;
    if (response.status === 204) return {};
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (_) { json = null; }
    if (!response.ok) {
      const detail = json && (json.detail || json.title);
      throw new Error(detail || method + " " + path + ": HTTP " + response.status);
    }
    return json;
  }

  function notice(text, isError) {
    const element = document.getElementById("action-result");
    if (!element) return;
    element.hidden = false;
    element.classList.toggle("failure", Boolean(isError));
    element.textContent = text;
  }

  // --- The stream ----------------------------------------------------------------

  function setLive(state, text) {
    if (!live) return;
    live.dataset.state = state;
    live.textContent = text;
  }

  /**
   * Follows `url`. EventSource reconnects by itself after a dropped connection, sending
   * Last-Event-ID so nothing is lost; when the server refused it outright (closed), a new
   * one starts after a pause and the page refetches what it shows.
   */
  function follow(url, onEvent, catchUp) {
    let opened = false;
    let sawEvent = false;
    function connect() {
      const source = new EventSource(url);
      source.onopen = () => {
        setLive("live", "Live");
        // What happened between the page's rendering and now; after an outage the stream
        // replays what was missed from Last-Event-ID, which exists once an event came.
        if (!opened || !sawEvent) catchUp();
        opened = true;
      };
      source.onerror = () => {
        if (source.readyState === EventSource.CLOSED) {
          setLive("down", "Live updates stopped — retrying");
          source.close();
          setTimeout(() => { opened = false; connect(); }, 5000);
        } else {
          setLive("down", "Disconnected — reconnecting");
        }
      };
      for (const type of eventTypes) {
        source.addEventListener(type, (message) => {
          sawEvent = true;
          onEvent(type, JSON.parse(message.data));
        });
      }
      // Events were pruned from the log while away: refetch what the page shows.
      source.addEventListener("reset", () => catchUp());
      window.addEventListener("pagehide", () => source.close(), { once: true });
    }
    setLive("connecting", "Connecting");
    connect();
  }

  function streamURL(filters) {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
    const text = query.toString();
    return "/api/v1/stream" + (text ? "?" + text : "");
  }

  /** Runs `work` at most once per `interval` ms, however often it is asked for. */
  function throttled(work, interval) {
    let timer = null;
    let again = false;
    return function request() {
      if (timer) { again = true; return; }
      timer = setTimeout(async () => {
        try { await work(); } catch (error) { setLive("down", "Refresh failed: " + error.message); }
        timer = null;
        if (again) { again = false; request(); }
      }, interval);
    };
  }

  // --- Overview, workers, queues: sections re-read from the server's own rendering ---

  /** Replaces each live region (tables' bodies, figures) with the server's current one. */
  async function refreshSections() {
    const response = await fetch(location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" });
    if (!response.ok) throw new Error("HTTP " + response.status);
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.queue : undefined;
    for (const selector of ["table[id] > tbody", ".cards", "p.empty"]) {
      const current = document.querySelectorAll(selector);
      const replacements = fresh.querySelectorAll(selector);
      current.forEach((element, index) => {
        const replacement = replacements[index];
        if (!replacement) return;
        const imported = document.importNode(replacement, true);
        localizeTimes(imported);
        element.replaceWith(imported);
      });
    }
    // Keep the keyboard where it was (a queue's pause button).
    if (focused !== undefined) {
      const again = document.querySelector('button[data-queue="' + CSS.escape(focused) + '"]');
      if (again) again.focus();
    }
  }

  function sectionsPage() {
    const refresh = throttled(refreshSections, 500);
    follow(streamURL({}), () => refresh(), refresh);
    document.addEventListener("click", async (event) => {
      const button = event.target.closest("button[data-queue-action]");
      if (!button) return;
      const { queue, queueAction } = button.dataset;
      button.disabled = true;
      try {
        await api("POST", "/api/v1/queues/" + encodeURIComponent(queue) + "/" + queueAction);
        notice("Queue " + queue + (queueAction === "pause" ? " paused." : " resumed."), false);
        await refreshSections();
      } catch (error) {
        notice(error.message, true);
        button.disabled = false;
      }
    });
  }

  // --- Jobs ------------------------------------------------------------------------

  function jobsPage() {
    const table = document.getElementById("jobs");
    const tbody = table.tBodies[0];
    const empty = document.querySelector("p.empty");
    const filter = { status: body.dataset.filterStatus, queue: body.dataset.filterQueue, batch: body.dataset.filterBatch };
    const pending = new Set();

    function rowFor(id) {
      return tbody.querySelector('tr[data-job="' + CSS.escape(id) + '"]');
    }

    function matches(job) {
      return (!filter.status || job.status === filter.status) && (!filter.queue || job.queue === filter.queue)
        && (!filter.batch || job.batch === filter.batch);
    }

    function buildRow(job) {
      const row = document.createElement("tr");
      row.dataset.job = job.id;
      const link = document.createElement("a");
      link.href = "/jobs/" + encodeURIComponent(job.id);
      link.className = "mono id";
      link.title = job.id;
      link.textContent = job.id;
      const cells = ["id", "name", "queue", "status", "enqueued_at", "duration", "error"].map((field) => {
        const cell = document.createElement("td");
        if (field !== "id" && field !== "status") cell.dataset.field = field;
        row.append(cell);
        return cell;
      });
      cells[0].append(link);
      const status = document.createElement("span");
      status.dataset.field = "status";
      cells[3].append(status);
      cells[5].className = "num";
      cells[6].className = "error";
      return row;
    }

    function fillRow(row, job) {
      row.querySelector('[data-field="name"]').textContent = job.name;
      row.querySelector('[data-field="queue"]').textContent = job.queue;
      fillStatus(row.querySelector('[data-field="status"]'), job.status);
      fillTime(row.querySelector('[data-field="enqueued_at"]'), job.enqueued_at);
      row.querySelector('[data-field="duration"]').textContent = seconds(job.duration);
      row.querySelector('[data-field="error"]').textContent = firstLine(job.error);
    }

    /** Shows `job`: updates its row, or adds it on top when it matches the filter. */
    function show(job) {
      let row = rowFor(job.id);
      if (!row) {
        if (!matches(job)) return;
        row = buildRow(job);
        tbody.prepend(row);
        while (tbody.rows.length > 100) tbody.deleteRow(-1);
      }
      fillRow(row, job);
      if (empty) empty.hidden = tbody.rows.length > 0;
    }

    const flush = throttled(async () => {
      const ids = [...pending];
      pending.clear();
      // Under a flood of events one listing costs less than a read per job.
      if (ids.length > 20) return catchUp();
      for (const id of ids) {
        const job = await api("GET", "/api/v1/jobs/" + encodeURIComponent(id));
        if (job) show(job);
        else { const row = rowFor(id); if (row) row.remove(); }
      }
    }, 150);

    /** The latest 100 matching, as the page would be rendered now, merged in order. */
    async function catchUp() {
      const query = new URLSearchParams({ limit: "100" });
      for (const [name, value] of Object.entries(filter)) if (value) query.set(name, value);
      const answer = await api("GET", "/api/v1/jobs?" + query.toString());
      // A bare array today; `{"jobs": [...], "next_cursor": ...}` with cursor pagination.
      const jobs = Array.isArray(answer) ? answer : (answer && answer.jobs) || [];
      for (const job of jobs.slice().reverse()) show(job);
    }

    follow(streamURL({ queue: filter.queue, batch: filter.batch }), (type, event) => {
      // A job not listed that the status filter does not match stays off the list.
      if (filter.status && event.status !== filter.status && !rowFor(event.job)) return;
      pending.add(event.job);
      flush();
    }, () => catchUp().catch((error) => setLive("down", "Refresh failed: " + error.message)));
  }

  // --- One job -----------------------------------------------------------------------

  function jobPage() {
    const id = body.dataset.job;
    const path = "/api/v1/jobs/" + encodeURIComponent(id);
    const progress = document.getElementById("progress");
    const percentText = document.getElementById("progress-percent");
    const message = document.getElementById("progress-message");

    function field(name) {
      return document.querySelector('main [data-field="' + name + '"]');
    }

    function showProgress(percent, text) {
      const value = Math.max(0, Math.min(100, Math.round(percent)));
      progress.value = value;
      progress.textContent = value + "%";
      percentText.textContent = value + "%";
      if (text !== undefined) message.textContent = text || "";
    }

    function allows(action, status) {
      if (action === "cancel") return waiting.has(status);
      if (action === "stop") return status === "started";
      if (action === "requeue") return terminal.has(status);
      return status !== "started";
    }

    function fill(job) {
      fillStatus(field("status"), job.status);
      field("worker").textContent = job.worker || "—";
      fillTime(field("enqueued_at"), job.enqueued_at);
      fillTime(field("started_at"), job.started_at);
      fillTime(field("ended_at"), job.ended_at);
      const pickup = job.started_at && job.enqueued_at ? (new Date(job.started_at) - new Date(job.enqueued_at)) / 1000 : null;
      field("pickup").textContent = seconds(pickup);
      field("duration").textContent = seconds(job.duration);
      field("retries_left").textContent = String(job.retries_left);
      field("error").textContent = job.error || "";
      document.getElementById("error-section").hidden = !job.error;
      field("result").textContent = JSON.stringify(job.result, null, 2);
      if (job.progress) showProgress(job.progress.percent, job.progress.message);
      else showProgress(job.status === "finished" ? 100 : 0, "");
      for (const button of document.querySelectorAll("button[data-action]")) {
        button.hidden = !allows(button.dataset.action, job.status);
        button.disabled = false;
      }
    }

    async function reload() {
      const job = await api("GET", path);
      if (job) fill(job);
      else notice("This job no longer exists (deleted or expired).", true);
    }

    follow(streamURL({ job: id }), (type, event) => {
      if (type === "progress" && event.progress) {
        fillStatus(field("status"), "started");
        showProgress(event.progress.percent, event.progress.message);
      } else {
        reload().catch((error) => notice(error.message, true));
      }
    }, () => reload().catch((error) => notice(error.message, true)));

    document.addEventListener("click", async (event) => {
      const button = event.target.closest("button[data-action]");
      if (!button) return;
      const action = button.dataset.action;
      if (action === "delete" && !window.confirm("Delete job " + id + "? This cannot be undone.")) return;
      button.disabled = true;
      try {
        if (action === "delete") {
          await api("DELETE", path);
          location.assign("/jobs");
          return;
        }
        const job = await api("POST", path + "/" + action);
        fill(job);
        notice({ cancel: "Canceled.", stop: "Stop requested.", requeue: "Requeued." }[action], false);
      } catch (error) {
        notice(error.message, true);
        button.disabled = false;
      }
    });
  }

  localizeTimes(document);
  if (page === "jobs") jobsPage();
  else if (page === "job") jobPage();
  else if (page === "overview" || page === "workers" || page === "queues") sectionsPage();
})();
