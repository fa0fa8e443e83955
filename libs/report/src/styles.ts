/** The page's own style sheet (the chart library's is inlined before it). */
export const REPORT_CSS = `
:root { color-scheme: light; --fg: #0f172a; --muted: #64748b; --line: #e2e8f0; --bg: #f8fafc;
  --card: #fff; --accent: #2563eb; --bad: #b91c1c; --ok: #047857; --warn: #b45309; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  color: var(--fg); background: var(--bg); }
header.page { padding: 20px 28px 12px; background: #0f172a; color: #f8fafc; }
header.page h1 { margin: 0 0 4px; font-size: 22px; font-weight: 650; }
header.page p { margin: 0; color: #cbd5e1; }
nav { display: flex; flex-wrap: wrap; gap: 14px; padding: 8px 28px; background: #1e293b; }
nav a { color: #cbd5e1; text-decoration: none; font-size: 13px; }
nav a:hover { color: #fff; }
main { padding: 8px 28px 40px; max-width: 1600px; }
section { margin-top: 22px; }
h2 { font-size: 17px; margin: 0 0 10px; }
h3 { font-size: 14px; margin: 14px 0 6px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; }
.tile { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.tile .label { color: var(--muted); font-size: 12px; }
.tile .value { font-size: 20px; font-weight: 650; font-variant-numeric: tabular-nums; }
.tile.bad .value { color: var(--bad); }
.tile.ok .value { color: var(--ok); }
.status { display: inline-block; padding: 2px 10px; border-radius: 999px; font-size: 12px; font-weight: 600; }
.status.ok { background: #d1fae5; color: var(--ok); }
.status.bad { background: #fee2e2; color: var(--bad); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 12px 0 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; background: var(--card); border: 1px solid var(--line); font-variant-numeric: tabular-nums; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: #f1f5f9; font-weight: 600; font-size: 12px; position: sticky; top: 0; }
td.num, th.num { text-align: right; }
.scroll { max-height: 420px; overflow: auto; display: inline-block; max-width: 100%; }
.empty { background: var(--card); border: 1px dashed #cbd5e1; border-radius: 8px; padding: 14px 16px; color: var(--muted); max-width: 880px; }
.empty strong { color: var(--fg); }
.bar { display: inline-block; height: 10px; background: var(--accent); border-radius: 2px; vertical-align: middle; }
.yes { color: var(--bad); font-weight: 600; }
ul.issues { margin: 4px 0; padding-left: 20px; }
ul.issues li { overflow-wrap: anywhere; }
.wide-chart { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px; max-width: 1100px; }
.toolbar { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin-bottom: 10px;
  position: sticky; top: 0; z-index: 5; background: var(--bg); padding: 8px 0; }
.toolbar input { font: inherit; padding: 7px 10px; width: min(420px, 100%); border: 1px solid #cbd5e1; border-radius: 6px; }
.legend { display: flex; gap: 14px; color: var(--muted); font-size: 12px; align-items: center; }
.legend i { display: inline-block; width: 18px; height: 10px; margin-right: 4px; vertical-align: middle; border-radius: 2px; }
.legend .sold { background: #475569; height: 2px; }
.legend .p50 { background: #2563eb; height: 3px; }
.legend .band { background: rgba(37, 99, 235, 0.22); border: 1px dashed rgba(37, 99, 235, 0.55); }
#product-count { color: var(--muted); }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px 6px; min-width: 0; }
.card[hidden] { display: none; }
.card-head { display: flex; gap: 8px; align-items: baseline; }
.pid { font-weight: 700; font-variant-numeric: tabular-nums; }
.pname { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.meta { display: flex; flex-wrap: wrap; gap: 4px; margin: 4px 0; }
.tag { font-size: 11px; background: #f1f5f9; color: #334155; border-radius: 4px; padding: 1px 6px; overflow-wrap: anywhere; }
.tag.model { background: #eff6ff; color: #1d4ed8; }
.tag.warn { background: #fef3c7; color: var(--warn); }
.total { font-size: 12px; color: var(--muted); }
.outliers { font-size: 12px; color: var(--muted); margin: 2px 0; }
.shift { font-size: 12px; color: var(--muted); margin: 2px 0; }
.weekday-profile { font-size: 12px; color: var(--muted); margin: 2px 0; }
.outliers summary { cursor: pointer; }
.outliers table { margin: 2px 0 4px; font-size: 12px; }
.outliers th, .outliers td { padding: 1px 8px; }
.chart { width: 100%; }
.readout { font-size: 12px; color: var(--muted); min-height: 18px; font-variant-numeric: tabular-nums; }
footer { color: var(--muted); font-size: 12px; padding: 0 28px 24px; }
`;
