import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Chart } from 'chart.js';

type ChartJs = typeof import('./chart-parts.js');
let chartJs: Promise<ChartJs> | undefined;
/** Chart.js, loaded once, with only the bar chart's parts (other pages never load it). */
const loadChartJs = (): Promise<ChartJs> => (chartJs ??= import('./chart-parts.js'));

/** One bar: an arm's conversion rate with its interval (fractions, 0–1). */
export interface RateBar { label: string; rate: number; low?: number | undefined; high?: number | undefined; holdout: boolean }

/**
 * Conversion rate per arm, with each rate's interval drawn as a whisker. Chart.js (MIT), loaded only when
 * this chart first shows, registering just the bar chart's parts; it draws on a canvas and needs no eval,
 * inline script or stylesheet, so it runs under the engine's Content-Security-Policy.
 * Class: `canvas` (its `aria-label` says every value in words); property `chart` for tests.
 */
@customElement('aisle-experiment-chart')
export class AisleExperimentChart extends LitElement {
  static override styles = css`:host { display: block; position: relative; height: 260px; } canvas { width: 100%; height: 100%; }`;

  @property({ attribute: false }) bars: RateBar[] = [];
  @property() locale: string | undefined;
  /** The Chart.js instance, once drawn. */
  chart: Chart<'bar'> | undefined;

  override render() {
    const pct = new Intl.NumberFormat(this.locale, { style: 'percent', maximumFractionDigits: 1 });
    const words = this.bars.map((b) => `${b.label}: ${pct.format(b.rate)}${b.low !== undefined && b.high !== undefined
      ? ` (${pct.format(b.low)} to ${pct.format(b.high)})` : ''}`).join('; ');
    return html`<canvas role="img" aria-label="Conversion rate per arm. ${words}"></canvas>`;
  }

  /** Resolves once the chart shows the current bars. */
  drawn: Promise<void> = Promise.resolve();

  protected override updated(): void {
    this.drawn = loadChartJs().then((m) => this._draw(m));
  }

  private _draw({ Chart }: ChartJs): void {
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas) return;
    const bars = this.bars;
    const pct = new Intl.NumberFormat(this.locale, { style: 'percent', maximumFractionDigits: 1 });
    const ink = getComputedStyle(this).getPropertyValue('--aisle-ink').trim() || '#f7f2e8';
    const data = { labels: bars.map((b) => b.label), datasets: [{ label: 'Conversion rate', data: bars.map((b) => b.rate),
      backgroundColor: bars.map((b) => (b.holdout ? 'rgba(247,242,232,0.28)' : 'rgba(217,178,106,0.85)')), borderRadius: 8, maxBarThickness: 90 }] };
    if (this.chart?.canvas === canvas) {
      this.chart.data = data;
      this.chart.update();
      return;
    }
    this.chart?.destroy();
    const top = Math.max(0.01, ...bars.map((b) => b.high ?? b.rate)) * 1.15;
    this.chart = new Chart(canvas, {
      type: 'bar', data,
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: {
          y: { beginAtZero: true, suggestedMax: top, ticks: { color: ink, callback: (v) => pct.format(Number(v)) }, grid: { color: 'rgba(255,255,255,0.08)' } },
          x: { ticks: { color: ink, font: { weight: 'bold' } }, grid: { display: false } },
        },
        plugins: { tooltip: { callbacks: { label: (c) => {
          const b = bars[c.dataIndex]!;
          return `${pct.format(b.rate)}${b.low !== undefined && b.high !== undefined ? ` (95%: ${pct.format(b.low)}–${pct.format(b.high)})` : ''}`;
        } } } },
      },
      plugins: [{ id: 'aisleIntervals', afterDatasetsDraw: (chart) => {
        const y = chart.scales['y']!;
        const ctx = chart.ctx;
        ctx.save();
        ctx.strokeStyle = ink;
        ctx.lineWidth = 2;
        chart.getDatasetMeta(0).data.forEach((bar, i) => {
          const b = this.bars[i];
          if (b?.low === undefined || b.high === undefined) return;
          const x = bar.x;
          const [lo, hi] = [y.getPixelForValue(b.low), y.getPixelForValue(b.high)];
          ctx.beginPath();
          ctx.moveTo(x, lo); ctx.lineTo(x, hi);
          ctx.moveTo(x - 9, lo); ctx.lineTo(x + 9, lo);
          ctx.moveTo(x - 9, hi); ctx.lineTo(x + 9, hi);
          ctx.stroke();
        });
        ctx.restore();
      } }],
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.chart?.destroy();
    this.chart = undefined;
  }
}

declare global { interface HTMLElementTagNameMap { 'aisle-experiment-chart': AisleExperimentChart } }
