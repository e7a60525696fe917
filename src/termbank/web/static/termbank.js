// The pages' behaviour, from a file: the Content-Security-Policy allows no inline script.
// A <select data-submit> sends its form as soon as a value is chosen (the button beside
// it, in <noscript>, does the same without JavaScript).
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-submit") && field.form) {
    field.form.submit();
  }
});
