// Starts GOV.UK Frontend's components (error summary focus, service navigation toggle, …). Every journey
// works without it.
import { initAll } from './govuk-frontend.min.js'
initAll()
