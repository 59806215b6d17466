// ApexCharts behind a tiny API for the Blazor ApexChart component: one chart per element.
(() => {
  const charts = new WeakMap();

  // ApexCharts writes series names (legend, tooltip) and tooltip titles into the page as HTML, and series names are
  // what students typed (run names): they are escaped here, so they arrive as text.
  const entities = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function text(value) {
    return String(value ?? "").replace(/[&<>"']/g, (c) => entities[c]);
  }
  // A chart with a band (a seed group's mean ± SD) mixes "rangeArea" series, whose points are {x, y: [low, high]},
  // with line series, whose [x, y] points ApexCharts then wants as {x, y}.
  function isBanded(series) {
    return (series ?? []).some((s) => s.type === "rangeArea");
  }
  function safeSeries(series) {
    const banded = isBanded(series);
    return (series ?? []).map((s) => {
      const safe = { ...s, name: text(s.name) };
      if (!s.type) delete safe.type;
      if (banded && s.type !== "rangeArea") {
        safe.type = "line";
        safe.data = (s.data ?? []).map((p) => (Array.isArray(p) ? { x: p[0], y: p[1] } : p));
      }
      return safe;
    });
  }
  function tooltipTitle(config) {
    return (value) => {
      const shown = typeof value === "number" && !Number.isInteger(value) ? +value.toFixed(config.decimals ?? 2) : value;
      return text(config.xPrefix ? `${config.xPrefix} ${shown}` : shown);
    };
  }

  function options(config) {
    const banded = isBanded(config.series);
    const bandOr = (band, line) => (config.series ?? []).map((s) => (s.type === "rangeArea" ? band : line));
    return {
      chart: {
        type: banded ? "rangeArea" : config.type ?? "line",
        height: config.height ?? 260,
        animations: { enabled: false },
        toolbar: { show: false },
        zoom: { enabled: false },
        fontFamily: "Roboto, Helvetica, Arial, sans-serif",
      },
      series: safeSeries(config.series),
      title: config.title ? { text: config.title, style: { fontSize: "14px", fontWeight: 500 } } : undefined,
      stroke: { width: banded ? bandOr(0, 2) : config.type === "bar" ? 0 : 2, curve: "straight" },
      fill: banded ? { opacity: bandOr(0.25, 1) } : undefined,
      markers: { size: config.type === "bar" ? 0 : banded ? bandOr(0, 3) : 3 },
      dataLabels: { enabled: false },
      colors: config.colors ?? undefined,
      legend: { position: "top" },
      xaxis: {
        type: config.categories ? "category" : "numeric",
        categories: config.categories ?? undefined,
        title: { text: config.xTitle ?? "" },
        decimalsInFloat: 0,
        // One tick per point suits epochs; long numeric series (ROC, PR) ask for a fixed number of ticks.
        tickAmount: config.categories ? undefined : config.xTickAmount ?? "dataPoints",
      },
      yaxis: {
        title: { text: config.yTitle ?? "" },
        min: config.yMin ?? undefined,
        max: config.yMax ?? undefined,
        decimalsInFloat: config.decimals ?? 2,
      },
      plotOptions: { bar: { columnWidth: "70%" } },
      noData: { text: config.noData ?? "No data yet" },
      // ApexCharts refuses a shared tooltip on bar charts unless intersect is off.
      tooltip: { shared: true, intersect: false, x: { formatter: tooltipTitle(config) } },
    };
  }

  window.portalCharts = {
    render(element, config) {
      charts.get(element)?.destroy();
      const chart = new ApexCharts(element, options(config));
      charts.set(element, chart);
      element.dataset.points = countPoints(config.series ?? []);
      return chart.render();
    },
    update(element, series) {
      const chart = charts.get(element);
      if (!chart) return;
      element.dataset.points = countPoints(series);
      return chart.updateSeries(safeSeries(series), false);
    },
    destroy(element) {
      charts.get(element)?.destroy();
      charts.delete(element);
    },
  };

  function countPoints(series) {
    return series.length === 0 ? 0 : Math.max(...series.map((s) => (s.data ?? []).length));
  }
})();
