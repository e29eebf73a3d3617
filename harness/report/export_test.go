package report

// RenderHTMLForTest renders report.html with lib in place of Chart.js.
var RenderHTMLForTest = renderHTML
