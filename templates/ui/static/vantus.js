// Progressive enhancement only: every page works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Destructive forms ask first (the server still checks rights and the CSRF token).
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    });
  }
  // A long-running submit (deploy, rollback) shows that it runs and cannot be sent twice.
  for (const button of document.querySelectorAll("button[data-busy]")) {
    button.form.addEventListener("submit", () => {
      button.disabled = true;
      button.textContent = button.dataset.busy;
    });
  }
  // The deployment page follows its nodes: the table is read again every 3 s until every node
  // has settled (or 10 minutes have passed). Without the script a reload shows the same.
  const live = document.querySelector("table[data-live-nodes]");
  if (live) {
    const settled = new Set(["applied", "failed", "rolled_back", "rejected", "superseded", "drained"]);
    const started = Date.now();
    const cell = (text) => {
      const td = document.createElement("td");
      td.textContent = text;
      return td;
    };
    const refresh = async () => {
      const answer = await fetch(live.dataset.liveNodes, { credentials: "same-origin" });
      if (!answer.ok) {
        return false;
      }
      const { nodes } = await answer.json();
      if (nodes.length === 0) {
        return true;
      }
      const body = live.tBodies[0];
      body.replaceChildren();
      for (const node of nodes) {
        const row = document.createElement("tr");
        const state = cell("");
        const badge = document.createElement("span");
        badge.className = `badge state-${node.state}`;
        badge.textContent = node.state;
        state.append(badge);
        const reason = cell(node.reason);
        if (node.nginx_output) {
          const output = document.createElement("pre");
          output.textContent = node.nginx_output;
          reason.append(output);
        }
        row.append(cell(node.cluster), cell(node.node), state, reason, cell(node.receipt));
        body.append(row);
      }
      return nodes.some((node) => !settled.has(node.state));
    };
    const tick = async () => {
      let again = false;
      try {
        again = await refresh();
      } catch {
        again = true;
      }
      if (again && Date.now() - started < 10 * 60 * 1000) {
        setTimeout(tick, 3000);
      }
    };
    setTimeout(tick, 3000);
  }
  // A secret shown once gets a copy button.
  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.dataset.copy);
      try {
        await navigator.clipboard.writeText(source.textContent);
        button.textContent = "Copied";
      } catch {
        window.getSelection().selectAllChildren(source);
      }
    });
  }
  // Long runs of unchanged diff lines fold behind a button.
  for (const diff of document.querySelectorAll("table.diff")) {
    const lines = Array.from(diff.querySelectorAll("tr"));
    let run = [];
    const fold = () => {
      if (run.length > 8) {
        const hidden = run.slice(3, -3);
        for (const line of hidden) {
          line.classList.add("folded");
        }
        const toggle = document.createElement("button");
        toggle.type = "button";
        toggle.className = "fold-toggle";
        toggle.textContent = `Show ${hidden.length} unchanged lines`;
        toggle.addEventListener("click", () => {
          for (const line of hidden) {
            line.classList.remove("folded");
          }
          toggle.remove();
        });
        diff.parentNode.insertBefore(toggle, diff.nextSibling);
      }
      run = [];
    };
    for (const line of lines) {
      if (line.classList.contains("ctx")) {
        run.push(line);
      } else {
        fold();
      }
    }
    fold();
  }
});
