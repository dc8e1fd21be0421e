// Inline SVG charts, built with the DOM (no library). Sizes are in viewBox units; the SVG scales to its box.

const SVG = 'http://www.w3.org/2000/svg'

export function svg(tag, attrs = {}, children = []) {
  const el = document.createElementNS(SVG, tag)
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, String(v))
  for (const c of [].concat(children)) if (c !== null && c !== undefined) el.append(c)
  return el
}

/**
 * A line chart of percentages (0–100) over months.
 * points: [{ label, tip, value }], mark: index of the point to mark (100% reached) or -1,
 * markLabel: text next to the mark, label: the chart's accessible description.
 */
export function lineChart({ points, mark = -1, markLabel = '', label = '', yLabel = (v) => `${v}%` }) {
  const W = 640, H = 260
  const m = { top: 28, right: 20, bottom: 40, left: 58 }
  const iw = W - m.left - m.right, ih = H - m.top - m.bottom
  const n = points.length
  const x = (i) => m.left + (n <= 1 ? iw / 2 : (i * iw) / (n - 1))
  const y = (v) => m.top + ih - (Math.max(0, Math.min(100, v)) / 100) * ih

  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label, class: 'line-chart', preserveAspectRatio: 'xMidYMid meet' })
  root.append(svg('title', {}, label))

  // Grid and y axis.
  const grid = svg('g', { class: 'grid', 'aria-hidden': 'true' })
  for (const v of [0, 25, 50, 75, 100]) {
    grid.append(svg('line', { x1: m.left, x2: W - m.right, y1: y(v), y2: y(v) }))
    grid.append(svg('text', { x: m.left - 8, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, yLabel(v)))
  }
  root.append(grid)

  // X labels: every month when there is room, else every other one (always the first and the last).
  const step = n > 18 ? 3 : n > 12 ? 2 : 1
  const xl = svg('g', { 'aria-hidden': 'true' })
  points.forEach((p, i) => {
    if (i % step !== 0 && i !== n - 1) return
    xl.append(svg('text', { x: x(i), y: H - m.bottom + 20, 'text-anchor': 'middle', class: 'axis' }, p.label))
    if (p.sublabel) xl.append(svg('text', { x: x(i), y: H - m.bottom + 37, 'text-anchor': 'middle', class: 'axis sub' }, p.sublabel))
  })
  root.append(xl)

  if (n === 0) return root

  // Area and line.
  const line = points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join('')
  const area = `${line}L${x(n - 1).toFixed(1)},${y(0)}L${x(0).toFixed(1)},${y(0)}Z`
  root.append(svg('path', { d: area, class: 'area', 'aria-hidden': 'true' }))
  root.append(svg('path', { d: line, class: 'line', 'aria-hidden': 'true' }))

  // The month 100% was first reached.
  if (mark >= 0 && mark < n) {
    const mx = x(mark)
    const g = svg('g', { class: 'mark', 'aria-hidden': 'true' })
    g.append(svg('line', { x1: mx, x2: mx, y1: m.top - 6, y2: y(0) }))
    const anchor = mx > W - 120 ? 'end' : mx < m.left + 80 ? 'start' : 'middle'
    const tx = anchor === 'end' ? mx - 6 : anchor === 'start' ? mx + 6 : mx
    g.append(svg('text', { x: tx, y: m.top - 10, 'text-anchor': anchor }, markLabel))
    root.append(g)
  }

  // Points, each with its own tooltip.
  const dots = svg('g', { class: 'dots' })
  points.forEach((p, i) => {
    dots.append(svg('circle', { cx: x(i), cy: y(p.value), r: i === mark ? 5.5 : 3.5, class: i === mark ? 'dot reached' : 'dot' }, svg('title', {}, p.tip)))
  })
  root.append(dots)
  return root
}
