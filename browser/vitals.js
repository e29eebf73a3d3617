// gameday web-vitals probe: injected into every document before its own
// scripts. It follows the web-vitals library's definitions closely enough
// for load testing (CLS is the plain layout-shift sum, INP the longest
// interaction) and pushes every change through the __gamedayVitals binding;
// snapshot() is read by the harness after each step.
(() => {
  if (window.top !== window || window.__gdVitals) return;
  const doc = Math.random().toString(36).slice(2) + Date.now().toString(36);
  const v = { doc, url: location.href };
  const send = () => {
    try { if (window.__gamedayVitals) window.__gamedayVitals(JSON.stringify(v)); } catch (e) {}
  };
  const observers = [];
  const observe = (type, fn, opts) => {
    try {
      const o = new PerformanceObserver((list) => { list.getEntries().forEach(fn); send(); });
      o.observe(Object.assign({ type, buffered: true }, opts || {}));
      observers.push([o, fn]);
    } catch (e) {}
  };
  let firstInput = Infinity;
  observe('paint', (e) => { if (e.name === 'first-contentful-paint') v.fcp = e.startTime; });
  observe('largest-contentful-paint', (e) => { if (e.startTime < firstInput) v.lcp = e.startTime; });
  observe('layout-shift', (e) => { if (!e.hadRecentInput) v.cls = (v.cls || 0) + e.value; });
  const interaction = (e) => {
    if (e.interactionId || e.entryType === 'first-input') v.inp = Math.max(v.inp || 0, e.duration);
  };
  observe('event', interaction, { durationThreshold: 16 });
  observe('first-input', interaction);
  observe('navigation', (e) => { v.ttfb = Math.max(e.responseStart - (e.activationStart || 0), 0); });
  // LCP stops at the first input, as in web-vitals.
  ['keydown', 'click', 'pointerdown'].forEach((t) =>
    addEventListener(t, (e) => { if (e.isTrusted) firstInput = Math.min(firstInput, e.timeStamp); },
      { capture: true }));
  const flush = () => {
    observers.forEach(([o, fn]) => o.takeRecords().forEach(fn));
    if (v.cls === undefined && v.fcp !== undefined) v.cls = 0;
    return v;
  };
  // Paint entries arrive some frames after the load event (later still on a
  // busy machine). settle waits, once per document and at most maxMs, for
  // the first contentful paint and then for LCP to stay put for two frames,
  // so a step that leaves the page right away does not lose its vitals.
  let settled = false;
  const frame = () => new Promise((r) => { requestAnimationFrame(() => setTimeout(r, 0)); setTimeout(r, 50); });
  const settle = async (maxMs) => {
    const end = performance.now() + maxMs;
    let calm = 0, last;
    while (performance.now() < end) {
      await frame();
      flush();
      if (v.fcp === undefined) continue;
      if (v.lcp === last) { if (++calm >= 2) break; } else { last = v.lcp; calm = 0; }
    }
    settled = true;
  };
  window.__gdVitals = {
    async snapshot(maxMs) {
      if (!settled && maxMs > 0) await settle(maxMs);
      return flush();
    },
  };
  addEventListener('pagehide', () => { flush(); send(); }, { capture: true });
  send();
})();
