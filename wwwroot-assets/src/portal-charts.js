// ApexCharts behind a tiny API for the Blazor ApexChart component: one chart per element.
(() => {
  const charts = new WeakMap();

  // ApexCharts writes series names (legend, tooltip) and tooltip titles into the page as HTML, and series names are
  // what students typed (run names): they are escaped here, so they arrive as text.
  const entities = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function text(value) {
    return String(value ?? "").replace(/[&<>"']/g, (c) => entities[c]);
  }
  function safeSeries(series) {
    return (series ?? []).map((s) => ({ ...s, name: text(s.name) }));
  }
  function tooltipTitle(config) {
    return (value) => {
      const shown = typeof value === "number" && !Number.isInteger(value) ? +value.toFixed(config.decimals ?? 2) : value;
      return text(config.xPrefix ? `${config.xPrefix} ${shown}` : shown);
    };
  }

  function options(config) {
    return {
      chart: {
        type: config.type ?? "line",
        height: config.height ?? 260,
        animations: { enabled: false },
        toolbar: { show: false },
        zoom: { enabled: false },
        fontFamily: "Roboto, Helvetica, Arial, sans-serif",
      },
      series: safeSeries(config.series),
      title: config.title ? { text: config.title, style: { fontSize: "14px", fontWeight: 500 } } : undefined,
      stroke: { width: config.type === "bar" ? 0 : 2, curve: "straight" },
      markers: { size: config.type === "bar" ? 0 : 3 },
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
