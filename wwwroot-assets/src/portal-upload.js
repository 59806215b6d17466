// Import page: sends a chosen .zip to the server in pieces (never through the page's live connection), resuming
// after a dropped connection from what the server says it holds, and tells the Blazor component how far it got.
(() => {
  const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  let current = null; // the upload under way: { abort: AbortController, cancelled: bool }

  async function json(response) {
    const text = await response.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch { body = null; }
    if (!response.ok) {
      const problems = body && Array.isArray(body.problems) ? body.problems.join(" ") : `The server answered ${response.status}.`;
      const error = new Error(problems);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  // The same file chosen again (same name, size and date) goes on with the upload already begun, within a day.
  const keyOf = (file) => `portal-upload:${file.name}:${file.size}:${file.lastModified}`;

  window.portalUpload = {
    async start(input, dotnet) {
      const file = input.files && input.files[0];
      if (!file) throw new Error("Choose a .zip first.");
      const upload = { abort: new AbortController(), cancelled: false };
      current = upload;
      const signal = upload.abort.signal;
      const stopped = () => { if (upload.cancelled) throw new Error("The upload was cancelled; choose the same file again to go on where it stopped."); };
      const headers = { "Content-Type": "application/json" };
      let status = null;
      const saved = localStorage.getItem(keyOf(file));
      if (saved) {
        try { status = await json(await fetch(`/api/dataset/uploads/${saved}`, { signal })); } catch { status = null; }
      }
      stopped();
      if (!status) {
        status = await json(await fetch("/api/dataset/uploads", { method: "POST", headers, body: JSON.stringify({ fileName: file.name, size: file.size }), signal }));
        localStorage.setItem(keyOf(file), status.id);
      }
      let failures = 0;
      let lastReport = 0;
      while (status.received < file.size) {
        stopped();
        const before = status.received;
        const end = Math.min(file.size, before + status.chunkBytes);
        try {
          status = await json(await fetch(`/api/dataset/uploads/${status.id}?offset=${before}`, {
            method: "PUT",
            headers: { "Content-Type": "application/octet-stream" },
            body: file.slice(before, end),
            signal,
          }));
          if (status.received <= before) throw new Error("The server took none of the piece.");
          failures = 0;
        } catch (e) {
          stopped();
          // A refusal in words (not ours, too big, not a zip) ends the upload; a dropped connection, a piece the
          // server already holds or one still arriving does not: ask how much arrived and go on from there.
          if (e.status && e.status !== 409 && e.status < 500) throw e;
          if (++failures > 8) throw new Error(`The connection keeps dropping (${e.message}). What was sent is kept for a day: choose the same file again to go on.`);
          await pause(Math.min(30000, 500 * 2 ** failures));
          try { status = await json(await fetch(`/api/dataset/uploads/${status.id}`, { signal })); } catch (again) { if (again.status && again.status < 500) throw again; }
        }
        const now = performance.now();
        if (now - lastReport > 200 || status.received === file.size) {
          lastReport = now;
          await dotnet.invokeMethodAsync("OnUploadProgress", status.received, file.size);
        }
      }
      stopped();
      await dotnet.invokeMethodAsync("OnUploadReading");
      const imported = await json(await fetch(`/api/dataset/uploads/${status.id}/import`, { method: "POST", signal }));
      localStorage.removeItem(keyOf(file));
      if (current === upload) current = null;
      return imported;
    },

    // Stops the upload under way before its next piece (and before it is imported); what arrived is kept for a day.
    cancel() {
      if (!current) return;
      current.cancelled = true;
      current.abort.abort();
      current = null;
    },
  };
})();
