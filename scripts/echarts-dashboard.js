// The part of ECharts the dashboard draws with, bundled by scripts/vendor.sh into
// static/vendor/echarts.dashboard.min.js (a plain script that sets window.echarts).
// Add a chart or component here before using it in static/dashboard-*.js.
import * as echarts from 'echarts/core';
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, MarkLineComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart, LineChart, ScatterChart,
  GridComponent, TooltipComponent, LegendComponent, MarkLineComponent,
  CanvasRenderer,
]);

globalThis.echarts = echarts;
