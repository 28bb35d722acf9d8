// Chart.js with only the parts the statistics draw (bars, lines, category and value
// axes, legend, tooltip), so the bundler leaves the rest of the library out. Loaded on
// demand by chart.jsx: it is a chunk of its own that only the console reaches, which
// keeps the console's main chunk small and the citizens' bundle untouched.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip);

export { Chart };
