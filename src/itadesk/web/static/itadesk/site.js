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
// A table wider than the screen scrolls in its box: say so above it.
function scrollCues() {
  document.querySelectorAll(".table-wrap").forEach(box => {
    let cue = box.previousElementSibling;
    if (!cue || !cue.classList.contains("scroll-cue")) {
      cue = document.createElement("p"); cue.className = "scroll-cue"; cue.textContent = "ตารางกว้างกว่าจอ เลื่อนไปทางขวาเพื่อดูเพิ่ม →";
      box.parentNode.insertBefore(cue, box);
    }
    cue.classList.toggle("shown", box.scrollWidth > box.clientWidth + 1);
  });
}
scrollCues(); window.addEventListener("resize", scrollCues);
