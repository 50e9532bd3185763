/**
 * Chart.js, registered with only what the summary draws (bar charts on category and linear
 * scales, tooltips and a legend), so esbuild leaves the rest out of the bundle. Colours come
 * from the page's CSS variables (VS Code's theme in the webview, a light/dark palette in the
 * report); animations are off: the figures are shown at once and the screenshots are stable.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ActiveElement, type ChartEvent } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

export interface Palette {
  foreground: string;
  muted: string;
  grid: string;
  accept: string;
  reject: string;
  other: string;
  bar: string;
  border: string;
  font: string;
}

/** The palette the CSS defines now (read again when VS Code's theme changes). */
export function readPalette(): Palette {
  const style = getComputedStyle(document.documentElement);
  const value = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    foreground: value('--fl-fg', '#1f2328'),
    muted: value('--fl-muted', '#59636e'),
    grid: value('--fl-grid', 'rgba(128,128,128,0.25)'),
    accept: value('--fl-accept', '#1a7f37'),
    reject: value('--fl-reject', '#cf222e'),
    other: value('--fl-other', '#9a6700'),
    bar: value('--fl-bar', '#0969da'),
    border: value('--fl-bar-border', 'transparent'),
    font: value('--fl-font', 'system-ui, sans-serif'),
  };
}

export interface Series {
  label: string;
  values: number[];
  color: string;
}

export interface BarChartSpec {
  labels: string[];
  series: Series[];
  /** Horizontal bars (the top-N charts) rather than columns (the timeline). */
  horizontal: boolean;
  stacked: boolean;
  /** Text of a value in tooltips and on the value axis. */
  format: (value: number) => string;
  /** Counts (records, conversations): no ticks between whole numbers. */
  whole: boolean;
  /** Tooltip title of a bar (the full label; axis labels may be cut short). */
  title: (index: number) => string;
  /** Called when a bar is clicked or chosen with the keyboard. */
  pick: (index: number, series: number) => void;
}

const MAX_AXIS_LABEL = 28;

function shorten(label: string): string {
  return label.length > MAX_AXIS_LABEL ? `${label.slice(0, MAX_AXIS_LABEL - 1)}…` : label;
}

export function barChart(canvas: HTMLCanvasElement, spec: BarChartSpec, palette: Palette): Chart<'bar'> {
  const valueAxis = spec.horizontal ? 'x' : 'y';
  const categoryAxis = spec.horizontal ? 'y' : 'x';
  const chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: spec.labels,
      datasets: spec.series.map((series) => ({
        label: series.label,
        data: series.values,
        backgroundColor: series.color,
        borderColor: palette.border,
        borderWidth: palette.border === 'transparent' ? 0 : 1,
      })),
    },
    options: {
      indexAxis: spec.horizontal ? 'y' : 'x',
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', intersect: true, axis: categoryAxis },
      font: { family: palette.font },
      color: palette.foreground,
      scales: {
        [categoryAxis]: {
          stacked: spec.stacked,
          grid: { display: false },
          ticks: { color: palette.foreground, autoSkip: true, maxRotation: 0, callback(value) {
            return shorten(String(this.getLabelForValue(Number(value))));
          } },
          border: { color: palette.grid },
        },
        [valueAxis]: {
          stacked: spec.stacked,
          beginAtZero: true,
          grid: { color: palette.grid },
          border: { color: palette.grid },
          ticks: { color: palette.muted, maxTicksLimit: spec.horizontal ? 6 : 8, maxRotation: 0, precision: spec.whole ? 0 : undefined, callback: (value) => spec.format(Number(value)) },
        },
      },
      plugins: {
        legend: { display: spec.series.length > 1, labels: { color: palette.foreground, boxWidth: 12 } },
        tooltip: {
          callbacks: {
            title: (items) => (items[0] ? spec.title(items[0].dataIndex) : ''),
            label: (item) => `${item.dataset.label ?? ''}: ${spec.format(Number(item.raw))}`,
          },
        },
      },
      onClick: (_event: ChartEvent, elements: ActiveElement[]) => {
        const hit = elements[0];
        if (hit) spec.pick(hit.index, hit.datasetIndex);
      },
      onHover: (event: ChartEvent, elements: ActiveElement[]) => {
        const target = event.native?.target;
        if (target instanceof HTMLElement) target.style.cursor = elements.length > 0 ? 'pointer' : 'default';
      },
    },
  });
  makeKeyboardUsable(canvas, chart, spec);
  return chart;
}

/**
 * Arrow keys move between bars (left/right or up/down along the categories, the other pair
 * between stacked series), the tooltip says what is selected, Enter or Space picks it.
 */
function makeKeyboardUsable(canvas: HTMLCanvasElement, chart: Chart<'bar'>, spec: BarChartSpec): void {
  let index = -1;
  let series = 0;
  const show = () => {
    const active = [{ datasetIndex: series, index }];
    chart.setActiveElements(active);
    chart.tooltip?.setActiveElements(active, { x: 0, y: 0 });
    chart.update();
  };
  const visibleSeries = () => spec.series.map((_s, i) => i).filter((i) => chart.isDatasetVisible(i));
  canvas.tabIndex = 0;
  canvas.addEventListener('keydown', (event) => {
    const count = spec.labels.length;
    if (count === 0) return;
    const along = spec.horizontal ? ['ArrowUp', 'ArrowDown'] : ['ArrowLeft', 'ArrowRight'];
    const across = spec.horizontal ? ['ArrowLeft', 'ArrowRight'] : ['ArrowDown', 'ArrowUp'];
    const visible = visibleSeries();
    if (visible.length === 0) return;
    if (!visible.includes(series)) series = visible[0];
    if (event.key === along[1] || event.key === along[0]) {
      index = index < 0 ? 0 : (index + (event.key === along[1] ? 1 : count - 1)) % count;
    } else if (event.key === across[1] || event.key === across[0]) {
      const at = visible.indexOf(series);
      series = visible[(at + (event.key === across[1] ? 1 : visible.length - 1)) % visible.length];
      if (index < 0) index = 0;
    } else if (event.key === 'Home' || event.key === 'End') {
      index = event.key === 'Home' ? 0 : count - 1;
    } else if ((event.key === 'Enter' || event.key === ' ') && index >= 0) {
      event.preventDefault();
      spec.pick(index, series);
      return;
    } else {
      return;
    }
    event.preventDefault();
    show();
  });
  canvas.addEventListener('blur', () => {
    chart.setActiveElements([]);
    chart.tooltip?.setActiveElements([], { x: 0, y: 0 });
    chart.update();
  });
}

/** How many pixels of a chart's canvas are painted (tests check that charts really drew). */
export function paintedPixels(canvas: HTMLCanvasElement): number {
  const context = canvas.getContext('2d');
  if (!context || canvas.width === 0 || canvas.height === 0) return 0;
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
  return painted;
}
