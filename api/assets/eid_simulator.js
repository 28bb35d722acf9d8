// The simulated AusweisApp page: sends the chosen identity and PIN to the simulator and
// then goes where the AusweisApp would send the browser (the RefreshAddress). A fetch
// is used so a signed-in browser can send its CSRF token as a header.
document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('eid-simulator');
  if (!form) return;
  const status = document.getElementById('eid-simulator-status');
  const token = document.querySelector('meta[name="csrf-token"]');

  function show(message) {
    status.textContent = message || status.dataset.failed;
    status.hidden = false;
    status.focus();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const action = event.submitter ? event.submitter.value : 'identify';
    const pin = form.elements.pin;
    if (action === 'identify' && !pin.checkValidity()) {
      pin.setAttribute('aria-invalid', 'true');
      pin.focus();
      show(status.dataset.pinMessage);
      return;
    }
    pin.removeAttribute('aria-invalid');
    const body = new URLSearchParams(new FormData(form));
    body.set('action', action);
    const headers = {
      Accept: 'application/json',
      'Content-Type': 'application/x-www-form-urlencoded',
    };
    if (token) headers['X-CSRF-Token'] = token.content;
    try {
      // getAttribute: form.action would be the buttons named "action".
      const response = await fetch(form.getAttribute('action'), {
        method: 'POST', body, headers, credentials: 'same-origin',
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok && answer.redirect_to) {
        window.location.assign(answer.redirect_to);
        return;
      }
      const fieldError = answer.errors && answer.errors[0];
      show(fieldError ? fieldError.message : answer.message);
    } catch (error) {
      show();
    }
  });
});
