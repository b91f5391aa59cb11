/** The report's style sheet: readable on a laptop screen, two columns of charts on paper. */
export const STYLE = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1a1a1a; background: #fff; }
body { margin: 0; line-height: 1.45; }
main { max-width: 1180px; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.3rem; border-bottom: 1px solid #bbb; padding-bottom: .2rem; margin: 2.2rem 0 .8rem; }
h3 { font-size: 1.08rem; margin: 1.8rem 0 .4rem; }
p { max-width: 80ch; }
.lede { color: #333; margin: 0 0 .6rem; }
nav ul { list-style: none; padding: 0; margin: .4rem 0 0; display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; }
a { color: #0060a0; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(470px, 1fr)); gap: 1.4rem 1.8rem; }
figure.chart { margin: 0; break-inside: avoid; min-width: 0; }
figure.chart figcaption { font-weight: 600; margin-bottom: .3rem; }
.plot { width: 100%; min-height: 300px; }
p.shows { margin: .2rem 0 0; font-size: .92rem; color: #222; }
.what { font-weight: 600; }
.tables { display: flex; flex-wrap: wrap; gap: 0 2.2rem; align-items: flex-start; }
table { border-collapse: collapse; font-size: .88rem; margin: .4rem 0 1.2rem; }
caption { text-align: left; font-weight: 600; padding-bottom: .3rem; }
th, td { padding: .22rem .6rem; border-bottom: 1px solid #ddd; text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th[scope=row], thead th:first-child, td.t { text-align: left; }
th[scope=row] { font-weight: 500; }
thead th { border-bottom: 2px solid #888; font-weight: 600; }
.note { background: #fff6e0; border-left: 4px solid #E69F00; padding: .5rem .8rem; }
.sig { font-weight: 700; }
details { margin: .5rem 0; }
summary { cursor: pointer; font-weight: 600; }
details pre { max-height: 32rem; overflow: auto; background: #f5f5f5; padding: .7rem; font-size: .8rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .4rem 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
footer { margin-top: 3rem; font-size: .8rem; color: #555; }
.u-legend { font-size: .8rem; }
@media print {
  main { max-width: none; padding: 0; }
  nav { display: none; }
  .grid { grid-template-columns: 1fr 1fr; gap: .8rem 1rem; }
  .plot { min-height: 0; }
  h2 { break-after: avoid; }
  figure.chart, table { break-inside: avoid; }
  details pre { max-height: none; overflow: visible; white-space: pre-wrap; }
  a { color: inherit; text-decoration: none; }
}
`;
