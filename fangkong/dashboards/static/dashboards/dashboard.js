/* The command dashboard's charts (ECharts). Data comes from the page's JSON (json_script) and,
   on the big screen, from the dashboard API every `data-refresh` seconds. No inline scripts.
   The charts' words come translated from the server in a second json_script, dashboard-labels. */
(function () {
  "use strict";

  var root = document.getElementById("dashboard");
  var source = document.getElementById("dashboard-data");
  var words = document.getElementById("dashboard-labels");
  if (!root || !source || !words || !window.echarts) {
    return;
  }
  var dark = document.body.classList.contains("bigscreen");
  var data = JSON.parse(source.textContent);
  var labels = JSON.parse(words.textContent);
  var lang = document.documentElement.lang || "zh-CN";
  var trendDays = dark ? 30 : 7;
  var charts = {};
  window.fangkongCharts = charts;

  // One colour per report status, as on the board: red missing, orange late, blue returned,
  // green on time, grey zero; pending is pale until the cut-off.
  var STATUS = [
    ["on_time", "#2e7d32"],
    ["zero", "#8a94a3"],
    ["late", "#ed6c02"],
    ["returned", "#1565c0"],
    ["missing", "#c62828"],
    ["pending", "#cfd8e3"],
  ];
  var SERIES = [
    "screening.received",
    "screening.checked",
    "measures.admitted",
    "measures.released",
    "tests.sampled",
    "tests.positive",
    "arrivals.new",
    "checks.total",
  ];
  var text = dark ? "#d7e6ff" : "#1f2933";
  var base = { backgroundColor: "transparent", textStyle: { color: text } };

  function chart(id) {
    var el = document.getElementById(id);
    if (!el) {
      return null;
    }
    if (!charts[id]) {
      charts[id] = window.echarts.init(el, dark ? "dark" : null, { renderer: "canvas" });
    }
    return charts[id];
  }

  function drawCategories() {
    var c = chart("chart-categories");
    c.setOption(Object.assign({}, base, {
      tooltip: { trigger: "item", formatter: labels.people_tooltip },
      legend: { bottom: 0, textStyle: { color: text } },
      series: [{
        type: "pie", radius: ["40%", "68%"], center: ["50%", "45%"],
        label: { formatter: "{b}\n{c}", color: text },
        data: data.quarantine_by_category.map(function (r) { return { name: r.label, value: r.value }; }),
      }],
    }), true);
  }

  function drawCompleteness() {
    var c = chart("chart-completeness");
    var done = data.completeness || {};
    c.setOption(Object.assign({}, base, {
      tooltip: { trigger: "item", formatter: labels.units_tooltip },
      legend: { bottom: 0, textStyle: { color: text } },
      series: [{
        type: "pie", radius: ["40%", "68%"], center: ["50%", "45%"],
        label: { formatter: "{b} {c}", color: text },
        data: STATUS.map(function (s) {
          return { name: labels.status[s[0]], value: done[s[0]] || 0, itemStyle: { color: s[1] } };
        }).filter(function (d) { return d.value > 0; }),
      }],
      title: done.expected ? null : { text: labels.no_period, left: "center", top: "middle", textStyle: { color: text, fontSize: 14 } },
    }), true);
  }

  function drawChildren() {
    var c = chart("chart-children");
    var rows = data.children;
    var fig = function (key) { return rows.map(function (r) { return r.figures[key] || 0; }); };
    c.setOption(Object.assign({}, base, {
      tooltip: { trigger: "axis" },
      legend: { top: 0, textStyle: { color: text } },
      grid: { left: 50, right: 50, top: 36, bottom: 40 },
      xAxis: { type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: { color: text } },
      yAxis: [
        { type: "value", name: labels.records, axisLabel: { color: text } },
        { type: "value", name: "%", max: 100, axisLabel: { color: text } },
      ],
      series: [
        { name: labels.children["screening.total"], type: "bar", data: fig("screening.total"), itemStyle: { color: "#1565c0" } },
        { name: labels.children["screening.open"], type: "bar", data: fig("screening.open"), itemStyle: { color: "#5b9bd5" } },
        { name: labels.children["screening.overdue"], type: "bar", data: fig("screening.overdue"), itemStyle: { color: "#c62828" } },
        { name: labels.children["screening.four_clear_rate"], type: "line", yAxisIndex: 1, data: fig("screening.four_clear_rate"), itemStyle: { color: "#2e7d32" } },
      ],
    }), true);
    c.off("click");
    if (data.region.level < 4) {
      c.on("click", function (p) {
        var row = rows[p.dataIndex];
        if (row) {
          var url = new URL(window.location.href);
          url.searchParams.set("region", row.code);
          window.location.assign(url.toString());
        }
      });
    }
  }

  function drawTrend() {
    var c = chart("chart-trend");
    var days = data.trend.days.slice(-trendDays);
    c.setOption(Object.assign({}, base, {
      tooltip: { trigger: "axis" },
      legend: { top: 0, textStyle: { color: text } },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: days.map(function (d) { return d.slice(5); }), axisLabel: { color: text } },
      yAxis: { type: "value", axisLabel: { color: text } },
      series: SERIES.map(function (key) {
        return { name: labels.trend[key], type: "line", smooth: true, data: (data.trend.series[key] || []).slice(-trendDays) };
      }),
    }), true);
    document.querySelectorAll("[data-trend-days]").forEach(function (b) {
      b.classList.toggle("active", Number(b.dataset.trendDays) === trendDays);
    });
  }

  function updateFigures() {
    document.querySelectorAll("[data-key]").forEach(function (el) {
      var v = data.figures[el.dataset.key] || 0;
      el.textContent = Number(v).toLocaleString(lang, { maximumFractionDigits: 1 });
    });
    var updated = document.querySelector("[data-field=updated_at]");
    if (updated && data.updated_at) {
      updated.textContent = data.updated_at.slice(0, 16).replace("T", " ");
    }
  }

  function draw() {
    drawCategories();
    drawCompleteness();
    drawChildren();
    drawTrend();
  }

  document.querySelectorAll("[data-trend-days]").forEach(function (b) {
    b.addEventListener("click", function () {
      trendDays = Number(b.dataset.trendDays);
      drawTrend();
    });
  });
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  });
  draw();

  var refresh = Number(root.dataset.refresh || 0);
  if (refresh > 0) {
    window.setInterval(function () {
      fetch(root.dataset.api, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (fresh) { data = fresh; draw(); updateFigures(); })
        .catch(function () { /* keep the last figures on screen; try again next time */ });
    }, refresh * 1000);
    var clock = document.querySelector("[data-field=clock]");
    if (clock) {
      var tick = function () { clock.textContent = new Date().toLocaleString(lang, { hour12: false }); };
      tick();
      window.setInterval(tick, 1000);
    }
  }
})();
