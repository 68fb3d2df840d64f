// Package timer reads the timer definitions of BPMN timer events as Camunda 8 writes them and says when a
// timer is due, on a calendar of working days.
//
// Parse reads the text of a bpmn:timeDate, bpmn:timeDuration or bpmn:timeCycle (the value of its
// expression, when the modeler wrote one: see package expr's EvalString):
//
//   - timeDate: an ISO 8601 date and time with an offset or a zone: 2026-12-24T09:00:00+02:00,
//     2026-12-24T09:00:00Z, 2026-12-24T09:00:00[Europe/Tallinn]; a time without either is refused, so no
//     timer depends on the server's zone.
//   - timeDuration: an ISO 8601 duration (P1D, PT5M, P2W, P1Y2M3DT4H5M6S; only seconds take a fraction),
//     or the custom form PnWD, n working days on the calendar (P10WD).
//   - timeCycle: R[n]/interval (R5/PT10M; R/PT1H repeats without end), R[n]/start/interval
//     (R3/2026-12-06T10:00:00Z/PT1H), or a cron expression of 5 fields (minute first) or 6 (seconds
//     first, as Spring and Camunda 8 write it), optionally prefixed with CRON_TZ=Area/City. Cycles repeat at
//     least a second apart.
//
// Definition.Next gives the next due time (see its comment for what to pass). Calendar arithmetic — P1D
// is the same clock time the next day, P1M from 31 January is 28 February, cron's 09:00 — happens in one
// zone, chosen so that a timer never depends on the location of the time.Time values the engine passes:
// a cycle's start zone, else the cron's CRON_TZ, else the calendar's default country's zone, else UTC.
//
// A Calendar holds weekends and public holidays per country; ShippedCalendar loads the embedded
// holidays.csv (Estonia and England and Wales, 2026 and 2027; the file names its sources) and the
// countries' zones. AddWorkingDays documents how a period in working days is counted.
package timer
