// Visits kept on the phone without a connection (issue [15], docs/offline-visits-design.md).
// On a volunteer's page: registers the service worker, fetches this session's draft key, keeps
// the visit form on the phone (encrypted) when it cannot be sent, sends waiting drafts when the
// connection returns and lists them ("Visits on this phone"). On a page of no volunteer session
// (the login page after logging out, another role) it deletes every draft from the phone.
// Without this file (or without IndexedDB and WebCrypto) the visit form works as before.
/* global WijkteamDrafts */
(function () {
  "use strict";

  var SYNC_TAG = "send-visit-drafts";

  function ready(start) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }

  ready(function () {
    var Drafts = window.WijkteamDrafts;
    var mode = document.body.getAttribute("data-offline-drafts");
    if (!Drafts || !window.indexedDB || !mode) { return; }
    if (mode === "none") { Drafts.wipe(); return; }
    if (!(window.crypto && window.crypto.subtle)) { return; }

    var panel = document.getElementById("offline-drafts");
    var session = null; // { key (non-extractable CryptoKey), keyId, csrf }: in memory only
    var states = {}; // id -> "sending" while a draft is on its way

    function text(name, values) {
      var template = (panel && panel.getAttribute("data-text-" + name)) || "";
      return template.replace(/\{(\w+)\}/g, function (whole, key) {
        return values && key in values ? String(values[key]) : whole;
      });
    }

    function formatDate(iso) {
      var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
      if (!parts) { return iso || ""; }
      var date = new Date(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]));
      return date.toLocaleDateString(document.documentElement.lang || undefined, { day: "numeric", month: "long" });
    }

    // --- the list ---------------------------------------------------------------------------

    var drawing = 0; // only the latest redraw shows (the list is built asynchronously)

    async function render() {
      if (!panel) { return; }
      var turn = (drawing += 1);
      var records = await Drafts.all();
      var list = panel.querySelector(".offline-drafts__list");
      var items = [];
      for (var i = 0; i < records.length; i += 1) {
        items.push(await item(records[i]));
      }
      if (turn !== drawing) { return; }
      var waiting = records.filter(function (record) { return record.state === "waiting"; }).length;
      panel.querySelector(".offline-drafts__count").textContent = text("waiting", { count: waiting });
      list.replaceChildren.apply(list, items);
      panel.hidden = records.length === 0;
    }

    async function item(record) {
      var payload = await Drafts.read(session, record);
      var li = document.createElement("li");
      li.className = "offline-drafts__item offline-drafts__item--" + record.state;
      li.setAttribute("data-draft-state", states[record.id] || record.state);
      var label = document.createElement("span");
      label.className = "offline-drafts__label";
      label.textContent = payload
        ? text("label", { name: payload.resident, date: formatDate(payload.visitedOn) })
        : text("unreadable");
      var state = document.createElement("span");
      state.className = "offline-drafts__state";
      if (record.state === "refused") {
        state.textContent = record.message || text("state-refused");
      } else {
        state.textContent = text("state-" + (states[record.id] || record.state));
      }
      li.append(label, " ", state);
      if (record.state === "invalid" && payload && payload.form) {
        var open = document.createElement("a");
        open.className = "offline-drafts__open";
        open.href = payload.form + "#draft-" + record.id;
        open.textContent = text("open");
        li.append(open);
      }
      if (record.state === "refused" || record.state === "invalid") {
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "utrecht-button utrecht-button--secondary-action offline-drafts__delete";
        remove.textContent = text("delete");
        remove.addEventListener("click", function () {
          Drafts.remove(record.id).then(refresh);
        });
        li.append(remove);
      }
      return li;
    }

    // --- sending ----------------------------------------------------------------------------

    function progress(id, state) {
      if (state === "sending") { states[id] = state; } else { delete states[id]; }
      refresh();
    }

    // Redraw the list; a failing IndexedDB leaves the page as it is.
    function refresh() {
      return render().catch(function () {});
    }

    async function sendWaiting() {
      if (!session) { session = await Drafts.fetchKey(document.body.getAttribute("data-draft-key")); }
      if (!session) { return; }
      await Drafts.sendAll(session, progress);
      await render();
    }

    function askForSync() {
      if (!("serviceWorker" in navigator)) { return; }
      navigator.serviceWorker.ready.then(function (registration) {
        if (registration.sync) { return registration.sync.register(SYNC_TAG); }
        return null;
      }).catch(function () {});
    }

    // --- the visit form ---------------------------------------------------------------------

    function fieldsOf(form) {
      var fields = [];
      new FormData(form).forEach(function (value, name) {
        if (name !== "csrfmiddlewaretoken" && typeof value === "string") { fields.push([name, value]); }
      });
      return fields;
    }

    function showSaved(form) {
      var saved = document.getElementById(form.getAttribute("data-saved"));
      form.hidden = true;
      if (saved) {
        saved.hidden = false;
        saved.focus();
      }
    }

    async function keep(form) {
      var fields = fieldsOf(form);
      var url = form.getAttribute("data-send-url");
      var answer = { kind: "retry" };
      // A draft opened in this form (see openDraft) is replaced by what the form holds now.
      var opened = Number(form.getAttribute("data-draft-id")) || null;
      if (navigator.onLine) {
        answer = await Drafts.send(session, url, fields.concat([["announce", "1"]]));
        if (opened && answer.kind !== "retry" && answer.kind !== "login") { await Drafts.remove(opened); }
        if (answer.kind === "sent") { window.location.assign(answer.url); return; }
        // The form's errors or an ended session: the normal send shows the page for it.
        if (answer.kind === "invalid" || answer.kind === "login") { form.submit(); return; }
      }
      if (opened && answer.kind === "retry") { await Drafts.remove(opened); }
      var payload = {
        url: url,
        form: window.location.pathname,
        fields: fields,
        resident: form.getAttribute("data-resident") || "",
        visitedOn: form.elements.visited_on ? form.elements.visited_on.value : ""
      };
      if (answer.kind === "refused") {
        // No longer this volunteer's case: nothing was written; the text stays on the phone.
        await Drafts.save(session, payload, { state: "refused", message: answer.message || "" });
        form.hidden = true;
        await render();
        if (panel) { panel.focus(); }
        return;
      }
      await Drafts.save(session, payload);
      showSaved(form);
      await render();
      askForSync();
    }

    // "Open in the form" of a draft that came back with errors: its fields (and its submission
    // key) into the visit form of its case, to correct and send again.
    async function openDraft(form) {
      var match = /^#draft-(\d+)$/.exec(window.location.hash);
      if (!match) { return; }
      history.replaceState(null, "", window.location.pathname + window.location.search);
      var id = Number(match[1]);
      var record = (await Drafts.all()).filter(function (found) { return found.id === id; })[0];
      var payload = record && (await Drafts.read(session, record));
      if (!payload || payload.form !== window.location.pathname) { return; }
      var names = {};
      payload.fields.forEach(function (pair) { (names[pair[0]] = names[pair[0]] || []).push(pair[1]); });
      Object.keys(names).forEach(function (name) {
        Array.prototype.forEach.call(form.querySelectorAll("[name='" + CSS.escape(name) + "']"), function (field) {
          if (field.type === "checkbox" || field.type === "radio") {
            field.checked = names[name].indexOf(field.value) !== -1;
          } else {
            field.value = names[name][0];
          }
        });
      });
      form.setAttribute("data-draft-id", String(id));
    }

    function setUpForm() {
      var form = document.querySelector("form[data-offline-visit]");
      if (!form) { return; }
      form.addEventListener("submit", function (event) {
        if (!session) { return; } // no key: the form is sent as it always was
        event.preventDefault();
        if (form.getAttribute("data-offline-busy") === "true") { return; } // a double tap
        form.setAttribute("data-offline-busy", "true");
        keep(form).catch(function () { form.submit(); }).finally(function () {
          form.removeAttribute("data-offline-busy");
        });
      });
    }

    // --- start ------------------------------------------------------------------------------

    if (mode === "offline") {
      // The offline page: count what waits (no key here), and try again when the network is back.
      refresh();
      window.addEventListener("online", function () { window.location.reload(); });
      return;
    }

    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(document.body.getAttribute("data-service-worker"), { scope: "/" })
        .catch(function () {});
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data && event.data.type === "visit-drafts-changed") { refresh(); }
      });
    }
    setUpForm();
    Drafts.fetchKey(document.body.getAttribute("data-draft-key")).then(async function (found) {
      session = found;
      if (session) {
        await Drafts.tidy(session);
        var form = document.querySelector("form[data-offline-visit]");
        if (form) { await openDraft(form); }
        document.body.setAttribute("data-offline-ready", "true"); // the form can be kept on the phone now
      }
      await render();
      if (session && navigator.onLine) { await sendWaiting(); }
    }).catch(refresh);
    window.addEventListener("online", function () { sendWaiting().catch(refresh); });
  });
})();
