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
