// The sign-in page: posts the name and password as JSON, then goes where the user was headed.
const form = document.getElementById('signin-form');
const error = document.getElementById('signin-error');

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  error.textContent = '';
  const res = await fetch('/console/api/signin', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: form.user.value, password: form.password.value }),
  });
  if (!res.ok) {
    const e = await res.json().catch(() => ({ message: res.statusText }));
    error.textContent = e.message;
    form.password.select();
    return;
  }
  const next = new URLSearchParams(location.search).get('next');
  // Only a console path: never an address of another site.
  location.assign(next && next.startsWith('/console/') && !next.startsWith('//') ? next : '/console/');
});
