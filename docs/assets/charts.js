/* Interactive layer for chart figures: an enhancement over the static SVG.
 * The self-hosted Vega runtime loads only when a reader touches, hovers or focuses a chart;
 * if anything fails the static chart stays. Works with Material's instant navigation and
 * follows the palette toggle. */
(function () {
  "use strict";
  var script = document.currentScript;
  var bundleUrl = script ? new URL("vega/vega.min.js", script.src).href : null;
  var interpreterUrl = script ? new URL("vega/vega-interpreter.js", script.src).href : null;
  var loading = null;

  function addScript(src, module) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      // A module keeps the bundle's thousands of top-level names out of the page's global scope.
      if (module) s.type = "module";
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error(src + " failed to load")); };
      document.head.appendChild(s);
    });
  }

  // The Vega runtime, then the expression interpreter that lets it run without eval (strict CSP).
  function loadVega() {
    if (window.vega && window.vegaExpressionInterpreter) return Promise.resolve(window.vega);
    if (loading) return loading;
    loading = addScript(bundleUrl, true).then(function () {
      if (!window.vega) throw new Error("vega missing");
      return addScript(interpreterUrl, false);
    }).then(function () {
      if (!window.vegaExpressionInterpreter) throw new Error("vega interpreter missing");
      return window.vega;
    });
    loading.catch(function () { loading = null; });
    return loading;
  }

  function scheme() {
    return document.body.getAttribute("data-md-color-scheme") === "slate" ? "dark" : "light";
  }
  function width() {
    return window.matchMedia("(max-width: 640px)").matches ? "narrow" : "wide";
  }

  function tooltipHandler(frame) {
    var tip = null;
    return function (handler, event, item, value) {
      if (value == null || value === "") {
        if (tip) tip.hidden = true;
        return;
      }
      if (!tip) {
        tip = document.createElement("div");
        tip.className = "chart-tooltip";
        tip.setAttribute("role", "tooltip");
        frame.appendChild(tip);
      }
      tip.textContent = "";
      var list = document.createElement("dl");
      var entries = typeof value === "object" ? Object.keys(value).map(function (k) { return [k, value[k]]; })
                                              : [["", value]];
      entries.forEach(function (kv) {
        if (kv[0]) { var dt = document.createElement("dt"); dt.textContent = kv[0]; list.appendChild(dt); }
        var dd = document.createElement("dd"); dd.textContent = String(kv[1]); list.appendChild(dd);
      });
      tip.appendChild(list);
      tip.hidden = false;
      var box = frame.getBoundingClientRect();
      var x = event.clientX - box.left + 12, y = event.clientY - box.top + 12;
      tip.style.left = Math.max(0, Math.min(x, box.width - tip.offsetWidth)) + "px";
      tip.style.top = y + "px";
    };
  }

  function render(frame) {
    var key = scheme() + "-" + width();
    if (frame.dataset.liveKey === key) return Promise.resolve();
    // The spec sits beside the static image: derive its URL from the image's resolved address, so it is
    // right whichever site engine rewrote the page's relative URLs.
    var img = frame.querySelector("picture img");
    var url = img && img.src ? img.src.replace(/-(light|dark)-(wide|narrow)\.svg(\?.*)?$/, "-" + key + ".vg.json") : null;
    if (!url || url === (img && img.src)) return Promise.resolve();
    return loadVega().then(function (vega) {
      return fetch(url).then(function (r) {
        if (!r.ok) throw new Error("spec " + r.status);
        return r.json();
      }).then(function (spec) {
        var holder = frame.querySelector(".chart-live");
        if (!holder) {
          holder = document.createElement("div");
          holder.className = "chart-live";
          holder.setAttribute("aria-hidden", "true");
          frame.appendChild(holder);
        }
        if (frame._view) frame._view.finalize();
        var runtime = vega.parse(spec, null, { ast: true });
        var view = new vega.View(runtime, {
          renderer: "svg", container: holder, hover: true, expr: window.vegaExpressionInterpreter
        });
        var tip = tooltipHandler(frame);
        view.tooltip(tip);
        // Vega shows tooltips on pointer moves, which a tap does not make: show them on tap too.
        view.addEventListener("click", function (event, item) {
          if (event && event.pointerType === "mouse") return;
          tip(null, event, item, item && item.tooltip);
        });
        frame._view = view;
        return view.runAsync().then(function () {
          frame.dataset.liveKey = key;
          frame.classList.add("is-live");
        });
      });
    }).catch(function (err) {
      frame.classList.remove("is-live");
      if (window.console) console.warn("chart stays static:", err.message);
    });
  }

  function init() {
    var frames = document.querySelectorAll(".chart-frame[data-live]");
    frames.forEach(function (frame) {
      if (frame.dataset.bound) return;
      frame.dataset.bound = "1";
      var start = function () { render(frame); };
      ["pointerenter", "touchstart", "focusin"].forEach(function (type) {
        frame.addEventListener(type, start, { once: true, passive: true });
      });
    });
  }

  function refresh() {
    document.querySelectorAll(".chart-frame.is-live").forEach(function (frame) { render(frame); });
  }

  new MutationObserver(refresh).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  window.matchMedia("(max-width: 640px)").addEventListener("change", refresh);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
