/**
 * @module console/chart-parts
 * The parts of Chart.js the experiments chart uses, registered once. Loaded with a dynamic import by
 * experiment-chart.ts, so only the experiments page downloads it; named imports let the bundler leave the
 * rest of Chart.js out.
 */
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

export { Chart };
