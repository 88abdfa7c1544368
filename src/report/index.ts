// Report writers: pure functions from an AnalysisResult to text, JSON, SARIF or HTML. The CLI and
// the extension's "Export Report" both call these.
export { toText, type TextReportOptions } from './text';
export { toJson, toJsonChunks, toJsonDocument, JSON_REPORT_FORMAT, type JsonReportOptions } from './json';
export { toSarif, toSarifLog, type RuleInfo, type SarifOptions } from './sarif';
export { toHtml, type HtmlAssets, type HtmlReportOptions } from './html';
export { toFlatLocation, toRegion, formatLocation, type FlatLocation, type Region } from './location';
export { sortFindings, atOrAbove } from './order';
export { visible } from './terminal';
