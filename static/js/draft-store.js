// Visits kept on the phone without a connection (issue [15], docs/offline-visits-design.md):
// the encrypted store in IndexedDB and the sending, shared by the pages (offline-visits.js) and
// the service worker (service-worker.js). The key comes from the server for this session only
// and lives in memory as a non-extractable CryptoKey; IndexedDB holds ciphertext, never the key.
(function (root) {
  "use strict";

  var DB_NAME = "wijkteam-drafts";
  var STORE = "drafts";
  var LOCK = "wijkteam-visit-drafts";
  var SEND_TIMEOUT_MS = 15000;
  var SENT_KEPT_MS = 10 * 60 * 1000; // a sent (or noted) draft is listed this long, then removed

  // --- IndexedDB ------------------------------------------------------------------------------

  function done(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function open() {
    var request = root.indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = function () {
      request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
    };
    return done(request);
  }

  async function withStore(mode, work) {
    var db = await open();
    try {
      var transaction = db.transaction(STORE, mode);
      var finished = new Promise(function (resolve, reject) {
        transaction.oncomplete = resolve;
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
      var result = await work(transaction.objectStore(STORE));
      await finished;
      return result;
    } finally {
      db.close();
    }
  }

  // Every draft, oldest first (the auto-increment id is the order they are sent in).
  function all() {
    return withStore("readonly", function (store) { return done(store.getAll()); });
  }

  function update(id, changes) {
    return withStore("readwrite", async function (store) {
      var record = await done(store.get(id));
      if (record) { await done(store.put(Object.assign(record, changes))); }
    });
  }

  function get(id) {
    return withStore("readonly", function (store) { return done(store.get(id)); });
  }

  function remove(id) {
    return withStore("readwrite", function (store) { return done(store.delete(id)); });
  }

  // Logged out, another person, or the session ended: nothing of it stays on the phone.
  function wipe() {
    return done(root.indexedDB.deleteDatabase(DB_NAME)).catch(function () {});
  }

  // --- the key --------------------------------------------------------------------------------

  function bytes(base64) {
    var raw = root.atob(base64);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) { out[i] = raw.charCodeAt(i); }
    return out;
  }

  // The session's key from the server (volunteers:draft_key), or null without one: no
  // connection, or no volunteer session (a redirect to the login page).
  async function fetchKey(url) {
    var response;
    try {
      response = await root.fetch(url, {
        credentials: "same-origin",
        cache: "no-store",
        redirect: "manual",
        headers: { Accept: "application/json" }
      });
    } catch (error) {
      return null;
    }
    if (!response.ok || response.type === "opaqueredirect") { return null; }
    var answer = await response.json();
    var raw = bytes(answer.key);
    var key = await root.crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
    raw.fill(0);
    return { key: key, keyId: answer.key_id, csrf: answer.csrf };
  }

  function additionalData(keyId) {
    return new TextEncoder().encode("wijkteam-visit-draft:" + keyId);
  }

  // A draft: everything about the visit goes into the ciphertext (case, address, fields,
  // submission key, the resident's name for the list); in plain text only times and states.
  async function save(session, payload, extra) {
    var iv = root.crypto.getRandomValues(new Uint8Array(12));
    var plain = new TextEncoder().encode(JSON.stringify(payload));
    var data = await root.crypto.subtle.encrypt(
      { name: "AES-GCM", iv: iv, additionalData: additionalData(session.keyId) }, session.key, plain
    );
    var record = Object.assign(
      { keyId: session.keyId, iv: iv, data: data, savedAt: Date.now(), state: "waiting" }, extra || {}
    );
    return withStore("readwrite", function (store) { return done(store.add(record)); });
  }

  // The draft's contents, or null when this session's key cannot read it.
  async function read(session, record) {
    if (!session || record.keyId !== session.keyId) { return null; }
    try {
      var plain = await root.crypto.subtle.decrypt(
        { name: "AES-GCM", iv: record.iv, additionalData: additionalData(session.keyId) }, session.key, record.data
      );
      return JSON.parse(new TextDecoder().decode(plain));
    } catch (error) {
      return null;
    }
  }

  // Drafts of another session can never be read again: delete them. Drafts listed as sent (to
  // the case, or as a note to the supervising professional) long enough go too.
  function tidy(session) {
    var now = Date.now();
    return withStore("readwrite", async function (store) {
      var records = await done(store.getAll());
      for (var i = 0; i < records.length; i += 1) {
        var record = records[i];
        var gone = record.state === "sent" || record.state === "noted";
        var stale = gone && now - (record.sentAt || 0) > SENT_KEPT_MS;
        if ((session && record.keyId !== session.keyId) || stale) { await done(store.delete(record.id)); }
      }
    });
  }

  // --- sending --------------------------------------------------------------------------------

  // One send to volunteers:visit_send, visit_correct_send or visit_note_send. The answer, as the
  // design note's table says: sent | noted (the note endpoint) | refused | invalid | conflict
  // (a correction of a visit someone changed meanwhile) | login (the session ended) | retry (no
  // network, or server trouble).
  async function send(session, url, fields) {
    var body = new URLSearchParams();
    fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, SEND_TIMEOUT_MS);
    var response;
    try {
      response = await root.fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        redirect: "manual",
        headers: { Accept: "application/json", "X-CSRFToken": session.csrf },
        signal: controller.signal
      });
    } catch (error) {
      return { kind: "retry" };
    } finally {
      clearTimeout(timer);
    }
    if (response.type === "opaqueredirect") { return { kind: "login" }; }
    var answer = null;
    if ((response.headers.get("Content-Type") || "").indexOf("application/json") === 0) {
      try { answer = await response.json(); } catch (error) { answer = null; }
    }
    if (answer && answer.status === "sent") { return { kind: "sent", url: answer.url }; }
    if (answer && answer.status === "noted") { return { kind: "noted", message: answer.message }; }
    if (answer && answer.status === "refused") { return { kind: "refused", message: answer.message }; }
    if (answer && answer.status === "invalid") { return { kind: "invalid", errors: answer.errors }; }
    if (answer && answer.status === "conflict") { return { kind: "conflict", message: answer.message }; }
    if (response.status === 404) { return { kind: "refused", message: "" }; }
    return { kind: "retry" };
  }

  function locked(work) {
    var locks = root.navigator && root.navigator.locks;
    return locks ? locks.request(LOCK, work) : work();
  }

  // Send the waiting drafts (new visits and corrections alike, each to its own address), oldest
  // first; ``changed`` is told after each one. Stops at the first that cannot be sent now (no
  // network, server trouble, session ended): the rest keep their order. Returns whether drafts
  // are still waiting for a connection.
  function sendAll(session, changed) {
    return locked(async function () {
      var records = await all();
      for (var i = 0; i < records.length; i += 1) {
        var record = records[i];
        if (record.state !== "waiting") { continue; }
        var payload = await read(session, record);
        if (payload === null) { continue; }
        if (changed) { changed(record.id, "sending"); }
        var answer = await send(session, payload.url, payload.fields);
        if (answer.kind === "retry" || answer.kind === "login") {
          if (changed) { changed(record.id, "waiting"); }
          return true;
        }
        if (answer.kind === "sent") {
          await update(record.id, { state: "sent", sentAt: Date.now() });
        } else {
          await update(record.id, { state: answer.kind, message: answer.message || "" });
        }
        if (changed) { changed(record.id, answer.kind); }
      }
      return false;
    });
  }

  // The form's errors of an ``invalid`` answer, as one line of text (they name no one).
  function errorText(errors) {
    var lines = [];
    Object.keys(errors || {}).forEach(function (name) {
      (errors[name] || []).forEach(function (error) {
        if (error && error.message) { lines.push(error.message); }
      });
    });
    return lines.join(" ");
  }

  // A refused draft sent as a note to the supervising professional (volunteers:visit_note_send,
  // its address kept in the draft). ``noted``: the draft is done, listed a while like a sent one.
  // ``refused`` or ``invalid``: the draft stays, with the server's reason (``invalidText`` before
  // the form's errors) and without the note action. Anything else changes nothing.
  function sendNote(session, id, invalidText) {
    return locked(async function () {
      var record = await get(id);
      var payload = record && record.state === "refused" ? await read(session, record) : null;
      if (!payload || !payload.noteUrl) { return { kind: "gone" }; }
      var answer = await send(session, payload.noteUrl, payload.fields);
      if (answer.kind === "noted") {
        await update(id, { state: "noted", message: answer.message || "", sentAt: Date.now() });
      } else if (answer.kind === "refused") {
        await update(id, { message: answer.message || "", noteFailed: true });
      } else if (answer.kind === "invalid") {
        var message = [invalidText || "", errorText(answer.errors)].join(" ").trim();
        await update(id, { message: message, noteFailed: true });
      }
      return answer;
    });
  }

  root.WijkteamDrafts = {
    all: all,
    fetchKey: fetchKey,
    read: read,
    remove: remove,
    save: save,
    send: send,
    sendAll: sendAll,
    sendNote: sendNote,
    tidy: tidy,
    wipe: wipe
  };
})(self);
