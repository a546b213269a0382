// Wijkteam's service worker (loaded by /sw.js, wijkteam/pwa.py; docs/offline-visits-design.md).
// It caches the app shell only: the static files of the pages and the anonymous offline page.
// Pages are never cached (they may hold personal data); without a connection a page shows the
// offline page. It also sends visit drafts when the connection returns (Background Sync).
/* global WijkteamDrafts */
(function () {
  "use strict";

  var config = self.WIJKTEAM_WORKER;
  var PREFIX = "wijkteam-shell-";
  var CACHE = PREFIX + config.version;
  var SYNC_TAG = "send-visit-drafts";
  var offlineUrl = new URL(config.offlineUrl, self.location.origin).href;
  var shell = config.shell.map(function (url) { return new URL(url, self.location.origin).href; });

  self.addEventListener("install", function (event) {
    // Fetched without cookies: the cached copies are what anyone gets, never someone's page.
    var requests = shell.concat([offlineUrl]).map(function (url) {
      return new Request(url, { credentials: "omit", cache: "reload" });
    });
    event.waitUntil(
      caches.open(CACHE).then(function (cache) { return cache.addAll(requests); }).then(function () {
        return self.skipWaiting();
      })
    );
  });

  self.addEventListener("activate", function (event) {
    event.waitUntil(
      caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.indexOf(PREFIX) === 0 && name !== CACHE;
        }).map(function (name) { return caches.delete(name); }));
      }).then(function () { return self.clients.claim(); })
    );
  });

  function fromCache(request) {
    return caches.open(CACHE).then(function (cache) {
      return cache.match(request, { ignoreVary: true });
    });
  }

  self.addEventListener("fetch", function (event) {
    var request = event.request;
    if (request.method !== "GET") { return; }
    var url = new URL(request.url);
    if (url.origin !== self.location.origin) { return; }
    if (request.mode === "navigate") {
      // Network only: pages are never stored. Without a network, the offline page.
      event.respondWith(fetch(request).catch(function () {
        return fromCache(offlineUrl).then(function (page) { return page || Response.error(); });
      }));
      return;
    }
    if (shell.indexOf(url.href) !== -1) {
      event.respondWith(fromCache(request).then(function (hit) { return hit || fetch(request); }));
    }
    // Anything else (the draft key, htmx, other static files) goes to the network untouched.
  });

  async function tellPages() {
    var pages = await self.clients.matchAll({ type: "window" });
    pages.forEach(function (page) { page.postMessage({ type: "visit-drafts-changed" }); });
  }

  async function sendDrafts() {
    var session = await WijkteamDrafts.fetchKey(config.draftKeyUrl);
    if (!session) {
      // No answer: try again later (the browser retries a failed sync). No volunteer session:
      // nothing to do; the login page wipes the drafts.
      if (self.navigator.onLine === false) { throw new Error("offline"); }
      return;
    }
    var waiting = await WijkteamDrafts.sendAll(session, function () { tellPages(); });
    await tellPages();
    if (waiting) { throw new Error("drafts still waiting"); }
  }

  self.addEventListener("sync", function (event) {
    if (event.tag === SYNC_TAG) { event.waitUntil(sendDrafts()); }
  });
})();
