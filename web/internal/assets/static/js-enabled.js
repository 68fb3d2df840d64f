// Marks the page as having JavaScript before it is drawn, as GOV.UK Frontend's template does inline (an
// external file here: the portal's Content-Security-Policy allows no inline script).
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
