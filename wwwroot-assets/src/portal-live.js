// Live run page: joins the run's SignalR group, draws every epoch on the metric charts the moment it arrives and
// tells the Blazor component, which shows status, ETA and the epoch table.
(() => {
  const metrics = [
    ["loss", "Loss"],
    ["accuracy", "Accuracy"],
    ["precision", "Precision"],
    ["recall", "Recall"],
  ];

  window.portalLive = {
    // Milliseconds from an epoch's end in the worker to its point being drawn, one entry per live epoch.
    latencies: [],

    async watchRun(runId, container, dotnet) {
      const epochs = new Map();
      const connection = new signalR.HubConnectionBuilder()
        .withUrl("/hubs/training")
        .withAutomaticReconnect()
        .build();

      const redraw = async () => {
        const sorted = [...epochs.values()].sort((a, b) => a.epoch - b.epoch);
        const draws = metrics.map(([key]) => {
          const element = container.querySelector(`[data-metric="${key}"]`);
          if (!element) return Promise.resolve();
          return window.portalCharts.update(element, [
            { name: "train", data: sorted.map((e) => [e.epoch, e.train[key]]) },
            { name: "validation", data: sorted.map((e) => [e.epoch, e.validation[key]]) },
          ]);
        });
        await Promise.all(draws);
        container.dataset.epochs = sorted.length;
      };

      const init = () => {
        for (const [key, title] of metrics) {
          const element = container.querySelector(`[data-metric="${key}"]`);
          if (element) window.portalCharts.render(element, {
            type: "line", title, xTitle: "epoch", yTitle: title.toLowerCase(), xPrefix: "epoch",
            yMin: key === "loss" ? 0 : undefined, yMax: key === "loss" ? undefined : 1,
            colors: ["#1976d2", "#e65100"], height: 240, series: [], noData: "Waiting for the first epoch",
          });
        }
      };

      connection.on("epoch", async (message) => {
        if (message.runId !== runId || epochs.has(message.epoch.epoch)) return;
        epochs.set(message.epoch.epoch, message.epoch);
        await redraw();
        if (message.sentAtMs) window.portalLive.latencies.push(Date.now() - message.sentAtMs);
        await dotnet.invokeMethodAsync("OnEpoch", message.epoch);
      });
      connection.on("status", async (message) => {
        if (message.runId !== runId) return;
        await dotnet.invokeMethodAsync("OnStatus", message);
      });
      const join = async () => {
        const history = await connection.invoke("WatchRun", runId);
        for (const e of history) epochs.set(e.epoch, e);
        await redraw();
      };
      connection.onreconnected(join);

      init();
      await connection.start();
      await join();
      container.portalConnection = connection;
    },

    async stop(container) {
      await container?.portalConnection?.stop();
    },
  };
})();
