// Starts GOV.UK Frontend's components (error summary focus, service navigation toggle, …). Every journey
// works without it.
import { initAll } from './govuk-frontend.min.js'
initAll()

// A form whose work takes a while (the message-log verification) shows its progress note while the next
// page loads; without JavaScript the page simply loads when the work is done.
document.querySelectorAll('form[data-progress]').forEach((form) => {
  form.addEventListener('submit', () => {
    const note = form.querySelector('.portal-progress')
    if (note) note.hidden = false
  })
})
