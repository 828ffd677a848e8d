// Behaviour of every page, kept out of the HTML so the Content-Security-Policy allows no inline
// handlers: forms that take over a second show that they are working; data-confirm asks first;
// a select with data-autosubmit submits its form, one with data-navigate goes to its value.
document.querySelectorAll("form[data-progress]").forEach(f => f.addEventListener("submit", () => f.classList.add("busy")));
document.addEventListener("submit", e => {
  const form = e.target;
  if (form.hasAttribute("data-no-submit")) { e.preventDefault(); return; }
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) e.preventDefault();
});
document.addEventListener("change", e => {
  const el = e.target;
  if (el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
  if (el.hasAttribute("data-navigate")) window.location.href = el.value;
});
