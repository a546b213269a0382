// Visits kept on the phone without a connection (issue [15], docs/offline-visits-design.md).
// On a volunteer's page: registers the service worker, fetches this session's draft key, keeps
// the visit form and the correction form on the phone (encrypted) when they cannot be sent,
// sends waiting drafts when the connection returns and lists them ("Visits on this phone"), with
// what can be done with one that came back: open it in its form (errors, a conflict), send a
// refused one to the supervising professional, delete it (asked first). On a page of no volunteer session
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
    var seen = null; // id -> state at the last redraw: what changed since is said in the news
    var quiet = {}; // ids whose outcome the person is shown where their focus goes
    var confirming = {}; // id -> true while "Delete this … for good?" is asked
    var focusNext = null; // { id, action } to focus after the next redraw

    var lastNews = ""; // what the news says now (the list stays shown while it says something)

    function announce(message) {
      var news = panel && panel.querySelector(".offline-drafts__news");
      if (!news) { return; }
      lastNews = message;
      news.textContent = "";
      // Emptied first, so the same words again are said again.
      window.setTimeout(function () { news.textContent = message; }, 50);
      panel.hidden = false;
    }

    function stateText(record, state) {
      if (state === "refused") { return record.message || text("state-refused"); }
      if (state === "noted") { return record.message || text("state-noted"); }
      return text("state-" + state);
    }

    function labelText(payload) {
      if (!payload) { return text("unreadable"); }
      var values = { name: payload.resident, date: formatDate(payload.visitedOn) };
      return text(payload.kind === "correction" ? "label-correction" : "label", values);
    }

    async function render() {
      if (!panel) { return; }
      var turn = (drawing += 1);
      var records = await Drafts.all();
      var list = panel.querySelector(".offline-drafts__list");
      var items = [];
      var payloads = {};
      for (var i = 0; i < records.length; i += 1) {
        payloads[records[i].id] = await Drafts.read(session, records[i]);
        items.push(item(records[i], payloads[records[i].id]));
      }
      if (turn !== drawing) { return; }
      var news = [];
      records.forEach(function (record) {
        var before = seen && seen[record.id];
        if (!before || before === record.state || record.state === "waiting") { return; }
        if (quiet[record.id]) {
          delete quiet[record.id];
        } else {
          news.push(labelText(payloads[record.id]) + ": " + stateText(record, record.state));
        }
      });
      seen = {};
      records.forEach(function (record) { seen[record.id] = record.state; });
      var waiting = records.filter(function (record) { return record.state === "waiting"; }).length;
      panel.querySelector(".offline-drafts__count").textContent = text("waiting", { count: waiting });
      var wanted = focusNext || focusedIn(list);
      focusNext = null;
      list.replaceChildren.apply(list, items);
      // Still shown while it has news (the last visit deleted: it says so). With visits listed,
      // the news is for screen readers only: the lines themselves show it.
      panel.hidden = records.length === 0 && !lastNews;
      panel.querySelector(".offline-drafts__news").classList.toggle("visually-hidden", records.length > 0);
      if (news.length) { announce(news.join(" ")); }
      if (wanted) { focusAgain(list, wanted); }
      updateSaved(records);
    }

    // A redraw replaces the list's elements: the focus goes back to the same action of the same
    // draft, or to the draft itself when that action is gone, or to the list when it is gone.
    function focusedIn(list) {
      var active = document.activeElement;
      var action = active && list.contains(active) && active.getAttribute("data-action");
      return action ? { id: active.closest("[data-draft-id]").getAttribute("data-draft-id"), action: action } : null;
    }

    function focusAgain(list, wanted) {
      var li = list.querySelector("[data-draft-id='" + wanted.id + "']");
      var target = li && (li.querySelector("[data-action='" + wanted.action + "']") || li);
      (target || panel).focus();
    }

    function button(action, label, className, onClick) {
      var element = document.createElement("button");
      element.type = "button";
      element.className = "utrecht-button " + className;
      element.setAttribute("data-action", action);
      element.textContent = label;
      element.addEventListener("click", onClick);
      return element;
    }

    function openLink(action, href, label, hidden) {
      var open = document.createElement("a");
      open.className = "button button--primary offline-drafts__open";
      open.setAttribute("data-action", action);
      open.href = href;
      open.textContent = label;
      if (hidden) {
        var more = document.createElement("span");
        more.className = "visually-hidden";
        more.textContent = " " + hidden;
        open.append(more);
      }
      return open;
    }

    function item(record, payload) {
      var shown = states[record.id] || record.state;
      var li = document.createElement("li");
      li.className = "offline-drafts__item offline-drafts__item--" + shown;
      li.tabIndex = -1;
      li.setAttribute("data-draft-id", String(record.id));
      li.setAttribute("data-draft-state", shown);
      var label = document.createElement("span");
      label.className = "offline-drafts__label";
      label.textContent = labelText(payload);
      var state = document.createElement("span");
      state.className = "offline-drafts__state";
      state.textContent = stateText(record, shown);
      li.append(label, " ", state);
      if ((record.state === "invalid" || record.state === "conflict") && payload && payload.form) {
        var open = record.state === "invalid"
          ? openLink("open", payload.form + "#draft-" + record.id, text("open"))
          : openLink("open", payload.form + "#draft-" + record.id, text("open-conflict"), label.textContent);
        open.addEventListener("click", function (event) { openHere(event, record.id); });
        li.append(open);
      }
      if (record.state === "refused" && payload && payload.noteUrl && !record.noteFailed) {
        var note = button("note", text("note"), "utrecht-button--primary-action offline-drafts__note-send", function () {
          sendNote(record.id);
        });
        if (shown === "sending") { note.setAttribute("aria-disabled", "true"); }
        li.append(note);
      }
      if (record.state === "refused" || record.state === "invalid" || record.state === "conflict") {
        li.append(confirming[record.id] ? confirmation(record, payload) : deleteButton(record));
      }
      return li;
    }

    function deleteButton(record) {
      return button("delete", text("delete"), "utrecht-button--secondary-action offline-drafts__delete", function () {
        confirming[record.id] = true;
        focusNext = { id: String(record.id), action: "keep" };
        refresh();
      });
    }

    // Deleting is for good (the visit is on no case): asked first, in the list itself.
    function confirmation(record, payload) {
      var group = document.createElement("div");
      group.className = "offline-drafts__confirm";
      group.setAttribute("role", "group");
      var question = document.createElement("p");
      question.className = "offline-drafts__question";
      question.id = "offline-draft-" + record.id + "-question";
      question.textContent = text(payload && payload.kind === "correction" ? "confirm-correction" : "confirm");
      group.setAttribute("aria-labelledby", question.id);
      var yes = button("delete-yes", text("confirm-yes"), "utrecht-button--secondary-action offline-drafts__delete-yes", function () {
        delete confirming[record.id];
        Drafts.remove(record.id).then(function () {
          focusNext = { id: String(record.id), action: "none" }; // gone: the focus goes to the list
          announce(text("deleted"));
          return refresh();
        });
      });
      var no = button("keep", text("confirm-no"), "utrecht-button--primary-action offline-drafts__keep", function () {
        delete confirming[record.id];
        focusNext = { id: String(record.id), action: "delete" };
        refresh();
      });
      group.append(question, yes, no);
      return group;
    }

    // "Send to my supervising professional": a refused visit goes to them as a note instead.
    async function sendNote(id) {
      if (states[id] === "sending" || !session) { return; }
      states[id] = "sending";
      quiet[id] = true; // the focus goes to the draft, which says what happened
      await refresh();
      var answer = { kind: "retry" };
      try {
        answer = await Drafts.sendNote(session, id, text("note-invalid"));
      } catch (error) {
        answer = { kind: "retry" }; // IndexedDB failed: nothing changed, try again later
      } finally {
        delete states[id];
      }
      if (answer.kind !== "noted") { delete quiet[id]; } // the state stays: nothing to keep quiet
      if (answer.kind === "login") { window.location.reload(); return; }
      if (answer.kind === "retry") {
        focusNext = { id: String(id), action: "note" };
        announce(text("no-connection"));
      } else {
        focusNext = { id: String(id), action: "none" }; // the draft itself: its new state
      }
      await refresh();
    }

    // The box "Saved on this phone, will be sent…" on the form's page says no more than what
    // became of that draft; the list says the rest.
    function updateSaved(records) {
      var box = document.querySelector(".visit-saved[data-draft-id]");
      var message = box && box.querySelector(".visit-saved__message");
      if (!message || box.hidden) { return; }
      if (!box.hasAttribute("data-text-waiting")) { box.setAttribute("data-text-waiting", message.textContent); }
      var id = Number(box.getAttribute("data-draft-id"));
      var record = records.filter(function (found) { return found.id === id; })[0];
      var state = record ? record.state : (box.getAttribute("data-draft-state") === "sent" ? "sent" : "gone");
      var shown = state === "waiting" ? "waiting" : (state === "sent" ? "sent" : "not-sent");
      box.setAttribute("data-draft-state", state);
      message.textContent = box.getAttribute("data-text-" + shown) || message.textContent;
      box.classList.toggle("alert--success", shown !== "not-sent");
      box.classList.toggle("alert--warning", shown === "not-sent");
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

    function hideForm(form) {
      var opened = document.getElementById(form.getAttribute("data-opened"));
      form.hidden = true;
      form.removeAttribute("data-draft-id");
      if (opened) { opened.hidden = true; }
    }

    function showSaved(form, id) {
      var saved = document.getElementById(form.getAttribute("data-saved"));
      hideForm(form);
      if (saved) {
        saved.setAttribute("data-draft-id", String(id));
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
        // The form's errors, a correction someone overtook meanwhile (both versions side by
        // side, issue [10]) or an ended session: the normal send shows the page for it.
        if (answer.kind === "invalid" || answer.kind === "conflict" || answer.kind === "login") {
          form.submit();
          return;
        }
      }
      if (opened && answer.kind === "retry") { await Drafts.remove(opened); }
      var payload = {
        kind: form.getAttribute("data-draft-kind") || "visit", // "visit" | "correction"
        url: url,
        noteUrl: form.getAttribute("data-note-url") || "", // new visits: when refused, a note instead
        form: window.location.pathname,
        fields: fields,
        resident: form.getAttribute("data-resident") || "",
        visitedOn: form.elements.visited_on ? form.elements.visited_on.value : ""
      };
      if (answer.kind === "refused") {
        // No longer this volunteer's case: nothing was written; the text stays on the phone.
        await Drafts.save(session, payload, { state: "refused", message: answer.message || "" });
        hideForm(form);
        await render();
        if (panel) { panel.focus(); }
        return;
      }
      showSaved(form, await Drafts.save(session, payload));
      await render();
      askForSync();
    }

    // "Open" a draft that came back with errors, or a correction someone overtook meanwhile: its
    // fields (its submission key, and a correction's version as it was) into the form it came
    // from, to correct and send again; a stale version then gets the conflict page (issue [10]).
    async function openDraft(form, id) {
      var record = (await Drafts.all()).filter(function (found) { return found.id === id; })[0];
      var payload = record && (await Drafts.read(session, record));
      if (!payload || payload.form !== window.location.pathname) { return false; }
      form.reset(); // the page's own values first (a correction: the visit as it is now) …
      var names = {};
      payload.fields.forEach(function (pair) { (names[pair[0]] = names[pair[0]] || []).push(pair[1]); });
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!field.name || field.name === "csrfmiddlewaretoken") { return; }
        if (field.type === "checkbox" || field.type === "radio") {
          // … then the draft's: a box it left unticked is unticked here too.
          field.checked = (names[field.name] || []).indexOf(field.value) !== -1;
        } else if (names[field.name]) {
          field.value = names[field.name][0];
        }
      });
      form.setAttribute("data-draft-id", String(id));
      form.hidden = false;
      var saved = document.getElementById(form.getAttribute("data-saved"));
      if (saved) {
        saved.hidden = true;
        saved.removeAttribute("data-draft-id");
      }
      var opened = document.getElementById(form.getAttribute("data-opened"));
      if (opened) {
        if (!opened.hasAttribute("data-text-default")) { opened.setAttribute("data-text-default", opened.textContent); }
        opened.textContent = opened.getAttribute(record.state === "conflict" ? "data-text-conflict" : "data-text-default");
        opened.hidden = false;
      }
      return true;
    }

    // The form's page opened at #draft-<id> (the list's link on another page).
    function openFromAddress(form) {
      var match = /^#draft-(\d+)$/.exec(window.location.hash);
      if (!match) { return null; }
      history.replaceState(null, "", window.location.pathname + window.location.search);
      return openDraft(form, Number(match[1]));
    }

    // The list's link on the form's own page: no page load (a page answered to a post, such as
    // the conflict page, must not be posted again); the draft goes into the form as it is.
    function openHere(event, id) {
      var form = document.querySelector("form[data-offline-visit]");
      var link = event.currentTarget;
      if (!form || !session || link.pathname !== window.location.pathname) { return; }
      event.preventDefault();
      openDraft(form, id).then(function (opened) {
        var hint = document.getElementById(form.getAttribute("data-opened"));
        if (!opened) { window.location.assign(link.href); return; }
        (hint || form).focus();
      });
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
        if (form) { await openFromAddress(form); }
        document.body.setAttribute("data-offline-ready", "true"); // the form can be kept on the phone now
      }
      await render();
      if (session && navigator.onLine) { await sendWaiting(); }
    }).catch(refresh);
    window.addEventListener("online", function () { sendWaiting().catch(refresh); });
  });
})();
