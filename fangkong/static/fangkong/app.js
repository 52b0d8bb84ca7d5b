// Small progressive enhancements; every page works without this file.
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.dataset.confirm)) {
    event.preventDefault();
  }
});

// A "tick all" box ticks (or clears) every box of its form named in its data-check-all.
document.addEventListener("change", (event) => {
  const box = event.target.closest("[data-check-all]");
  if (!box || !box.form) return;
  for (const item of box.form.querySelectorAll(`input[name="${box.dataset.checkAll}"]`)) {
    item.checked = box.checked;
  }
});
