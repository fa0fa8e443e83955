export { CHART_LIBRARY, renderReport } from './renderReport';
export { ChartLibraryError, InvalidReportModelError, ReportError } from './errors';
export { escapeHtml, jsonForScript } from './escape';
export type {
  AccuracyPoint,
  ChartLibraryFiles,
  ModelMixEntry,
  RemoteModelUse,
  RenderReportOptions,
  ReorderEntry,
  ReportDataIssues,
  ReportModel,
  ReportProduct,
  ReportRun,
  RowIssueSample,
  StockRiskEntry,
} from './types';
